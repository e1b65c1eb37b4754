"""The morning's wake-up calls at a department (``GET /wakeups``, cached): who to call,
the number as people write it and a ``tel:`` URI for the dialer, which calls stand out
(due again after no answer, or a home visit advised), and logging how a call went
(``PUT /wakeups/{call}/attempts/{id}``, through the outbox). A staff notice about a call
leads to it (``for_notice``)."""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from mobile.core.cache import Cache, wakeups_key
from mobile.core.clock import Clock
from mobile.core.outbox import Entry, Kind, Outbox, State
from mobile.core.session import Session
from shared.phone import display_phone, tel_uri
from shared.vocab import AbsenceReason, WakeupOutcome, WakeupStatus

# Outcomes that complete the call (the others make it due again).
COMPLETING = (
    WakeupOutcome.ANSWERED_COMING,
    WakeupOutcome.ANSWERED_NOT_COMING,
    WakeupOutcome.PICKED_UP,
)


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


@dataclass(frozen=True)
class Call:
    id: str
    participant_id: str
    first_name: str
    last_name: str
    due_at: datetime
    next_due_at: datetime | None  # when to call (again); None once done or cancelled
    phone: str | None  # as stored (E.164)
    phone_shown: str  # "912 34 567"
    tel: str | None  # "tel:+4791234567"
    status: WakeupStatus
    outcome: str | None
    unanswered: int
    home_visit: bool  # unanswered too often: a home visit is advised
    attempts: list[dict]
    group: dict | None
    waiting: list[str]  # outcomes logged here, not yet on the server
    attention: bool  # one of them was refused: see the outbox

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def due_again(self) -> bool:
        """Tried without an answer, and to be called again."""
        return self.status == WakeupStatus.PENDING and self.unanswered > 0

    @property
    def stands_out(self) -> bool:
        return self.home_visit or self.due_again


class Calls:
    def __init__(self, session: Session, cache: Cache, outbox: Outbox, clock: Clock):
        self.session = session
        self.cache = cache
        self.outbox = outbox
        self.clock = clock

    def read(self, department_id: str | None = None, day: date | None = None) -> list[Call]:
        """The day's calls from what the phone has (no network), in the server's order:
        by group (the user's own first), due first; with the outcomes logged here."""
        self.session.check_unlocked()
        department_id, day = self.session.where(department_id, day)
        copy = self.cache.get(wakeups_key(department_id, day.isoformat()))
        entries = [e for e in self.outbox.entries() if e.kind == Kind.WAKEUP_ATTEMPT]
        return [self._call(row, entries) for row in (copy.body if copy else [])]

    def refresh(self, department_id: str | None = None, day: date | None = None) -> list[Call]:
        """Ask the server for the day's calls (network; ``If-None-Match``), then ``read``."""
        department_id, day = self.session.where(department_id, day)
        query = {"department_id": department_id, "date": day.isoformat()}
        self.cache.refresh(wakeups_key(department_id, day.isoformat()), "/wakeups", query)
        return self.read(department_id, day)

    def _call(self, row: dict, entries: list[Entry]) -> Call:
        mine = [e for e in entries if e.facts.get("wakeup_id") == row["id"]]
        pending = [e.body["outcome"] for e in mine if e.state == State.PENDING]
        status, outcome = WakeupStatus(row["status"]), row.get("outcome")
        next_due = _moment(row.get("next_due_at"))
        unanswered = row.get("unanswered", 0)
        for logged in pending:  # as the server will take them
            if logged in COMPLETING:
                status, outcome, next_due = WakeupStatus.DONE, logged, None
            else:
                unanswered += 1
        person = row["participant"]
        phone = row.get("phone")
        return Call(
            id=row["id"],
            participant_id=person["id"],
            first_name=person.get("first_name", ""),
            last_name=person.get("last_name", ""),
            due_at=_moment(row["due_at"]),
            next_due_at=next_due,
            phone=phone,
            phone_shown=display_phone(phone, self.session.country) if phone else "",
            tel=tel_uri(phone, self.session.country) if phone else None,
            status=status,
            outcome=outcome,
            unanswered=unanswered,
            home_visit=row.get("home_visit", False),
            attempts=row.get("attempts", []),
            group=row.get("group"),
            waiting=pending,
            attention=any(e.state == State.ATTENTION for e in mine),
        )

    def find(self, wakeup_id: str) -> Call | None:
        """A call of the day's cached lists, by id."""
        for key in self.cache.keys("wakeups/"):
            copy = self.cache.get(key)
            for row in copy.body if copy else []:
                if row["id"] == wakeup_id:
                    return self._call(row, self.outbox.entries())
        return None

    def log_outcome(
        self,
        wakeup_id: str,
        outcome: WakeupOutcome | str,
        absence_reason: AbsenceReason | str | None = None,
        note: str | None = None,
    ) -> Entry:
        """How a try at the call went, queued as a new attempt (its own client id).
        ``answered_not_coming`` takes the absence's reason."""
        self.session.check_unlocked()
        outcome = WakeupOutcome(outcome)
        body: dict = {"outcome": outcome, "at": self.clock.now().isoformat()}
        if absence_reason is not None:
            body["absence_reason"] = AbsenceReason(absence_reason)
        if note:
            body["note"] = note
        call = self.find(wakeup_id)
        return self.outbox.add(
            Kind.WAKEUP_ATTEMPT,
            "PUT",
            f"/wakeups/{wakeup_id}/attempts/{{id}}",
            body,
            participant_id=call.participant_id if call else None,
            day=self.session.today().isoformat(),
            facts={"name": call.name if call else None, "outcome": outcome, "wakeup_id": wakeup_id},
        )

    def for_notice(self, notice: dict) -> Call | None:
        """The call a staff notice (``GET /notifications``) is about, from the cached
        lists: the participant's call of the day the notice was sent, at its department."""
        self.session.check_unlocked()
        department_id = notice.get("department_id")
        participant_id = notice.get("participant_id")
        if not department_id or not participant_id or not notice.get("sent_at"):
            return None
        if department_id not in [d["id"] for d in self.session.departments]:
            return None
        sent = datetime.fromisoformat(notice["sent_at"])
        day = sent.astimezone(ZoneInfo(self.session.timezone(department_id))).date()
        for call in self.read(department_id, day):
            if call.participant_id == participant_id:
                return call
        return None
