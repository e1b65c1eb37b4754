"""Counting login attempts per account and per address within a window.

The counts are shared by every worker: in Redis when ``REDIS_URL`` is set, else in the
database. Keys never hold a username in clear text.
"""

import hashlib
from datetime import timedelta
from typing import Protocol

from sqlalchemy import case, delete, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite

from server import clock, settings
from server.database import db
from server.models import LoginCounter
from server.models.base import UTCDateTime

_COUNTERS = LoginCounter.__table__


class CounterStore(Protocol):
    def count(self, key: str) -> tuple[int, int]:
        """(failures, seconds until the window ends)."""

    def add(self, key: str, window: int) -> int:
        """Count one more; the count after it."""

    def subtract(self, key: str) -> None: ...

    def clear(self, key: str) -> None: ...


class DatabaseStore:
    """Counters in the database (table ``login_counters``), shared by every worker and
    every host that uses it. Each change commits at once, in a transaction of its own,
    whatever the request goes on to do: an INSERT ... ON CONFLICT DO UPDATE counts
    atomically however many workers count the same key at once (PostgreSQL locks the row;
    SQLite serialises writers). Windows that have ended are deleted after each count, in
    a transaction that holds no other lock and skips rows another worker has locked, so
    two sweeps or a sweep and a count never wait on each other in a cycle."""

    def __init__(self, engine):
        self._engine = engine

    def count(self, key):
        now = clock.now()
        with self._engine.connect() as connection:
            row = connection.execute(
                select(_COUNTERS.c.attempts, _COUNTERS.c.window_ends).where(
                    _COUNTERS.c.key == key, _COUNTERS.c.window_ends > now
                )
            ).first()
        if row is None:
            return 0, 0
        return row.attempts, int((row.window_ends - now).total_seconds()) + 1

    def add(self, key, window):
        now = clock.now()
        ends = now + timedelta(seconds=window)
        with self._engine.begin() as connection:
            dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
            statement = dialect.insert(_COUNTERS).values(key=key, attempts=1, window_ends=ends)
            ended = _COUNTERS.c.window_ends <= literal(now, UTCDateTime())
            statement = statement.on_conflict_do_update(
                index_elements=[_COUNTERS.c.key],
                set_={
                    "attempts": case((ended, 1), else_=_COUNTERS.c.attempts + 1),
                    "window_ends": case(
                        (ended, literal(ends, UTCDateTime())), else_=_COUNTERS.c.window_ends
                    ),
                },
            ).returning(_COUNTERS.c.attempts)
            attempts = connection.execute(statement).scalar_one()
        with self._engine.begin() as connection:
            ended = (
                select(_COUNTERS.c.key)
                .where(_COUNTERS.c.window_ends <= now)
                .with_for_update(skip_locked=True)
            )
            connection.execute(delete(_COUNTERS).where(_COUNTERS.c.key.in_(ended)))
        return attempts

    def subtract(self, key):
        with self._engine.begin() as connection:
            connection.execute(
                update(_COUNTERS)
                .where(_COUNTERS.c.key == key, _COUNTERS.c.attempts > 0)
                .values(attempts=_COUNTERS.c.attempts - 1)
            )

    def clear(self, key):
        with self._engine.begin() as connection:
            connection.execute(delete(_COUNTERS).where(_COUNTERS.c.key == key))


class RedisStore:
    def __init__(self, url: str):
        import redis

        self._redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)

    def count(self, key):
        pipe = self._redis.pipeline()
        pipe.get(key)
        pipe.ttl(key)
        value, ttl = pipe.execute()
        return (int(value), max(int(ttl), 1)) if value else (0, 0)

    def add(self, key, window):
        pipe = self._redis.pipeline()
        pipe.incr(key)
        pipe.expire(key, window, nx=True)
        count, _ = pipe.execute()
        return int(count)

    def subtract(self, key):
        self._redis.decr(key)

    def clear(self, key):
        self._redis.delete(key)


def store() -> CounterStore:
    """The app's store, made on first use."""
    return settings.made_once("spire_throttle", _new_store)


def _new_store() -> CounterStore:
    url = settings.config().get("REDIS_URL")
    return RedisStore(url) if url else DatabaseStore(db.engine)


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()[:32]
    return f"spire:login-failures:{kind}:{digest}"


class LoginThrottle:
    """The two limits on login attempts: per account and per address.

    Every attempt is counted *before* the password is checked, atomically, so a burst of
    parallel guesses cannot all slip through while the first ones are being verified; a
    successful login takes its count back."""

    def __init__(self, username: str, address: str):
        config = settings.config()
        self.window = config["SPIRE_LOGIN_WINDOW_SECONDS"]
        self.account_key = _key("account", username.casefold())
        self.address_key = _key("address", address)
        self.limits = {
            "account": (self.account_key, config["SPIRE_LOGIN_MAX_FAILURES_ACCOUNT"]),
            "address": (self.address_key, config["SPIRE_LOGIN_MAX_FAILURES_ADDRESS"]),
        }
        self.store = store()
        # The limits this attempt passed ("account", "address").
        self.passed: list[str] = []

    def attempt(self) -> int:
        """Count this attempt; the seconds to wait if a limit is passed, else 0."""
        waits = []
        for name, (key, limit) in self.limits.items():
            if self.store.add(key, self.window) > limit:
                self.passed.append(name)
                waits.append(self.store.count(key)[1])
        return max(waits, default=0)

    def succeeded(self) -> None:
        self.store.clear(self.account_key)
        self.store.subtract(self.address_key)
