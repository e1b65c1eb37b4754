"""Counting failed logins per account and per address within a window.

In-process by default; shared through Redis when ``REDIS_URL`` is set, so every worker
sees the same counts. Keys never hold a username in clear text.
"""

import hashlib
import threading
import time
from typing import Protocol

from flask import current_app


class CounterStore(Protocol):
    def count(self, key: str) -> tuple[int, int]:
        """(failures, seconds until the window ends)."""

    def add(self, key: str, window: int) -> int:
        """Count one more; the count after it."""

    def subtract(self, key: str) -> None: ...

    def clear(self, key: str) -> None: ...


class MemoryStore:
    def __init__(self):
        self._lock = threading.Lock()
        self._counters: dict[str, tuple[int, float]] = {}

    def count(self, key):
        with self._lock:
            failures, ends = self._counters.get(key, (0, 0.0))
            now = time.time()
            if ends <= now:
                self._counters.pop(key, None)
                return 0, 0
            return failures, int(ends - now) + 1

    def add(self, key, window):
        with self._lock:
            now = time.time()
            failures, ends = self._counters.get(key, (0, 0.0))
            if ends <= now:
                failures, ends = 0, now + window
            self._counters[key] = (failures + 1, ends)
            if len(self._counters) > 100_000:  # bound memory under a spraying attack
                for stale in [k for k, (_, e) in self._counters.items() if e <= now]:
                    del self._counters[stale]
            return failures + 1

    def subtract(self, key):
        with self._lock:
            failures, ends = self._counters.get(key, (0, 0.0))
            if failures > 0:
                self._counters[key] = (failures - 1, ends)

    def clear(self, key):
        with self._lock:
            self._counters.pop(key, None)


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
    extension = current_app.extensions.get("spire_throttle")
    if extension is None:
        url = current_app.config.get("REDIS_URL")
        extension = RedisStore(url) if url else MemoryStore()
        current_app.extensions["spire_throttle"] = extension
    return extension


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()[:32]
    return f"spire:login-failures:{kind}:{digest}"


class LoginThrottle:
    """The two limits on failed logins: per account and per address.

    Every attempt is counted *before* the password is checked, atomically, so a burst of
    parallel guesses cannot all slip through while the first ones are being verified; a
    successful login takes its count back."""

    def __init__(self, username: str, address: str):
        config = current_app.config
        self.window = config["SPIRE_LOGIN_WINDOW_SECONDS"]
        self.limits = {
            _key("account", username.casefold()): config["SPIRE_LOGIN_MAX_FAILURES_ACCOUNT"],
            _key("address", address): config["SPIRE_LOGIN_MAX_FAILURES_ADDRESS"],
        }
        self.account_key = next(iter(self.limits))
        self.store = store()

    def attempt(self) -> int:
        """Count this attempt; the seconds to wait if a limit is passed, else 0."""
        waits = []
        for key, limit in self.limits.items():
            if self.store.add(key, self.window) > limit:
                waits.append(self.store.count(key)[1])
        return max(waits, default=0)

    def succeeded(self) -> None:
        self.store.clear(self.account_key)
        for key in self.limits:
            if key != self.account_key:
                self.store.subtract(key)
