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
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

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


class Gunicorn:
    """Spire under gunicorn with ``workers`` sync workers, on a port of its own that it
    keeps when stopped and started again (a phone remembers the address)."""

    def __init__(self, env: dict, workers: int):
        self.port = free_port()
        self.env = {**env, "SPIRE_BIND": f"127.0.0.1:{self.port}", "SPIRE_WORKERS": str(workers)}
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "docker/gunicorn.conf.py", "server.wsgi:app"],
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(150):
            try:
                if call(self.base, "GET", "/health")[0] == 200:
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        pytest.fail("gunicorn did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None


@contextmanager
def gunicorn(env: dict, workers: int):
    """Spire under gunicorn with ``workers`` sync workers; yields its base URL."""
    server = Gunicorn(env, workers)
    server.start()
    try:
        yield server.base
    finally:
        server.stop()


FLASK = [sys.executable, "-m", "flask", "--app", "server"]
POSTGRES_URL = os.environ.get("SPIRE_TEST_DATABASE_URL")


@contextmanager
def demo_database(suffix: str = "demo"):
    """The demo's own database: on PostgreSQL (when the suite runs on it) one named after
    the suite's with ``_demo`` (``suffix``) added, made empty here and dropped after; else
    None, and the demo keeps its SQLite file in its instance folder."""
    if not POSTGRES_URL:
        yield None
        return
    url = make_url(POSTGRES_URL)
    name = f"{url.database}_{suffix}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    drop = text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    try:
        with admin.connect() as connection:
            connection.execute(drop)
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(drop)
        admin.dispose()


@dataclass
class DemoServer:
    """Spire with the demo data under gunicorn: ``base`` URL, the demo's ``seeded`` output
    (its logins), the server's ``access_log``, and the ``env`` its commands run with.
    Unpacks as ``base, seeded, access_log``. ``stop()`` and ``start()`` take it off the
    network and bring it back on the same address and database."""

    base: str
    seeded: str
    access_log: Path
    env: dict
    server: Gunicorn

    def __iter__(self):
        return iter((self.base, self.seeded, self.access_log))

    def stop(self) -> None:
        self.server.stop()

    def start(self) -> None:
        self.server.start()

    def flask(self, *args: str) -> str:
        """A ``flask --app server`` command on the demo's database; its output."""
        return subprocess.run(
            [*FLASK, *args], env=self.env, cwd=ROOT, check=True, capture_output=True, text=True
        ).stdout


@contextmanager
def running_demo(tmp_path: Path, suffix: str = "demo"):
    """Spire with the demo data under gunicorn, in ``tmp_path``, on a database of its own
    (``suffix`` names it on PostgreSQL)."""
    env = {
        **os.environ,
        "SPIRE_INSTANCE_PATH": str(tmp_path / "instance"),
        "SPIRE_PASSWORD_HASHING": "fast",
        "SPIRE_ACCESS_LOG": str(tmp_path / "access.log"),
    }
    env.pop("DATABASE_URL", None)
    with demo_database(suffix) as database_url:
        if database_url:
            env["DATABASE_URL"] = database_url
        server = Gunicorn(env, workers=2)
        demo = DemoServer(server.base, "", tmp_path / "access.log", server.env, server)
        demo.flask("db", "upgrade")
        demo.seeded = demo.flask("seed-demo")
        server.start()
        try:
            yield demo
        finally:
            server.stop()


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    with running_demo(tmp_path_factory.mktemp("demo")) as demo:
        yield demo
