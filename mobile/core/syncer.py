"""Sending the outbox: ``Syncer.sync()`` sends the logged-in user's pending writes to
``POST /sync`` in batches, oldest first, and applies each write's answer:

- 2xx: the server has it; it leaves the outbox, and the cached list or page it shows on
  is changed to match (an attendance write kept for the day's undo);
- 503 (not run within the server's time budget), 5xx, 429, or no network: it stays
  pending and is sent again later, after a pause that grows with each failed try
  (``state`` tells the screens when);
- any other 4xx (422, 409, 404 for a participant moved to another department, 403): it
  *needs attention*, with the server's status, message and field errors, until the user
  corrects or discards it. An attendance write or a tally it answers 410 has been undone
  since: it is done. An undo it answers 404 is judged here: if the write it undoes never reached
  the server (never taken, and still in the outbox: refused, or failed), the two leave
  the outbox together; else (the participant has moved, say) it needs attention.

The answers are applied in one local transaction. If the app dies after the server has
answered and before that commit, the writes are sent again on the next sync: the server
takes the same ids twice as once, so nothing is lost or doubled. One sync at a time; a
logout (``halted``) stops one under way after its batch, and answers that come back
after the user's login has ended are not applied (nothing of theirs is written back).
A batch the server refuses as a whole (400, 413, 422: a method it does not take in a
batch, say) is sent one write at a time, so only the write at fault waits for the user.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from mobile.core.cache import Cache, page_key, today_key
from mobile.core.client import ApiError, Client, LoggedOut, Unreachable, logged_in_user
from mobile.core.clock import Clock
from mobile.core.localdb import LocalDb, dumps
from mobile.core.outbox import ATTENDANCE, Entry, Kind, Outbox
from mobile.core.store import Store

BATCH = 100  # writes a request (the server takes up to 500)
FIRST_PAUSE = timedelta(seconds=5)
LONGEST_PAUSE = timedelta(minutes=5)


def _retry_later(status: int) -> bool:
    return status == 429 or status >= 500 or status == 401


def _taken(entry: Entry, status: int) -> bool:
    """Whether the server has the write: it took it (2xx), or it had an attendance write
    that has been undone since (410: a repeat of a batch whose answer was lost)."""
    if 200 <= status < 300:
        return True
    return (entry.kind in ATTENDANCE or entry.kind == Kind.TALLY) and status == 410


def _never_reached(db, user_id: str, entry: Entry) -> bool:
    """For an undo answered 404: the write it undoes never reached the server, so there
    was nothing to withdraw. The server never took it (not in ``sent``) and it is still in
    the outbox (refused, or failed: a write whose answer was lost is sent again before its
    undo, and then taken)."""
    taken = db.execute(
        "SELECT 1 FROM sent WHERE op_id = ? AND user_id = ?", (entry.target, user_id)
    ).fetchone()
    waiting = db.execute(
        "SELECT 1 FROM outbox WHERE op_id = ? AND user_id = ?", (entry.target, user_id)
    ).fetchone()
    return taken is None and waiting is not None


@dataclass
class SyncReport:
    """What one ``sync()`` did."""

    sent: int = 0  # writes sent
    done: int = 0  # taken by the server, gone from the outbox
    refused: int = 0  # now needing attention
    pending: int = 0  # still waiting to be sent, after this sync
    busy: bool = False  # another sync was under way: this one did nothing
    failure: str | None = None  # "unreachable", "server", "logged_out"
    refresh: set[str] = field(default_factory=set)  # cache keys to fetch again


@dataclass(frozen=True)
class SyncState:
    """For the screens: when the writes last reached the server, and when the next try
    is, after failures."""

    last_sync: datetime | None
    failures: int
    next_try: datetime | None
    last_failure: str | None


class Syncer:
    def __init__(
        self,
        client: Client,
        outbox: Outbox,
        cache: Cache,
        db: LocalDb,
        store: Store,
        clock: Clock,
    ):
        self.client = client
        self.outbox = outbox
        self.cache = cache
        self.db = db
        self.store = store
        self.clock = clock
        # Re-entrant: a logout holds it (``halted``) and syncs once more itself.
        self._running = threading.RLock()
        self._halt = threading.Event()  # a sync under way stops after its batch
        self._failures = 0
        self._next_try: datetime | None = None
        self._last_failure: str | None = None

    @property
    def state(self) -> SyncState:
        return SyncState(self.outbox.last_sync, self._failures, self._next_try, self._last_failure)

    def due(self) -> bool:
        """Whether a sync now keeps to the pause after failures (for a timer)."""
        return self._next_try is None or self.clock.now() >= self._next_try

    @contextmanager
    def halted(self, timeout: float) -> Iterator[bool]:
        """No sync runs in another thread during the block: one under way stops after the
        batch it has sent (its answers applied) and is waited for, up to ``timeout``
        seconds; True if it stopped (else it is still under way). ``sync()`` from this
        thread runs inside the block."""
        self._halt.set()
        try:
            held = self._running.acquire(timeout=timeout)
        finally:
            self._halt.clear()
        try:
            yield held
        finally:
            if held:
                self._running.release()

    def sync(self) -> SyncReport:
        """Send the pending writes (network). Raises nothing for what only means "try
        later"; the report says what happened."""
        if not self._running.acquire(blocking=False):
            return SyncReport(busy=True)
        try:
            report = SyncReport()
            user = logged_in_user(self.store)
            if user is None:
                report.failure = "logged_out"
            else:
                self._send_all(user["id"], report)
            report.pending = self.outbox.pending_count()
            self._note(report)
            return report
        finally:
            self._running.release()

    def _send_all(self, user_id: str, report: SyncReport) -> None:
        while not self._halt.is_set():
            if (logged_in_user(self.store) or {}).get("id") != user_id:
                report.failure = "logged_out"  # never sent under another login
                return
            batch = self.outbox.take(user_id, BATCH)
            if not batch:
                return
            try:
                results = self._send(batch, report)
                if results is None:
                    return
                retry = self._acknowledge(user_id, batch, results, report)
            finally:
                self.outbox.settle(batch)
            if retry:  # the server ran short of time or failed: later, not now
                report.failure = "server"
                return

    def _send(self, batch: list[Entry], report: SyncReport) -> list[dict] | None:
        """The server's answer to each write of the batch, in order; None if none came."""
        report.sent += len(batch)
        operations = [entry.operation() for entry in batch]
        try:
            answer = self.client.call("POST", "/sync", {"operations": operations})
            return answer["results"]
        except Unreachable:
            report.failure = "unreachable"
        except LoggedOut:
            report.failure = "logged_out"
        except ApiError as error:
            if not _retry_later(error.status):
                return self._one_by_one(batch, report)
            report.failure = "server"
        return None

    def _one_by_one(self, batch: list[Entry], report: SyncReport) -> list[dict] | None:
        results = []
        for entry in batch:
            if self._halt.is_set():
                break  # the rest are sent again later
            try:
                body = self.client.call(entry.method, entry.path, entry.body)
                results.append({"op_id": entry.op_id, "status": 200, "body": body})
            except ApiError as error:
                if isinstance(error, LoggedOut):
                    report.failure = "logged_out"
                    break
                envelope = {"message": error.message, "errors": error.errors}
                results.append({"op_id": entry.op_id, "status": error.status, "body": envelope})
            except Unreachable:
                report.failure = "unreachable"
                break
        return results

    def _acknowledge(
        self, user_id: str, batch: list[Entry], results: list[dict], report: SyncReport
    ) -> bool:
        """Apply the answers in one transaction; True if some writes are to be sent later.
        Nothing is applied once the user's login has ended (the answers came back after a
        logout: the outbox was wiped or kept as it was, and is sent again)."""
        answered = {result["op_id"]: result for result in results}
        retry = False
        now = self.clock.now().isoformat()
        with self.db.transaction() as db:
            if (logged_in_user(self.store) or {}).get("id") != user_id:
                report.failure = "logged_out"
                return False
            for entry in batch:
                result = answered.get(entry.op_id)
                status = result["status"] if result else 503
                body = result.get("body") if result else None
                if (
                    entry.kind in (Kind.UNDO, Kind.TALLY_UNDO)
                    and status == 404
                    and _never_reached(db, user_id, entry)
                ):
                    # Both leave: the tap was never on the server, and is not to be.
                    db.execute(
                        "DELETE FROM outbox WHERE user_id = ? AND op_id IN (?, ?)",
                        (user_id, entry.op_id, entry.target),
                    )
                    report.done += 1
                elif _taken(entry, status):
                    db.execute("DELETE FROM outbox WHERE seq = ?", (entry.seq,))
                    self._taken(db, user_id, entry, status, body, now, report)
                    report.done += 1
                elif _retry_later(status):
                    db.execute("UPDATE outbox SET tries = tries + 1 WHERE seq = ?", (entry.seq,))
                    retry = True
                else:
                    body = body if isinstance(body, dict) else {}
                    db.execute(
                        "UPDATE outbox SET state = 'attention', status = ?, message = ?,"
                        " errors = ?, tries = tries + 1 WHERE seq = ?",
                        (
                            status,
                            body.get("message") or f"HTTP {status}",
                            dumps(body.get("errors") or {}),
                            entry.seq,
                        ),
                    )
                    report.refused += 1
        if report.done and logged_in_user(self.store):
            self.store.put(last_sync=now)
        return retry

    def _taken(
        self, db, user_id: str, entry: Entry, status: int, body, now: str, report: SyncReport
    ) -> None:
        """What a write the server took changes here: the day's undo, the cached lists."""
        if entry.kind == Kind.TALLY or entry.kind in ATTENDANCE:
            # Kept for the screen's undo (and a tally for the day's list on the screen).
            undone = status == 410 or _undo_waits(db, user_id, entry)
            _keep_sent(db, user_id, entry, now, undone)
        if entry.kind in (Kind.UNDO, Kind.TALLY_UNDO):
            db.execute(
                "UPDATE sent SET undone = 1 WHERE op_id = ? AND user_id = ?",
                (entry.target, user_id),
            )
        if entry.kind in ATTENDANCE:
            if isinstance(body, dict) and body.get("department_id"):
                key = today_key(body["department_id"], body["date"])
                self.cache.patch(db, user_id, key, _with_attendance(entry.participant_id, body))
        elif entry.kind == Kind.UNDO:
            # The day's record is computed again on the server from what is left: ask.
            for key in self.cache.keys_of(db, user_id, f"today/%/{entry.day}"):
                previous = entry.facts.get("before")
                self.cache.patch(db, user_id, key, _with_attendance(entry.participant_id, previous))
                report.refresh.add(key)
        elif entry.kind == Kind.WAKEUP_ATTEMPT and isinstance(body, dict):
            for key in self.cache.keys_of(db, user_id, "wakeups/"):
                self.cache.patch(db, user_id, key, _with_call(body))
        elif entry.kind == Kind.FOLLOWUP and isinstance(body, dict):
            key = page_key(entry.participant_id)
            self.cache.patch(db, user_id, key, _with_followup(body))
        elif entry.kind == Kind.ACTION and isinstance(body, dict) and entry.participant_id:
            key = page_key(entry.participant_id)
            self.cache.patch(db, user_id, key, _with_action(body))

    def _note(self, report: SyncReport) -> None:
        if report.failure in ("unreachable", "server"):
            self._failures += 1
            pause = min(LONGEST_PAUSE, FIRST_PAUSE * 2 ** (self._failures - 1))
            self._next_try = self.clock.now() + pause
            self._last_failure = report.failure
        elif report.failure is None:
            self._failures, self._next_try, self._last_failure = 0, None, None


def _undo_waits(db, user_id: str, entry: Entry) -> bool:
    """An undo of the write waits in the outbox."""
    return bool(
        db.execute(
            "SELECT count(*) FROM outbox WHERE target = ? AND user_id = ?",
            (entry.op_id, user_id),
        ).fetchone()[0]
    )


def _keep_sent(db, user_id: str, entry: Entry, now: str, undone: bool) -> None:
    db.execute(
        "INSERT OR REPLACE INTO sent (op_id, seq, user_id, kind, participant_id, day,"
        " facts, sent_at, undone) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            entry.op_id,
            entry.seq,
            user_id,
            entry.kind,
            entry.participant_id,
            entry.day,
            dumps(entry.facts),
            now,
            1 if undone else 0,
        ),
    )


def _with_attendance(participant_id: str | None, record: dict | None):
    def change(day_list: dict) -> bool:
        for row in day_list.get("participants", []):
            if row["participant"]["id"] == participant_id:
                row["attendance"] = record
                return True
        return False

    return change


def _with_call(call: dict):
    def change(calls: list) -> bool:
        for index, cached in enumerate(calls):
            if cached.get("id") == call.get("id"):
                calls[index] = call
                return True
        return False

    return change


def _with_followup(followup: dict):
    """A follow-up the server took, on top of the page's newest ten (without its note)."""
    brief = {key: value for key, value in followup.items() if key not in ("note", "note_withheld")}

    def change(page: dict) -> bool:
        rows = [row for row in page.get("followups", []) if row.get("id") != brief.get("id")]
        page["followups"] = [brief, *rows][:10]
        return True

    return change


def _with_action(action: dict):
    """An action item ticked off leaves the page's open ones; opened again, it is one."""

    def change(page: dict) -> bool:
        rows = page.get("open_actions", [])
        if not any(row.get("id") == action.get("id") for row in rows) and action.get("done"):
            return False
        rows = [row for row in rows if row.get("id") != action.get("id")]
        page["open_actions"] = rows if action.get("done") else [*rows, action]
        return True

    return change
