"""The survey kiosk: a phone a facilitator hands over, on which participants answer an
anonymous survey one after the other, online or not.

- **Before.** ``open_surveys`` lists the open surveys the user sees (``GET /surveys``,
  kept for offline use). ``prepare`` (network) keeps the survey's questions (``GET
  /surveys/{id}``) and, when fewer than ``REFILL_BELOW`` are held, fetches a batch of
  ``BATCH_CODES`` single-use codes (``POST /surveys/{id}/codes``): the kiosk then works
  with no network. ``open`` starts it (kept across a restart: the app comes back to it).
- **An answer** takes one held code in the same transaction that stores the answers in
  the kiosk's own outbox (``kiosk_answers``): a code leaves the phone's list when it is
  used, so it is never used twice, and an answer is on disk before the thank-you shows.
  An answer keeps no time and no name.
- **Delivery** (``deliver``) sends a survey's waiting answers as one batch (``POST
  /surveys/{id}/kiosk-responses``) in an order shuffled by ``secrets.SystemRandom``, and
  never one alone right after it was given: while the kiosk is open, only once
  ``min_batch`` (3 by default, never under 2) wait. The server then cannot tell from the
  time or the order of a request which answer was the last person's, and the results,
  compared before and after, move by several answers at once, not by one person's.
  Once the kiosk is closed by the staff, what waits is sent if it is at least 2. A
  single answer is held (on the phone, in the outbox) until more come, because sent alone
  it would be the one answer a change in the results shows, and the facilitator knows
  who stood at the kiosk last; it is sent alone only where it would be lost otherwise: on
  the survey's last day (after that the server refuses it) and at a logout.
- **Answers per item**: 201 (recorded) and 409 (the code is used: an earlier delivery
  whose answer never came back) leave the phone; 404, 410 and 422 (the code or the
  survey is gone, the answers no longer fit) leave it too, and are counted for the staff
  as "could not be delivered"; no network, a 5xx or a 429 keep everything for later.
  Sending again is safe: a code the server has recorded answers 409.

Delivered answers are deleted (overwritten in the file, and the write-ahead log emptied).
Answers are shown nowhere in the app and never logged; the staff see only how many wait.
"""

import json
import secrets
import threading
from dataclasses import dataclass, field
from datetime import date

from mobile.core.cache import Cache
from mobile.core.client import ApiError, Client, LoggedOut, Unreachable, logged_in_user
from mobile.core.localdb import LocalDb, dumps
from mobile.core.session import Session
from mobile.core.store import Store
from shared.vocab import QuestionKind

MIN_BATCH = 3  # answers a batch waits for while the kiosk is open
FLOOR = 2  # the fewest ever sent together, unless one would be lost otherwise
BATCH_CODES = 20  # codes fetched at a time
REFILL_BELOW = 10  # fewer codes held than this: a batch more is fetched when online
MAX_BATCH = 50  # answers a request carries (the server's limit)
MAX_TEXT = 2000
SURVEYS_KEY = "surveys"
DELIVERED = (201, 409)
UNDELIVERABLE = (404, 410, 422)


def survey_key(survey_id: str) -> str:
    return f"survey/{survey_id}"


class NotReady(LookupError):
    """The survey's questions or its codes are not on the phone."""


class NoCodes(NotReady):
    """Every code the phone held has been used: no more answers until more are fetched."""


class NotOpen(Exception):
    """No kiosk is open."""


class NothingAnswered(ValueError):
    """An answer needs at least one question answered."""


@dataclass
class Delivery:
    """What one ``deliver()`` did."""

    requests: int = 0  # batches sent
    delivered: int = 0  # the server has them (201, or 409: delivered before)
    undeliverable: int = 0  # the code or survey is gone: removed, counted for the staff
    waiting: int = 0  # still on the phone, after this delivery
    order: list[int] = field(default_factory=list)  # the answers' local numbers, as sent
    busy: bool = False  # another delivery was under way: this one did nothing
    failure: str | None = None  # "unreachable", "server", "logged_out"


class Kiosk:
    def __init__(
        self,
        session: Session,
        cache: Cache,
        client: Client,
        db: LocalDb,
        store: Store,
        min_batch: int = MIN_BATCH,
    ):
        self.session = session
        self.cache = cache
        self.client = client
        self.db = db
        self.store = store
        self.min_batch = max(FLOOR, min_batch)
        # What shuffles each batch: the system's randomness, not a seeded generator.
        self.random = secrets.SystemRandom()
        self._delivering = threading.Lock()

    def _user_id(self) -> str | None:
        return (logged_in_user(self.store) or {}).get("id")

    # The staff: the surveys, getting one ready ------------------------------------------

    def open_surveys(self) -> list[dict]:
        """The open surveys the user sees, as last fetched (no network)."""
        self.session.check_unlocked()
        copy = self.cache.get(SURVEYS_KEY)
        return [s for s in (copy.body if copy else []) if s.get("status") == "open"]

    def refresh_surveys(self) -> list[dict]:
        """Fetch the surveys again (network), then ``open_surveys``."""
        self.session.check_unlocked()
        self.cache.refresh(SURVEYS_KEY, "/surveys", {"page_size": 100})
        return self.open_surveys()

    def survey(self, survey_id: str) -> dict | None:
        """The survey with its questions, as kept on the phone (no network)."""
        copy = self.cache.get(survey_key(survey_id))
        return copy.body if copy else None

    def prepare(self, survey_id: str) -> dict:
        """Keep the survey's questions and enough codes on the phone (network)."""
        self.session.check_unlocked()
        self.cache.refresh(survey_key(survey_id), f"/surveys/{survey_id}")
        self.top_up(survey_id)
        return self.survey(survey_id)

    def top_up(self, survey_id: str) -> int:
        """Fetch ``BATCH_CODES`` more codes when fewer than ``REFILL_BELOW`` are held
        (network); how many are held after."""
        user_id = self._user_id()
        if user_id is None:
            raise LoggedOut(401, {"message": "Not logged in."})
        if self.codes_left(survey_id) >= REFILL_BELOW:
            return self.codes_left(survey_id)
        made = self.client.call("POST", f"/surveys/{survey_id}/codes", {"count": BATCH_CODES})
        with self.db.transaction() as db:
            if self._user_id() != user_id:
                raise LoggedOut(401, {"message": "Logged out meanwhile."})
            db.executemany(
                "INSERT OR IGNORE INTO kiosk_codes (code, survey_id, user_id) VALUES (?, ?, ?)",
                [(code, survey_id, user_id) for code in made["codes"]],
            )
        return self.codes_left(survey_id)

    def codes_left(self, survey_id: str) -> int:
        """Unused codes of the survey on the phone."""
        return self.db.scalar(
            "SELECT count(*) FROM kiosk_codes WHERE user_id = ? AND survey_id = ?",
            self._user_id(),
            survey_id,
        )

    def ready(self, survey_id: str) -> bool:
        """The kiosk can open for the survey: its questions and a code are here."""
        return self.survey(survey_id) is not None and self.codes_left(survey_id) > 0

    def waiting(self, survey_id: str | None = None) -> int:
        """The user's answers not yet delivered (of one survey, or all)."""
        sql = "SELECT count(*) FROM kiosk_answers WHERE user_id = ?"
        params = [self._user_id()]
        if survey_id is not None:
            sql += " AND survey_id = ?"
            params.append(survey_id)
        return self.db.scalar(sql, *params)

    def undeliverable(self, survey_id: str) -> int:
        """Answers that could not be delivered (the code or the survey was gone)."""
        return int((self.store.get("kiosk_lost") or {}).get(survey_id, 0))

    # Opening and closing ---------------------------------------------------------------

    @property
    def open_survey_id(self) -> str | None:
        """The survey the kiosk is open for, None when it is closed."""
        return self.store.get("kiosk") if self._user_id() else None

    def open(self, survey_id: str) -> None:
        self.session.check_unlocked()
        if not self.ready(survey_id):
            raise NotReady(survey_id)
        self.store.put(kiosk=survey_id)

    def close(self, pin: str) -> None:
        """Close the kiosk with the staff's PIN (``session.WrongPin``, ``PinLockOut`` as
        for unlocking the app)."""
        self.session.unlock(pin)
        self.store.put(kiosk=None)

    # Answering -------------------------------------------------------------------------

    def answer(self, answers: dict) -> int:
        """Store one participant's answers ``{question id: value}`` for the open survey,
        with a code of its own; how many of the survey's answers wait after."""
        survey_id = self.open_survey_id
        if survey_id is None:
            raise NotOpen()
        survey = self.survey(survey_id)
        if survey is None:
            raise NotReady(survey_id)
        cleaned = checked(survey, answers)
        user = logged_in_user(self.store) or {}
        with self.db.transaction() as db:
            row = db.execute(
                "SELECT code FROM kiosk_codes WHERE user_id = ? AND survey_id = ? LIMIT 1",
                (user.get("id"), survey_id),
            ).fetchone()
            if row is None:
                raise NoCodes(survey_id)
            db.execute("DELETE FROM kiosk_codes WHERE code = ?", (row["code"],))
            db.execute(
                "INSERT INTO kiosk_answers (survey_id, user_id, user_name, code, answers)"
                " VALUES (?, ?, ?, ?, ?)",
                (
                    survey_id,
                    user["id"],
                    user.get("full_name") or user.get("username") or "",
                    row["code"],
                    dumps(cleaned),
                ),
            )
        return self.waiting(survey_id)

    # Delivering ------------------------------------------------------------------------

    def least(self, survey_id: str, final: bool = False) -> int:
        """How many of a survey's answers must wait before they are sent together."""
        if survey_id == self.open_survey_id:
            return self.min_batch
        if final or self._last_day(survey_id):
            return 1
        return FLOOR

    def _last_day(self, survey_id: str) -> bool:
        survey = self.survey(survey_id)
        if survey is None or not survey.get("closes_on"):
            return False
        try:
            today = self.session.today(survey.get("department_id"))
        except LookupError:
            return False
        return date.fromisoformat(survey["closes_on"]) <= today

    def deliver(self, final: bool = False) -> Delivery:
        """Send the waiting answers that may go now (network); ``final`` at a logout,
        when even a single one goes. Raises nothing for what means "try later"."""
        if final:  # a logout waits for a delivery under way, for a while
            held = self._delivering.acquire(timeout=3 * self.client.timeout)
        else:
            held = self._delivering.acquire(blocking=False)
        if not held:
            return Delivery(busy=True)
        try:
            report = Delivery()
            user_id = self._user_id()
            if user_id is None:
                report.failure = "logged_out"
                return report
            surveys = self.db.rows(
                "SELECT survey_id FROM kiosk_answers WHERE user_id = ?"
                " GROUP BY survey_id ORDER BY min(seq)",
                user_id,
            )
            for row in surveys:
                if not self._deliver_survey(user_id, row["survey_id"], final, report):
                    break
            report.waiting = self.waiting()
            return report
        finally:
            self._delivering.release()

    def _deliver_survey(self, user_id: str, survey_id: str, final: bool, report) -> bool:
        """The survey's answers in batches while enough wait; False to stop delivering."""
        while True:
            total = self.waiting(survey_id)
            if total == 0 or total < self.least(survey_id, final):
                return True
            size = min(total, MAX_BATCH)
            if 0 < total - size < FLOOR:
                size = total - FLOOR  # none is left to go alone after
            rows = self.db.rows(
                "SELECT seq, code, answers FROM kiosk_answers WHERE user_id = ? AND survey_id = ?"
                " ORDER BY seq LIMIT ?",
                user_id,
                survey_id,
                size,
            )
            batch = list(rows)
            self.random.shuffle(batch)
            statuses = self._send(survey_id, batch, report)
            if statuses is None:
                return False
            if not self._apply(user_id, survey_id, batch, statuses, report):
                return False

    def _send(self, survey_id: str, batch: list, report: Delivery) -> list[int] | None:
        """Each answer's status as the server gave it, in the batch's order; None if
        nothing is to be applied (try later)."""
        report.requests += 1
        report.order += [row["seq"] for row in batch]
        body = {
            "responses": [
                {"code": row["code"], "answers": json.loads(row["answers"])} for row in batch
            ]
        }
        try:
            answer = self.client.call("POST", f"/surveys/{survey_id}/kiosk-responses", body)
        except Unreachable:
            report.failure = "unreachable"
            return None
        except LoggedOut:
            report.failure = "logged_out"
            return None
        except ApiError as error:
            if error.status in (404, 410):  # the survey is gone, or closed: all of them
                return [error.status] * len(batch)
            report.failure = "server"
            return None
        results = answer.get("results") if isinstance(answer, dict) else None
        statuses = [r.get("status") for r in results or [] if isinstance(r, dict)]
        return statuses[: len(batch)]

    def _apply(self, user_id: str, survey_id: str, batch, statuses, report) -> bool:
        """Remove what the server has (or never will); True if all of the batch is done."""
        done = lost = 0
        with self.db.transaction() as db:
            if self._user_id() != user_id:
                report.failure = "logged_out"
                return False
            for row, status in zip(batch, statuses, strict=False):
                if status in DELIVERED or status in UNDELIVERABLE:
                    db.execute("DELETE FROM kiosk_answers WHERE seq = ?", (row["seq"],))
                    done += status in DELIVERED
                    lost += status in UNDELIVERABLE
            if 410 in statuses:  # closed: its codes will never be taken
                db.execute(
                    "DELETE FROM kiosk_codes WHERE user_id = ? AND survey_id = ?",
                    (user_id, survey_id),
                )
        report.delivered += done
        report.undeliverable += lost
        if lost:
            counts = dict(self.store.get("kiosk_lost") or {})
            counts[survey_id] = counts.get(survey_id, 0) + lost
            self.store.put(kiosk_lost=counts)
        if done or lost:
            self.db.forget_deleted()
        if done + lost < len(batch):
            report.failure = "server"
            return False
        return True

    def round(self) -> Delivery:
        """What the open kiosk does now and then (network): deliver what may go, and
        fetch more codes when few are left."""
        report = self.deliver()
        survey_id = self.open_survey_id
        if survey_id is not None and report.failure is None:
            try:
                self.top_up(survey_id)
            except (ApiError, Unreachable):
                pass  # the codes held are used meanwhile; tried again next round
        return report


def checked(survey: dict, answers: dict) -> dict:
    """The answers as the server takes them: each fits its question (``ValueError``
    else), unanswered ones left out, at least one (``NothingAnswered``)."""
    questions = {q["id"]: q for q in survey.get("questions") or []}
    cleaned = {}
    for key, value in answers.items():
        question = questions.get(key)
        if question is None:
            raise ValueError(f"not a question of the survey: {key}")
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if not _fits(question, value):
            raise ValueError(f"not an answer to a {question['kind']} question")
        cleaned[key] = value.strip() if isinstance(value, str) else value
    if not cleaned:
        raise NothingAnswered()
    return cleaned


def _fits(question: dict, value) -> bool:
    kind = question["kind"]
    if kind == QuestionKind.SCALE:
        return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5
    if kind == QuestionKind.YES_NO:
        return isinstance(value, bool)
    if kind == QuestionKind.CHOICE:
        return value in (question.get("options") or [])
    return isinstance(value, str) and len(value.strip()) <= MAX_TEXT
