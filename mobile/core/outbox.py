"""The outbox: every write the user makes is stored here first, on disk, before the app
says it is done, and leaves only when the server has taken it (``Syncer``).

A write is a request the server can take twice without doing it twice: the id in its path
(``PUT /attendance/{id}``) is chosen here, once, so sending it again after a lost answer,
a restart or a crash changes nothing on the server. Each row carries the user who made it
(it is sent only under that user's login, and shown to no one else) and what the screens
need to show it: its kind, the participant, a summary's facts and when it was made.

A row is *pending* (to be sent) or *needs attention*: the server refused it (4xx) and said
why (status, message, field errors). Such a row is never dropped in silence: the user
corrects it (sent again) or discards it.
"""

import json
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from mobile.core import wording
from mobile.core.client import LoggedOut, logged_in_user
from mobile.core.clock import Clock
from mobile.core.localdb import LocalDb, dumps
from mobile.core.store import Store
from shared.i18n import Texts


class Kind(StrEnum):
    """What a write does, as the screens tell it."""

    CHECK_IN = "check_in"
    CHECK_OUT = "check_out"
    ABSENT = "absent"
    UNDO = "undo"  # withdraws an attendance write the server has taken
    WAKEUP_ATTEMPT = "wakeup_attempt"
    FOLLOWUP = "followup"
    ACTION = "action"
    TALLY = "tally"
    TALLY_UNDO = "tally_undo"  # withdraws a tally the server has taken


ATTENDANCE = (Kind.CHECK_IN, Kind.CHECK_OUT, Kind.ABSENT)


class State(StrEnum):
    PENDING = "pending"
    ATTENTION = "attention"


class NotCorrectable(ValueError):
    """The write has no body to correct (an undo), or is not one the server refused."""


@dataclass(frozen=True)
class Entry:
    """A write in the outbox."""

    seq: int
    op_id: str
    user_id: str
    method: str
    path: str
    body: dict | None
    kind: str
    participant_id: str | None
    day: str | None  # the local date it is about (attendance, a wake-up call)
    target: str | None  # the write an undo withdraws
    facts: dict
    created_at: datetime
    state: State
    status: int | None = None  # the server's answer, when it refused the write
    message: str = ""
    errors: dict = field(default_factory=dict)

    def summary(self, tr: Texts) -> str:
        return wording.summary(self.kind, self.facts, tr)

    def operation(self) -> dict:
        """The write as one operation of a ``POST /sync`` batch (an undo has no body)."""
        operation = {"op_id": self.op_id, "method": self.method, "path": self.path}
        if self.body is not None:
            operation["body"] = self.body
        return operation

    @property
    def client_id(self) -> str | None:
        """The id chosen on the phone, in the path of a write by client id."""
        last = self.path.rsplit("/", 1)[-1]
        return last if last == self.op_id else None


def _entry(row) -> Entry:
    return Entry(
        seq=row["seq"],
        op_id=row["op_id"],
        user_id=row["user_id"],
        method=row["method"],
        path=row["path"],
        body=json.loads(row["body"]) if row["body"] is not None else None,
        kind=row["kind"],
        participant_id=row["participant_id"],
        day=row["day"],
        target=row["target"],
        facts=json.loads(row["facts"]),
        created_at=datetime.fromisoformat(row["created_at"]),
        state=State(row["state"]),
        status=row["status"],
        message=row["message"] or "",
        errors=json.loads(row["errors"]) if row["errors"] else {},
    )


@dataclass(frozen=True)
class Waiting:
    """Writes of another user, kept on this phone until that user logs in here again."""

    user_id: str
    full_name: str
    count: int


class Outbox:
    def __init__(self, db: LocalDb, store: Store, clock: Clock):
        self.db = db
        self.store = store
        self.clock = clock
        self._lock = threading.Lock()
        self._in_flight: set[str] = set()  # sent, and the answer not yet applied

    def _user(self) -> dict:
        user = logged_in_user(self.store)
        if user is None:
            raise LoggedOut(401, {"message": "Not logged in."})
        return user

    # Adding and reading ------------------------------------------------------------------

    def add(
        self,
        kind: Kind,
        method: str,
        path: str,
        body: dict | None,
        *,
        op_id: str | None = None,
        participant_id: str | None = None,
        day: str | None = None,
        target: str | None = None,
        facts: dict | None = None,
    ) -> Entry:
        """Store a write; on disk when this returns. ``path`` may hold ``{id}``, the client
        id chosen here (the op id)."""
        user = self._user()
        op_id = op_id or str(uuid.uuid4())
        with self.db.transaction() as db:
            seq = db.execute(
                "INSERT INTO outbox (op_id, user_id, user_name, method, path, body, kind,"
                " participant_id, day, target, facts, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    op_id,
                    user["id"],
                    user.get("full_name") or user.get("username") or "",
                    method,
                    path.format(id=op_id),
                    dumps(body) if body is not None else None,
                    str(kind),
                    participant_id,
                    day,
                    target,
                    dumps(facts or {}),
                    self.clock.now().isoformat(),
                ),
            ).lastrowid
        return self.get_seq(seq)

    def get_seq(self, seq: int) -> Entry:
        return _entry(self.db.rows("SELECT * FROM outbox WHERE seq = ?", seq)[0])

    def get(self, op_id: str) -> Entry | None:
        """One of the current user's writes."""
        user = logged_in_user(self.store)
        rows = self.db.rows(
            "SELECT * FROM outbox WHERE op_id = ? AND user_id = ?", op_id, user and user["id"]
        )
        return _entry(rows[0]) if rows else None

    def entries(self, state: State | None = None) -> list[Entry]:
        """The current user's writes not yet on the server, oldest first."""
        user = logged_in_user(self.store)
        if user is None:
            return []
        sql = "SELECT * FROM outbox WHERE user_id = ?"
        params: list = [user["id"]]
        if state is not None:
            sql += " AND state = ?"
            params.append(str(state))
        return [_entry(row) for row in self.db.rows(sql + " ORDER BY seq", *params)]

    def about(self, participant_id: str, day: str | None = None) -> list[Entry]:
        """The current user's writes about a participant (that day), oldest first."""
        return [
            entry
            for entry in self.entries()
            if entry.participant_id == participant_id and (day is None or entry.day == day)
        ]

    def pending_count(self) -> int:
        """The current user's writes waiting to be sent."""
        return len(self.entries(State.PENDING))

    def attention_count(self) -> int:
        """The current user's writes the server refused, waiting for the user."""
        return len(self.entries(State.ATTENTION))

    def unsent_count(self, user_id: str | None = None) -> int:
        """Writes of the user (the current one by default) not yet on the server, the
        survey kiosk's answers among them."""
        user_id = user_id or (logged_in_user(self.store) or {}).get("id")
        return (
            self.db.scalar(
                "SELECT (SELECT count(*) FROM outbox WHERE user_id = ?)"
                " + (SELECT count(*) FROM kiosk_answers WHERE user_id = ?)",
                user_id,
                user_id,
            )
            or 0
        )

    def others_waiting(self) -> list[Waiting]:
        """Writes of other users than the one logged in (the kiosk's answers too), kept
        until they log in here."""
        user_id = (logged_in_user(self.store) or {}).get("id")
        rows = self.db.rows(
            "SELECT user_id, max(user_name) AS name, count(*) AS n FROM ("
            " SELECT user_id, user_name, 0 AS kiosk, seq FROM outbox"
            " UNION ALL SELECT user_id, user_name, 1, seq FROM kiosk_answers"
            ") WHERE user_id IS NOT ? GROUP BY user_id ORDER BY min(kiosk), min(seq)",
            user_id,
        )
        return [Waiting(row["user_id"], row["name"], row["n"]) for row in rows]

    @property
    def last_sync(self) -> datetime | None:
        """When the server last took the outbox's writes (by the server's clock)."""
        at = self.store.get("last_sync")
        return datetime.fromisoformat(at) if at else None

    # The user's own changes --------------------------------------------------------------

    def in_flight(self, op_id: str) -> bool:
        with self._lock:
            return op_id in self._in_flight

    def remove_unsent(self, op_id: str) -> bool:
        """Take back a write that has not gone to the server (undo): True if it was still
        here and not under way; a write under way is the server's to answer first."""
        user = self._user()
        with self._lock:
            if op_id in self._in_flight:
                return False
            with self.db.transaction() as db:
                gone = db.execute(
                    "DELETE FROM outbox WHERE op_id = ? AND user_id = ?", (op_id, user["id"])
                ).rowcount
        return bool(gone)

    def discard(self, op_id: str) -> bool:
        """Drop a write the user gave up on (one the server refused, or not yet sent)."""
        return self.remove_unsent(op_id)

    def correct(self, op_id: str, body: dict) -> Entry:
        """Send a refused write again with the body the user corrected. It keeps its id
        when the server takes corrections under the same id (a write by client id, or a
        PATCH); a write whose id the server had for something else (409) gets a new one."""
        entry = self.get(op_id)
        if entry is None or entry.state != State.ATTENTION or entry.body is None:
            raise NotCorrectable(op_id)
        new_id = entry.op_id
        path = entry.path
        if entry.status == 409 and entry.client_id:
            new_id = str(uuid.uuid4())
            path = f"{entry.path.rsplit('/', 1)[0]}/{new_id}"
        with self.db.transaction() as db:
            db.execute(
                "UPDATE outbox SET op_id = ?, path = ?, body = ?, state = 'pending',"
                " status = NULL, message = NULL, errors = NULL WHERE seq = ?",
                (new_id, path, dumps(body), entry.seq),
            )
        return self.get_seq(entry.seq)

    # For the syncer ----------------------------------------------------------------------

    def take(self, user_id: str, limit: int) -> list[Entry]:
        """The user's oldest pending writes, marked as under way."""
        with self._lock:
            rows = self.db.rows(
                "SELECT * FROM outbox WHERE user_id = ? AND state = 'pending' ORDER BY seq LIMIT ?",
                user_id,
                limit,
            )
            batch = [_entry(row) for row in rows]
            self._in_flight.update(entry.op_id for entry in batch)
        return batch

    def settle(self, batch: list[Entry]) -> None:
        """The batch's answers are applied (or it failed): none of it is under way."""
        with self._lock:
            self._in_flight.difference_update(entry.op_id for entry in batch)
