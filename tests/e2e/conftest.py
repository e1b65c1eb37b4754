"""A real Spire under gunicorn with the demo data, for tests that go over the network."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def call(base, method, path, body=None, token=None):
    request = urllib.request.Request(
        base + path,
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Content-Type": "application/json"} if body is not None else {},
    )
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


@contextmanager
def gunicorn(env: dict, workers: int):
    """Spire under gunicorn with ``workers`` sync workers; yields its base URL."""
    port = free_port()
    env = {**env, "SPIRE_BIND": f"127.0.0.1:{port}", "SPIRE_WORKERS": str(workers)}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "docker/gunicorn.conf.py", "server.wsgi:app"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if call(base, "GET", "/health")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not start")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


FLASK = [sys.executable, "-m", "flask", "--app", "server"]


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("demo")
    env = {
        **os.environ,
        "SPIRE_INSTANCE_PATH": str(tmp_path / "instance"),
        "SPIRE_PASSWORD_HASHING": "fast",
        "SPIRE_ACCESS_LOG": str(tmp_path / "access.log"),
    }
    env.pop("DATABASE_URL", None)
    subprocess.run([*FLASK, "db", "upgrade"], env=env, cwd=ROOT, check=True, capture_output=True)
    seeded = subprocess.run(
        [*FLASK, "seed-demo"], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    )
    with gunicorn(env, workers=2) as base:
        yield base, seeded.stdout, tmp_path / "access.log"
