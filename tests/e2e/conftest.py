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


def _holding(port: int) -> socket.socket:
    """A socket bound to ``port`` (0: any free one) and not listening: while it is open no
    other process is given the port (``SO_REUSEADDR``: the connections of a server just
    stopped may still linger on it)."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(("127.0.0.1", port))
    except OSError:
        sock.close()
        raise
    return sock


class Gunicorn:
    """Spire under gunicorn with ``workers`` sync workers, on a port of its own that it
    keeps when stopped and started again (a phone remembers the address).

    The port stays this process's all along, so a test run beside this one (the SQLite
    and PostgreSQL suites run side by side) never takes it while the server is stopped:
    gunicorn is handed the bound socket itself (``fd://``), and once it has stopped the
    socket is bound again at once, not listening (a client is refused, as by a server
    that is down, instead of waiting in a queue). Should the port be lost all the same in
    that instant, the server moves to a new one, and ``base`` says which."""

    def __init__(self, env: dict, workers: int):
        self.env = {**env, "SPIRE_WORKERS": str(workers)}
        self._socket = _holding(0)
        self.port = self._socket.getsockname()[1]
        self.process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        fd = self._socket.fileno()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "docker/gunicorn.conf.py", "server.wsgi:app"],
            env={**self.env, "SPIRE_BIND": f"fd://{fd}"},
            cwd=ROOT,
            pass_fds=(fd,),
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
            # Still listening here (the same socket gunicorn had): bound again, not.
            self._socket.close()
            try:
                self._socket = _holding(self.port)
            except OSError:
                self._socket = _holding(0)
                self.port = self._socket.getsockname()[1]

    def close(self) -> None:
        self.stop()
        self._socket.close()


@contextmanager
def gunicorn(env: dict, workers: int):
    """Spire under gunicorn with ``workers`` sync workers; yields its base URL."""
    server = Gunicorn(env, workers)
    server.start()
    try:
        yield server.base
    finally:
        server.close()


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
    network and bring it back on the same address (``Gunicorn`` keeps the port) and
    database."""

    seeded: str
    access_log: Path
    env: dict
    server: Gunicorn

    @property
    def base(self) -> str:
        return self.server.base

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
        demo = DemoServer("", tmp_path / "access.log", server.env, server)
        try:
            demo.flask("db", "upgrade")
            demo.seeded = demo.flask("seed-demo")
            server.start()
            yield demo
        finally:
            server.close()


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    with running_demo(tmp_path_factory.mktemp("demo")) as demo:
        yield demo
