"""The day at a department: who is expected, who has come and gone, who is absent, and the
one-tap writes that change it (check in, check out, absent, undo).

The rows are the day's list as the server last gave it (``GET /today``, cached, in the
server's order: expected first), with the user's writes not yet on the server laid over
it by the rule the server combines them with (shared/attendance_rule.py: the earliest
check-in and the latest check-out stay, the newest status wins), so what was done
offline shows at once. A write the server refused is not laid over; its row says it
needs attention.

Times are the server's (``clock.Clock``: the phone's clock corrected by the offset the
server's answers show), because the server judges a check-in by its own clock (not in the
future, on the day it is for); a phone whose clock is wrong would otherwise record wrong
times or be refused.
"""

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum

from mobile.core.cache import Cache, today_key
from mobile.core.clock import Clock
from mobile.core.localdb import LocalDb
from mobile.core.outbox import ATTENDANCE, Entry, Kind, Outbox, State
from mobile.core.session import Session
from shared.attendance_rule import Write, combine
from shared.vocab import AbsenceReason, AttendanceStatus, WakeupOutcome


class Presence(StrEnum):
    NOT_ARRIVED = "not_arrived"
    CHECKED_IN = "checked_in"
    CHECKED_OUT = "checked_out"
    ABSENT = "absent"


@dataclass(frozen=True)
class DayRow:
    participant_id: str
    first_name: str
    last_name: str
    expected: bool
    expected_start: str | None  # "09:00"
    on_leave: bool
    presence: Presence
    check_in_at: datetime | None
    check_out_at: datetime | None
    absence_reason: str | None
    waiting: bool  # the user's writes about it are not yet on the server
    attention: bool  # one of them was refused: see the outbox
    group: dict | None
    wakeup: dict | None  # the day's wake-up call, as the list gave it

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True)
class DayList:
    department_id: str
    date: date
    holiday: str | None
    fetched_at: datetime | None  # None: never fetched (no copy yet)
    rows: list[DayRow]


@dataclass(frozen=True)
class Undone:
    """What ``undo`` took back: ``kind`` of write; ``queued`` is the withdrawal sent to
    the server when the write had reached it (None: it had not, and is gone)."""

    kind: str
    queued: Entry | None


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


# The server's record stands for the writes that made it, older than any made here (its
# status gives way to theirs), unless it says when its status was recorded.
EARLIEST = datetime.min.replace(tzinfo=UTC)


def _as_write(write_id: str, shown: dict, recorded_at: str | None = None) -> Write:
    return Write(write_id, shown, _moment(recorded_at) or EARLIEST)


def shown_attendance(record: dict | None, entries: list[Entry]) -> dict | None:
    """The day's attendance as the user should see it: the server's ``record`` and the
    user's pending writes about that participant and day, combined by the server's own
    rule (shared/attendance_rule.py); an undo not yet sent goes back to what was shown
    before the write it undoes."""
    withdrawn = {e.target for e in entries if e.kind == Kind.UNDO}
    writes = [_as_write("", record, record.get("status_recorded_at"))] if record else []
    for entry in entries:
        if entry.state != State.PENDING or entry.op_id in withdrawn:
            continue
        if entry.kind in ATTENDANCE:
            at = entry.body.get("recorded_at") or entry.created_at.isoformat()
            writes.append(_as_write(entry.op_id, entry.body, at))
        elif entry.kind == Kind.UNDO:
            before = entry.facts.get("before")
            writes = [_as_write("", before)] if before else []
        elif (
            entry.kind == Kind.WAKEUP_ATTEMPT
            and entry.body.get("outcome") == WakeupOutcome.ANSWERED_NOT_COMING
        ):
            reason = entry.body.get("absence_reason")
            absent = {"status": AttendanceStatus.ABSENT, "absence_reason": reason}
            writes.append(_as_write(entry.op_id, absent, entry.body.get("at")))
    if not writes:
        return None
    day = combine(writes)
    return {
        "status": day.status,
        "absence_reason": day.absence_reason,
        "check_in_at": day.check_in_at.isoformat() if day.check_in_at else None,
        "check_out_at": day.check_out_at.isoformat() if day.check_out_at else None,
    }


def presence(attendance: dict | None) -> Presence:
    if not attendance or not attendance.get("status"):
        return Presence.NOT_ARRIVED
    if attendance["status"] == AttendanceStatus.ABSENT:
        return Presence.ABSENT
    if attendance.get("check_out_at"):
        return Presence.CHECKED_OUT
    return Presence.CHECKED_IN


class Day:
    def __init__(self, session: Session, cache: Cache, outbox: Outbox, db: LocalDb, clock: Clock):
        self.session = session
        self.cache = cache
        self.outbox = outbox
        self.db = db
        self.clock = clock

    # Reading -------------------------------------------------------------------------------

    def read(self, department_id: str | None = None, day: date | None = None) -> DayList:
        """The day's rows from what the phone has (no network): the current department
        and today by default."""
        self.session.check_unlocked()
        department_id, day = self.session.where(department_id, day)
        copy = self.cache.get(today_key(department_id, day.isoformat()))
        body = copy.body if copy else {}
        entries = [e for e in self.outbox.entries() if e.day == day.isoformat()]
        rows = []
        for row in body.get("participants", []):
            person = row["participant"]
            mine = [e for e in entries if e.participant_id == person["id"]]
            shown = shown_attendance(row.get("attendance"), mine)
            rows.append(
                DayRow(
                    participant_id=person["id"],
                    first_name=person.get("first_name", ""),
                    last_name=person.get("last_name", ""),
                    expected=row.get("expected", False),
                    expected_start=row.get("expected_start"),
                    on_leave=row.get("on_leave", False),
                    presence=presence(shown),
                    check_in_at=_moment((shown or {}).get("check_in_at")),
                    check_out_at=_moment((shown or {}).get("check_out_at")),
                    absence_reason=(shown or {}).get("absence_reason"),
                    waiting=any(e.state == State.PENDING for e in mine),
                    attention=any(e.state == State.ATTENTION for e in mine),
                    group=row.get("group"),
                    wakeup=row.get("wakeup"),
                )
            )
        return DayList(
            department_id,
            day,
            body.get("holiday"),
            copy.fetched_at if copy else None,
            rows,
        )

    def refresh(self, department_id: str | None = None, day: date | None = None) -> DayList:
        """Ask the server for the day's list (network; ``If-None-Match``), then ``read``."""
        department_id, day = self.session.where(department_id, day)
        query = {"department_id": department_id, "date": day.isoformat()}
        self.cache.refresh(today_key(department_id, day.isoformat()), "/today", query)
        return self.read(department_id, day)

    def row(self, participant_id: str, department_id: str | None = None) -> DayRow | None:
        return next(
            (r for r in self.read(department_id).rows if r.participant_id == participant_id),
            None,
        )

    def name_of(self, participant_id: str) -> str | None:
        """The participant's name, from any day list the phone has (None if none has it)."""
        for key in self.cache.keys("today/"):
            copy = self.cache.get(key)
            for row in copy.body.get("participants", []) if copy else []:
                person = row["participant"]
                if person["id"] == participant_id:
                    return f"{person.get('first_name', '')} {person.get('last_name', '')}".strip()
        return None

    # Writing -------------------------------------------------------------------------------

    def _write(self, kind: Kind, participant_id: str, fields: dict, facts: dict) -> Entry:
        self.session.check_unlocked()
        department_id, day = self.session.where(None, None)
        row = self.row(participant_id, department_id)
        now = self.clock.now().isoformat()
        before = None
        if row is not None and row.presence != Presence.NOT_ARRIVED:
            before = {
                "status": AttendanceStatus.ABSENT
                if row.presence == Presence.ABSENT
                else AttendanceStatus.PRESENT,
                "absence_reason": row.absence_reason,
                "check_in_at": row.check_in_at.isoformat() if row.check_in_at else None,
                "check_out_at": row.check_out_at.isoformat() if row.check_out_at else None,
            }
        body = {"participant_id": participant_id, "date": day.isoformat(), **fields}
        body["recorded_at"] = now
        return self.outbox.add(
            kind,
            "PUT",
            "/attendance/{id}",
            body,
            participant_id=participant_id,
            day=day.isoformat(),
            facts={"name": row.name if row else None, "at": now, "before": before, **facts},
        )

    def check_in(self, participant_id: str) -> Entry:
        now = self.clock.now().isoformat()
        return self._write(
            Kind.CHECK_IN,
            participant_id,
            {"status": AttendanceStatus.PRESENT, "check_in_at": now},
            {},
        )

    def check_out(self, participant_id: str) -> Entry:
        now = self.clock.now().isoformat()
        return self._write(
            Kind.CHECK_OUT,
            participant_id,
            {"status": AttendanceStatus.PRESENT, "check_out_at": now},
            {},
        )

    def absent(self, participant_id: str, reason: AbsenceReason | str) -> Entry:
        reason = AbsenceReason(reason)  # ValueError for a reason Spire does not have
        return self._write(
            Kind.ABSENT,
            participant_id,
            {"status": AttendanceStatus.ABSENT, "absence_reason": reason},
            {"reason": reason},
        )

    def undo(self, participant_id: str) -> Undone | None:
        """Take back the user's last attendance write for the participant today: removed
        if it has not been sent, withdrawn on the server (``DELETE /attendance/{id}``,
        queued) if it has. None if there is nothing to undo."""
        self.session.check_unlocked()
        user = self.session.user
        department_id, day = self.session.where(None, None)
        entries = self.outbox.about(participant_id, day.isoformat())
        withdrawn = {e.target for e in entries if e.kind == Kind.UNDO}
        unsent = [
            (e.seq, e.op_id, e.kind, e.facts)
            for e in entries
            if e.kind in ATTENDANCE and e.op_id not in withdrawn
        ]
        sent = [
            (row["seq"], row["op_id"], row["kind"], json.loads(row["facts"]))
            for row in self.db.rows(
                "SELECT * FROM sent WHERE user_id = ? AND participant_id = ? AND day = ?"
                " AND undone = 0",
                user["id"],
                participant_id,
                day.isoformat(),
            )
            if row["op_id"] not in withdrawn
        ]
        if not unsent and not sent:
            return None
        seq, op_id, kind, facts = max(unsent + sent)
        if any(op_id == candidate[1] for candidate in unsent) and self.outbox.remove_unsent(op_id):
            return Undone(kind, None)
        queued = self.outbox.add(
            Kind.UNDO,
            "DELETE",
            f"/attendance/{op_id}",
            None,
            participant_id=participant_id,
            day=day.isoformat(),
            target=op_id,
            facts={"name": facts.get("name"), "undid": kind, "before": facts.get("before")},
        )
        return Undone(kind, queued)
