"""Configuration from the environment (see the API contract's "Configuration")."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

from shared.i18n import LANGUAGES


class ConfigError(RuntimeError):
    """The environment does not describe a runnable Spire."""


def _secret_key(instance_path: Path) -> str:
    """The secret from SPIRE_SECRET_KEY, or one generated once and kept in instance/."""
    key = os.environ.get("SPIRE_SECRET_KEY")
    if key:
        return key
    path = instance_path / "secret_key"
    if not path.exists():
        # Written whole under another name, then linked into place: workers starting at
        # once either make the file or find it complete, never half-written.
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".secret_key.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(draft)
    return path.read_text().strip()


def load(instance_path: str, overrides: dict | None = None) -> dict:
    """Build the Flask config mapping; ``overrides`` (tests) win over the environment."""
    overrides = overrides or {}
    env = overrides.get("SPIRE_ENV", os.environ.get("SPIRE_ENV", "development"))
    instance = Path(instance_path)
    database_url = overrides.get("SQLALCHEMY_DATABASE_URI") or os.environ.get("DATABASE_URL")
    if env == "production":
        if not os.environ.get("SPIRE_SECRET_KEY") and "SECRET_KEY" not in overrides:
            raise ConfigError("SPIRE_SECRET_KEY must be set when SPIRE_ENV=production")
        if not database_url or database_url.startswith("sqlite"):
            raise ConfigError("SPIRE_ENV=production needs a PostgreSQL DATABASE_URL, not SQLite")
    if not database_url:
        instance.mkdir(parents=True, exist_ok=True)
        database_url = f"sqlite:///{instance / 'spire.db'}"
    database_url = _normalise_database_url(database_url)
    secret = overrides.get("SECRET_KEY") or _secret_key(instance)

    config = {
        "SPIRE_ENV": env,
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": _engine_options(database_url),
        "SPIRE_TIMEZONE": os.environ.get("SPIRE_TIMEZONE", "Europe/Oslo"),
        # The language of answers to a request that names none of Spire's languages
        # (Accept-Language) and comes from no user (nb, da or en).
        "SPIRE_LANGUAGE": os.environ.get("SPIRE_LANGUAGE", "nb"),
        "REDIS_URL": os.environ.get("REDIS_URL") or None,
        # Behind the compose proxy: how many proxies set X-Forwarded-For.
        "SPIRE_PROXY_COUNT": int(os.environ.get("SPIRE_PROXY_COUNT", "0")),
        # A request still running after this many seconds is stopped and answered 503,
        # well before gunicorn's worker timeout (30 s) would kill the worker.
        "SPIRE_REQUEST_BUDGET_SECONDS": float(os.environ.get("SPIRE_REQUEST_BUDGET_SECONDS", "20")),
        # Bodies above this are refused with 413 (a full /sync batch stays well below it).
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        # Login throttling: failures allowed per window, per account and per address.
        "SPIRE_LOGIN_WINDOW_SECONDS": int(os.environ.get("SPIRE_LOGIN_WINDOW_SECONDS", "900")),
        "SPIRE_LOGIN_MAX_FAILURES_ACCOUNT": int(
            os.environ.get("SPIRE_LOGIN_MAX_FAILURES_ACCOUNT", "5")
        ),
        "SPIRE_LOGIN_MAX_FAILURES_ADDRESS": int(
            os.environ.get("SPIRE_LOGIN_MAX_FAILURES_ADDRESS", "20")
        ),
        # Guessing survey codes: lookups and answers with an unknown code allowed per
        # address in a window. The address is kept only as a keyed hash, and only until
        # its window ends.
        "SPIRE_SURVEY_WINDOW_SECONDS": int(os.environ.get("SPIRE_SURVEY_WINDOW_SECONDS", "600")),
        "SPIRE_SURVEY_MAX_UNKNOWN_CODES": int(
            os.environ.get("SPIRE_SURVEY_MAX_UNKNOWN_CODES", "20")
        ),
        # Addresses in the security event log are cleared after this many days
        # (flask security-events clear-addresses).
        "SPIRE_SECURITY_ADDRESS_DAYS": int(os.environ.get("SPIRE_SECURITY_ADDRESS_DAYS", "90")),
        # Argon2id cost; "fast" is for the test suite only.
        "SPIRE_PASSWORD_HASHING": os.environ.get("SPIRE_PASSWORD_HASHING", "standard"),
        # Wake-up calls: due again this long after an unanswered try; flagged for a home
        # visit after this many unanswered tries.
        "SPIRE_WAKEUP_RETRY_MINUTES": int(os.environ.get("SPIRE_WAKEUP_RETRY_MINUTES", "15")),
        "SPIRE_WAKEUP_MAX_UNANSWERED": int(os.environ.get("SPIRE_WAKEUP_MAX_UNANSWERED", "3")),
        # The SMS gateway; without a URL, messages to participants go to the log.
        "SPIRE_SMS_URL": os.environ.get("SPIRE_SMS_URL") or None,
        "SPIRE_SMS_TOKEN": os.environ.get("SPIRE_SMS_TOKEN") or None,
        "SPIRE_SMS_SENDER": os.environ.get("SPIRE_SMS_SENDER", "Spire"),
        "SPIRE_SMS_TIMEOUT": float(os.environ.get("SPIRE_SMS_TIMEOUT", "5")),
        # The office pages: the session cookie is Secure (HTTPS, or a browser on the same
        # machine) unless turned off for a test installation on plain HTTP; a session ends
        # after this long without a request, and in any case this long after signing in.
        "SPIRE_OFFICE_SECURE_COOKIE": os.environ.get("SPIRE_OFFICE_SECURE_COOKIE", "true").lower()
        not in ("0", "false", "no"),
        "SPIRE_OFFICE_IDLE_MINUTES": int(os.environ.get("SPIRE_OFFICE_IDLE_MINUTES", "30")),
        "SPIRE_OFFICE_SESSION_HOURS": int(os.environ.get("SPIRE_OFFICE_SESSION_HOURS", "12")),
        # Tokens.
        "JWT_SECRET_KEY": secret,
        "JWT_ALGORITHM": "HS256",
        "JWT_DECODE_ALGORITHMS": ["HS256"],
        "JWT_TOKEN_LOCATION": ["headers"],
        "JWT_ACCESS_TOKEN_EXPIRES": timedelta(minutes=15),
        "JWT_REFRESH_TOKEN_EXPIRES": timedelta(
            days=int(os.environ.get("SPIRE_REFRESH_DAYS", "14"))
        ),
        "JWT_ERROR_MESSAGE_KEY": "message",
        # OpenAPI and the offline docs page.
        "API_TITLE": "Spire",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/",
        "OPENAPI_JSON_PATH": "api/openapi.json",
        "OPENAPI_SWAGGER_UI_PATH": "docs",
        "OPENAPI_SWAGGER_UI_URL": "/docs/assets/",
        "API_SPEC_OPTIONS": {
            "info": {"description": "Spire API v1: follow-up of participants in work training."},
            "components": {
                "securitySchemes": {
                    "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
                }
            },
        },
    }
    config.update(overrides)
    if config["SPIRE_LANGUAGE"] not in LANGUAGES:
        raise ConfigError(f"SPIRE_LANGUAGE must be one of {', '.join(LANGUAGES)}")
    if not config["SPIRE_REQUEST_BUDGET_SECONDS"] > 0:
        raise ConfigError("SPIRE_REQUEST_BUDGET_SECONDS must be a number of seconds above 0")
    return config


def _normalise_database_url(url: str) -> str:
    """Accept the usual ``postgres://`` / ``postgresql://`` forms and use psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _engine_options(url: str) -> dict:
    if url.startswith("sqlite"):
        # The app is threaded in development; SQLite waits instead of failing on a lock.
        # Statement parameters (personal data) never go into errors or logs.
        return {"connect_args": {"timeout": 15}, "hide_parameters": True}
    # No ping per checkout (a round trip per request): a connection PostgreSQL dropped
    # fails one request with 503, is discarded by the pool, and the phone retries.
    return {
        "pool_pre_ping": False,
        "pool_recycle": 1800,
        "pool_size": 5,
        "max_overflow": 5,
        "hide_parameters": True,
    }
