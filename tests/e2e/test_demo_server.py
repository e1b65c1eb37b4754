"""The real thing: migrate, seed the demo, run gunicorn, log in over HTTP with the
printed demo logins, and check the access log keeps personal data out."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
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


@pytest.fixture
def demo_server(tmp_path):
    env = {
        **os.environ,
        "SPIRE_INSTANCE_PATH": str(tmp_path / "instance"),
        "SPIRE_PASSWORD_HASHING": "fast",
        "SPIRE_ACCESS_LOG": str(tmp_path / "access.log"),
    }
    env.pop("DATABASE_URL", None)
    flask = [sys.executable, "-m", "flask", "--app", "server"]
    subprocess.run([*flask, "db", "upgrade"], env=env, cwd=ROOT, check=True, capture_output=True)
    seeded = subprocess.run(
        [*flask, "seed-demo"], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    )
    port = free_port()
    env["SPIRE_BIND"] = f"127.0.0.1:{port}"
    env["SPIRE_WORKERS"] = "2"
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
        yield base, seeded.stdout, tmp_path / "access.log"
    finally:
        server.terminate()
        server.wait(timeout=10)


def printed_logins(output: str) -> list[tuple[str, str, str]]:
    lines = output.split("Demo logins", 1)[1].splitlines()[1:]
    return [tuple(line.split()[:3]) for line in lines if line.strip()]


def test_demo_logins_work_against_gunicorn(demo_server):
    base, output, access_log = demo_server
    logins = printed_logins(output)
    assert {role for _, _, role in logins} == {"admin", "leader", "facilitator"}
    seen = {}
    for username, password, role in logins:
        status, body = call(
            base, "POST", "/api/v1/auth/login", {"username": username, "password": password}
        )
        assert status == 200, body
        assert body["user"]["role"] == role
        status, participants = call(
            base, "GET", "/api/v1/participants?page_size=100&q=a", token=body["access_token"]
        )
        assert status == 200
        seen[username] = len(participants)
    assert seen["admin"] >= seen["leder"] > seen["tilrettelegger1"] > 0

    status, spec = call(base, "GET", "/api/openapi.json")
    assert status == 200 and spec["info"]["title"] == "Spire"

    log = access_log.read_text()
    assert "/api/v1/participants" in log
    assert "q=a" not in log and "?" not in log
