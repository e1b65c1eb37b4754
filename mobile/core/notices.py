"""The notices the server has for the staff's phones (GET /notifications): a call is due,
due again, or a participant should get a home visit. Each is shown once, even across
restarts of the app, and none is missed after a morning offline."""

import threading
from datetime import datetime, timedelta

from mobile.core.client import Client, logged_in_user
from mobile.core.store import Store

# On the first poll after a login: the notices of the last hours, by the server's clock.
FIRST_LOOK_BACK = timedelta(hours=12)
# Each poll asks again for a few minutes before the last notice it got: a notice whose
# dispatcher committed a little late is not skipped (the ids tell what was shown).
OVERLAP = timedelta(minutes=5)
PAGE = 100  # the server's page of notices
MAX_PAGES = 10
REMEMBERED = 200


def _sent(notice: dict) -> datetime:
    return datetime.fromisoformat(notice["sent_at"])


class NoticeFeed:
    def __init__(self, client: Client, store: Store):
        self.client = client
        self.store = store
        self._lock = threading.Lock()

    @property
    def recent(self) -> list[dict]:
        """The notices seen so far, newest first (for the list on the screen)."""
        return self.store.get("notices", [])

    def poll(self) -> list[dict]:
        """What is new since the last poll, not shown before, oldest first."""
        with self._lock:
            user = (logged_in_user(self.store) or {}).get("id")
            cursor = self.store.get("notices_since")
            fetched = self._first_look() if cursor is None else self._since(cursor)
            if (logged_in_user(self.store) or {}).get("id") != user:
                return []  # the login ended meanwhile: nothing of it is kept
            known = {notice["id"] for notice in self.recent}
            new = sorted({n["id"]: n for n in fetched if n["id"] not in known}.values(), key=_sent)
            latest = max((_sent(n) for n in fetched), default=None)
            if latest is not None and (cursor is None or latest > datetime.fromisoformat(cursor)):
                cursor = latest.isoformat()
            self.store.put(notices_since=cursor, notices=(new[::-1] + self.recent)[:REMEMBERED])
            return new

    def _first_look(self) -> list[dict]:
        """The newest notices, those of the last hours by the server's own clock."""
        notices = self.client.call("GET", "/notifications") or []
        now = self.client.server_time
        if now is None:
            return notices
        return [n for n in notices if _sent(n) >= now - FIRST_LOOK_BACK]

    def _since(self, cursor: str) -> list[dict]:
        since = datetime.fromisoformat(cursor) - OVERLAP
        fetched: list[dict] = []
        for _ in range(MAX_PAGES):  # oldest first: page on by the last one got
            page = self.client.call("GET", "/notifications", query={"since": since.isoformat()})
            fetched += page or []
            if not page or len(page) < PAGE:
                break
            since = _sent(page[-1])
        return fetched

    def forget(self) -> None:
        with self._lock:
            self.store.put(notices_since=None, notices=[])
