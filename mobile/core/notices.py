"""The notices the server has for the staff's phones (GET /notifications): a call is due,
due again, or a participant should get a home visit. Each is shown once, even across
restarts of the app."""

from datetime import UTC, datetime, timedelta

from mobile.core.client import Client
from mobile.core.store import Store

# On the first poll after a login: today's notices, not last week's.
FIRST_LOOK_BACK = timedelta(hours=12)
REMEMBERED = 200


class NoticeFeed:
    def __init__(self, client: Client, store: Store):
        self.client = client
        self.store = store

    @property
    def recent(self) -> list[dict]:
        """The notices seen so far, newest first (for the list on the screen)."""
        return self.store.get("notices", [])

    def poll(self, now: datetime | None = None) -> list[dict]:
        """Fetch what is new since the last poll; returns the notices not shown before,
        oldest first (the order to show them in)."""
        since = self.store.get("notices_since")
        if since is None:
            since = ((now or datetime.now(UTC)) - FIRST_LOOK_BACK).isoformat()
        fetched = self.client.call("GET", "/notifications", query={"since": since}) or []
        known = {notice["id"] for notice in self.recent}
        new = [notice for notice in fetched if notice["id"] not in known]
        latest = max([datetime.fromisoformat(n["sent_at"]) for n in fetched], default=None)
        if latest is not None and latest > datetime.fromisoformat(since):
            since = latest.isoformat()
        self.store.put(
            notices_since=since,
            notices=(sorted(new, key=_sent, reverse=True) + self.recent)[:REMEMBERED],
        )
        return sorted(new, key=_sent)

    def forget(self) -> None:
        self.store.put(notices_since=None, notices=[])


def _sent(notice: dict) -> datetime:
    return datetime.fromisoformat(notice["sent_at"])
