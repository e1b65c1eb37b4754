"""Configuration from the environment."""

import pytest

from server import create_app
from server.config import ConfigError


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    for name in ("SPIRE_ENV", "SPIRE_SECRET_KEY", "DATABASE_URL", "REDIS_URL", "SPIRE_TIMEZONE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SPIRE_INSTANCE_PATH", str(tmp_path / "instance"))
    return monkeypatch


def test_production_needs_a_secret_key(clean_env):
    clean_env.setenv("SPIRE_ENV", "production")
    clean_env.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    with pytest.raises(ConfigError, match="SPIRE_SECRET_KEY"):
        create_app()


@pytest.mark.parametrize("url", [None, "sqlite:////tmp/spire.db"])
def test_production_refuses_sqlite(clean_env, url):
    clean_env.setenv("SPIRE_ENV", "production")
    clean_env.setenv("SPIRE_SECRET_KEY", "x" * 48)
    if url:
        clean_env.setenv("DATABASE_URL", url)
    with pytest.raises(ConfigError, match="PostgreSQL"):
        create_app()


def test_production_starts_with_secret_and_postgres(clean_env):
    clean_env.setenv("SPIRE_ENV", "production")
    clean_env.setenv("SPIRE_SECRET_KEY", "x" * 48)
    clean_env.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")
    assert app.config["SECRET_KEY"] == "x" * 48


def test_development_defaults(clean_env, tmp_path):
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/instance/spire.db"
    assert app.config["SPIRE_TIMEZONE"] == "Europe/Oslo"
    key_file = tmp_path / "instance" / "secret_key"
    assert key_file.read_text() == app.config["SECRET_KEY"]
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    # The generated key is kept: a restart signs with the same key.
    assert create_app().config["SECRET_KEY"] == app.config["SECRET_KEY"]


def test_timezone_and_redis_from_environment(clean_env):
    clean_env.setenv("SPIRE_TIMEZONE", "Europe/Stockholm")
    clean_env.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    app = create_app()
    assert app.config["SPIRE_TIMEZONE"] == "Europe/Stockholm"
    assert app.config["REDIS_URL"] == "redis://127.0.0.1:6379/0"


def test_health_is_503_when_the_database_is_unreachable(clean_env, tmp_path):
    from tests.conftest import base_config

    app = create_app(base_config("postgresql+psycopg://postgres@127.0.0.1:1/none"))
    response = app.test_client().get("/health")
    assert response.status_code == 503
    assert response.json == {"status": "error", "database": "unreachable"}


def test_request_lines_lose_their_query_strings():
    import logging

    from server.logs import RedactQueryStrings

    for line in (
        '"GET /api/v1/participants?q=Kari HTTP/1.1" 200 -',
        '"GET http://spire.local/api/v1/participants?q=Kari HTTP/1.1" 200 -',
    ):
        record = logging.LogRecord("werkzeug", logging.INFO, "", 0, "%s", (line,), None)
        RedactQueryStrings().filter(record)
        assert "Kari" not in record.getMessage()
        assert "/api/v1/participants?" in record.getMessage()


def test_control_characters_in_logged_values_are_escaped(app):
    """A request line with a decoded %0A (or any control character) cannot start a line of
    its own in the log, whichever logger writes it and however it formats its values."""
    import logging

    forged = '/api/v1/x\n127.0.0.1 - - [01/Jan/2026] "GET /admin HTTP/1.1" 200 -\x1b[31m\u2028'
    records = [
        logging.getLogger("werkzeug").makeRecord(
            "werkzeug", logging.INFO, "", 0, '"%s" %s %s', (f"GET {forged} HTTP/1.1", 200, 5), None
        ),
        logging.getLogger("gunicorn.access").makeRecord(
            "gunicorn.access",
            logging.INFO,
            "",
            0,
            '"%(m)s %(U)s"',
            ({"m": "GET", "U": forged},),
            None,
        ),
        logging.getLogger("spire").makeRecord(
            "spire", logging.INFO, "", 0, f"failed for {forged}", (), None
        ),
    ]
    for record in records:
        message = logging.Formatter().format(record)
        assert "\n" not in message and "\x1b" not in message and "\u2028" not in message
        assert "/api/v1/x\\n127.0.0.1" in message


def test_workers_starting_at_once_share_one_secret_key(clean_env, tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    from server.config import _secret_key

    with ThreadPoolExecutor(8) as pool:
        keys = set(pool.map(lambda _: _secret_key(tmp_path / "shared"), range(32)))
    assert len(keys) == 1 and len(keys.pop()) > 40
    assert [p.name for p in (tmp_path / "shared").iterdir()] == ["secret_key"]


@pytest.mark.parametrize("budget", ["0", "-5"])
def test_a_request_budget_must_be_above_zero(clean_env, monkeypatch, tmp_path, budget):
    from server.config import ConfigError, load

    monkeypatch.setenv("SPIRE_REQUEST_BUDGET_SECONDS", budget)
    with pytest.raises(ConfigError, match="SPIRE_REQUEST_BUDGET_SECONDS"):
        load(str(tmp_path))
