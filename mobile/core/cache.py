"""The copies of what the server showed, kept so the app opens and works with no network:
the day's list and the wake-up calls per department and date, and participants' pages,
each with the ``ETag`` it came with and when it was fetched.

A refresh sends ``If-None-Match`` with the copy's ETag: 304 means the copy is still good
(only ``fetched_at`` moves); a server that sends no ETag is simply asked again. Every copy
belongs to the user it was fetched for and is shown to no one else; one that comes back
after its user has logged out is dropped.
"""

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from mobile.core.client import Client, LoggedOut, logged_in_user
from mobile.core.clock import Clock
from mobile.core.localdb import LocalDb, dumps
from mobile.core.store import Store


@dataclass(frozen=True)
class Cached:
    key: str
    body: object
    etag: str | None
    fetched_at: datetime


def today_key(department_id: str, day: str) -> str:
    return f"today/{department_id}/{day}"


def wakeups_key(department_id: str, day: str) -> str:
    return f"wakeups/{department_id}/{day}"


def page_key(participant_id: str) -> str:
    return f"page/{participant_id}"


class Cache:
    def __init__(self, db: LocalDb, store: Store, client: Client, clock: Clock):
        self.db = db
        self.store = store
        self.client = client
        self.clock = clock

    def _user_id(self) -> str | None:
        user = logged_in_user(self.store)
        return user["id"] if user else None

    def get(self, key: str) -> Cached | None:
        """The current user's copy, if there is one."""
        rows = self.db.rows(
            "SELECT * FROM cache WHERE user_id = ? AND key = ?", self._user_id(), key
        )
        if not rows:
            return None
        row = rows[0]
        return Cached(
            key, json.loads(row["body"]), row["etag"], datetime.fromisoformat(row["fetched_at"])
        )

    def keys(self, prefix: str) -> list[str]:
        rows = self.db.rows(
            "SELECT key FROM cache WHERE user_id = ? AND key LIKE ? ORDER BY key",
            self._user_id(),
            prefix.replace("%", "") + "%",
        )
        return [row["key"] for row in rows]

    def refresh(self, key: str, path: str, query: dict | None = None) -> Cached:
        """Ask the server for a newer copy (network); the copy as it is after."""
        user_id = self._user_id()
        if user_id is None:
            raise LoggedOut(401, {"message": "Not logged in."})
        copy = self.get(key)
        fetched = self.client.fetch(path, query, copy.etag if copy else None)
        now = self.clock.now()
        with self.db.transaction() as db:
            if self._user_id() != user_id:
                raise LoggedOut(401, {"message": "Logged out meanwhile."})
            if fetched.status == 304 and copy is not None:
                db.execute(
                    "UPDATE cache SET fetched_at = ? WHERE user_id = ? AND key = ?",
                    (now.isoformat(), user_id, key),
                )
            else:
                db.execute(
                    "INSERT OR REPLACE INTO cache (user_id, key, etag, fetched_at, body)"
                    " VALUES (?, ?, ?, ?, ?)",
                    (user_id, key, fetched.etag, now.isoformat(), dumps(fetched.body)),
                )
        return self.get(key)

    @staticmethod
    def patch(db: sqlite3.Connection, user_id: str, key: str, change: Callable) -> None:
        """Change a copy in place, inside the caller's transaction (a write the server has
        taken shows on the list before the next refresh). The ETag goes: a copy changed
        here is no longer one the server sent, so the next refresh gets it whole rather
        than have a 304 confirm it."""
        row = db.execute(
            "SELECT body FROM cache WHERE user_id = ? AND key = ?", (user_id, key)
        ).fetchone()
        if row is None:
            return
        body = json.loads(row["body"])
        if change(body):
            db.execute(
                "UPDATE cache SET body = ?, etag = NULL WHERE user_id = ? AND key = ?",
                (dumps(body), user_id, key),
            )

    def keys_of(self, db: sqlite3.Connection, user_id: str, prefix: str) -> list[str]:
        rows = db.execute(
            "SELECT key FROM cache WHERE user_id = ? AND key LIKE ?", (user_id, prefix + "%")
        ).fetchall()
        return [row["key"] for row in rows]
