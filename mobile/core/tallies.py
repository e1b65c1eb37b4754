"""The anonymous tally (anonym registrering) from the phone: the organisation's activities,
fetched and kept so the screen works offline; a tally written through the outbox with a
fresh client id (``PUT /tallies/{id}``: the activity, who, how many, the day, whether it
was a first contact; no name); the last one undone; and what this phone recorded today.

What this phone recorded is read from the outbox (not yet sent) and from the writes the
server took (``sent``, kept for the day's undo, as attendance is): nothing is fetched.
"""

import json
from dataclasses import dataclass
from datetime import date, timedelta

from mobile.core.cache import Cache
from mobile.core.clock import Clock
from mobile.core.localdb import LocalDb
from mobile.core.outbox import Entry, Kind, Outbox, State
from mobile.core.session import Session
from shared.vocab import TallyWho

ACTIVITIES_KEY = "tally-activities"
MAX_COUNT = 500


@dataclass(frozen=True)
class Recorded:
    """A tally this phone recorded, as the screen shows it."""

    op_id: str
    seq: int
    activity_id: str
    activity: str
    who: str
    count: int
    first_contact: bool
    day: str
    department_id: str
    waiting: bool  # not yet on the server
    attention: bool  # the server refused it


@dataclass(frozen=True)
class Undone:
    """What an undo took back; ``entry`` is the queued DELETE, None when the tally had
    not left the phone (it was simply taken out of the outbox)."""

    recorded: Recorded
    entry: Entry | None


class Tallies:
    def __init__(self, session: Session, cache: Cache, outbox: Outbox, db: LocalDb, clock: Clock):
        self.session = session
        self.cache = cache
        self.outbox = outbox
        self.db = db
        self.clock = clock

    # The activities --------------------------------------------------------------------

    def activities(self) -> list[dict]:
        """The organisation's active activities in their order (``{id, name, ...}``), as
        last fetched (no network); empty before the first fetch."""
        self.session.check_unlocked()
        copy = self.cache.get(ACTIVITIES_KEY)
        return [a for a in (copy.body if copy else []) if a.get("active", True)]

    def refresh(self) -> list[dict]:
        """Fetch the activities again (network), then ``activities``."""
        self.session.check_unlocked()
        self.cache.refresh(ACTIVITIES_KEY, "/tally-activities")
        return self.activities()

    # Writing ---------------------------------------------------------------------------

    def record(
        self,
        activity_id: str,
        who: TallyWho | str,
        count: int = 1,
        first_contact: bool = False,
        yesterday: bool = False,
        department_id: str | None = None,
    ) -> Entry:
        """Queue a tally for today (or yesterday) in the department's time zone."""
        self.session.check_unlocked()
        who = TallyWho(who)  # ValueError for a who Spire does not have
        if not 1 <= int(count) <= MAX_COUNT:
            raise ValueError(f"count must be 1 to {MAX_COUNT}")
        department_id, day = self.session.where(department_id, None)
        if yesterday:
            day -= timedelta(days=1)
        activity = next((a for a in self.activities() if a["id"] == activity_id), None)
        if activity is None:
            raise ValueError("not one of the organisation's active activities")
        body = {
            "department_id": department_id,
            "activity": activity_id,
            "who": who.value,
            "count": int(count),
            "date": day.isoformat(),
            "first_contact": bool(first_contact),
        }
        return self.outbox.add(
            Kind.TALLY,
            "PUT",
            "/tallies/{id}",
            body,
            day=day.isoformat(),
            facts={**body, "activity_name": activity["name"]},
        )

    def undo(self, department_id: str | None = None) -> Undone | None:
        """Take back the last tally this phone's user recorded in the department (today or
        yesterday): out of the outbox if it has not been sent, else withdrawn on the
        server (``DELETE /tallies/{id}``, queued). None if there is nothing to undo."""
        self.session.check_unlocked()
        department_id, today = self.session.where(department_id, None)
        recorded = self._recorded(department_id, {today, today - timedelta(days=1)})
        if not recorded:
            return None
        last = max(recorded, key=lambda r: r.seq)
        if last.waiting or last.attention:
            if self.outbox.remove_unsent(last.op_id):
                return Undone(last, None)
        queued = self.outbox.add(
            Kind.TALLY_UNDO,
            "DELETE",
            f"/tallies/{last.op_id}",
            None,
            day=last.day,
            target=last.op_id,
            facts={"activity_name": last.activity, "who": last.who, "count": last.count},
        )
        return Undone(last, queued)

    # Reading ---------------------------------------------------------------------------

    def today(self, department_id: str | None = None) -> list[Recorded]:
        """The tallies this phone's user recorded for the department today, newest first."""
        self.session.check_unlocked()
        department_id, today = self.session.where(department_id, None)
        return sorted(self._recorded(department_id, {today}), key=lambda r: -r.seq)

    def counts_today(self, department_id: str | None = None) -> dict[str, int]:
        """People counted today per activity id (the counts summed), by this phone."""
        totals: dict[str, int] = {}
        for recorded in self.today(department_id):
            totals[recorded.activity_id] = totals.get(recorded.activity_id, 0) + recorded.count
        return totals

    def _recorded(self, department_id: str, days: set[date]) -> list[Recorded]:
        """Not undone: in the outbox (unless an undo of it waits there too), or taken by
        the server and not undone since."""
        wanted = {day.isoformat() for day in days}
        entries = self.outbox.entries()
        withdrawn = {e.target for e in entries if e.kind == Kind.TALLY_UNDO}
        found = [
            _recorded(e.op_id, e.seq, e.facts, e.state == State.PENDING, e.state == State.ATTENTION)
            for e in entries
            if e.kind == Kind.TALLY and e.op_id not in withdrawn
        ]
        user = self.session.user or {}
        for row in self.db.rows(
            "SELECT op_id, seq, facts FROM sent WHERE user_id = ? AND kind = ? AND undone = 0",
            user.get("id"),
            str(Kind.TALLY),
        ):
            if row["op_id"] not in withdrawn:
                found.append(_recorded(row["op_id"], row["seq"], json.loads(row["facts"])))
        return [r for r in found if r.department_id == department_id and r.day in wanted]


def _recorded(op_id: str, seq: int, facts: dict, waiting=False, attention=False) -> Recorded:
    return Recorded(
        op_id=op_id,
        seq=seq,
        activity_id=facts["activity"],
        activity=facts.get("activity_name", ""),
        who=facts["who"],
        count=facts.get("count", 1),
        first_contact=facts.get("first_contact", False),
        day=facts["date"],
        department_id=facts["department_id"],
        waiting=waiting,
        attention=attention,
    )
