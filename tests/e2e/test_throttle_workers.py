"""Login throttling holds across gunicorn workers without Redis: the counters are in the
database every worker uses (SQLite here, PostgreSQL when the suite runs on it)."""

import os
import subprocess
import threading

import pytest

from tests.e2e.conftest import FLASK, ROOT, call, gunicorn

PASSWORD = "Lang-Og-Trygg-Frase-8"
WORKERS = 5


@pytest.fixture
def server_env(database_url, tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SPIRE_INSTANCE_PATH": str(tmp_path / "instance"),
        "SPIRE_PASSWORD_HASHING": "fast",
        "SPIRE_ACCESS_LOG": str(tmp_path / "access.log"),
        # The account's limit (5) is the one under test.
        "SPIRE_LOGIN_MAX_FAILURES_ADDRESS": "1000",
        "SPIRE_PASSWORD": PASSWORD,
    }
    env.pop("REDIS_URL", None)
    subprocess.run(
        [*FLASK, "create-user", "kari", "--role", "leader", "--department", "Songdalen"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return env


def test_parallel_wrong_passwords_across_workers_cannot_pass_the_limit(server_env):
    """25 wrong passwords at once spread over 5 workers: 5 are checked, 20 refused, and
    the right password that follows is refused too. With a counter per worker, each
    worker would have checked 5 and the right password would have logged in."""
    with gunicorn(server_env, workers=WORKERS) as base:
        statuses, barrier = [], threading.Barrier(25)

        def guess(n):
            barrier.wait()
            body = {"username": "kari", "password": f"wrong-guess-{n}"}
            statuses.append(call(base, "POST", "/api/v1/auth/login", body)[0])

        threads = [threading.Thread(target=guess, args=(n,)) for n in range(25)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

        assert sorted(statuses) == [401] * 5 + [429] * 20
        status, body = call(
            base, "POST", "/api/v1/auth/login", {"username": "kari", "password": PASSWORD}
        )
        assert status == 429, body
