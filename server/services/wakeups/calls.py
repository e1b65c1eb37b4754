"""Wake-up calls (vekking): schedules, the day's calls, attempts and escalation.

The day's calls exist without anyone pressing a button: the first request for the list
(or the dispatcher) creates them, once, however many ask at the same time. A call is due at
the scheduled local time; an unanswered try makes it due again after a while, and after
enough unanswered tries it is flagged for a home visit. An answer or a pick-up completes
the call; so does the participant's check-in, which is read where calls are read (a
check-in writes nothing here, so the busiest write stays cheap).
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import selectinload

from server import clock, settings
from server.database import db
from server.models import (
    Attendance,
    Department,
    Group,
    Participant,
    WakeupAttempt,
    WakeupCall,
    WakeupSchedule,
)
from server.services import groups
from server.services.attendance import records as attendance
from server.services.attendance.expected import Calendar, in_programme
from server.services.common import access_log, history, scope
from server.services.common.actor import Actor
from server.services.common.errors import Conflict, Invalid, NotFound
from server.services.storage import inserts, retries
from shared.calendar import is_public_holiday
from shared.i18n import gettext
from shared.vocab import (
    AbsenceReason,
    AccessAction,
    AttendanceStatus,
    ParticipantStatus,
    WakeupOutcome,
    WakeupStatus,
)

RESOURCE = "wakeup"
# How many tries one morning's call may gather: after three unanswered ones it is flagged
# for a home visit, so far more is a phone gone wrong, and the call is computed from all.
MAX_ATTEMPTS_PER_CALL = 20
SCHEDULE_FIELDS = ("weekdays", "time", "phone", "sms", "active")
# Outcomes that end the day's call.
COMPLETING = {
    WakeupOutcome.ANSWERED_COMING,
    WakeupOutcome.ANSWERED_NOT_COMING,
    WakeupOutcome.PICKED_UP,
}


def retry_after() -> timedelta:
    return timedelta(minutes=settings.config()["SPIRE_WAKEUP_RETRY_MINUTES"])


def max_unanswered() -> int:
    return settings.config()["SPIRE_WAKEUP_MAX_UNANSWERED"]


# Schedules


def get_schedule(actor: Actor, participant_id: uuid.UUID) -> WakeupSchedule:
    participant = scope.get_participant(actor, participant_id)
    schedule = _schedule_of(participant.id)
    if schedule is None:
        raise NotFound(gettext("The participant has no wake-up schedule."))
    access_log.record(actor, [participant.id], AccessAction.READ, RESOURCE)
    db.session.commit()
    return schedule


def _schedule_of(participant_id: uuid.UUID) -> WakeupSchedule | None:
    return db.session.scalars(
        select(WakeupSchedule).where(WakeupSchedule.participant_id == participant_id)
    ).first()


def put_schedule(actor: Actor, participant_id: uuid.UUID, data: dict):
    """Set the schedule; returns (schedule, created). Earlier values go to the history."""
    participant = scope.get_participant(actor, participant_id)
    weekdays = sorted(set(data["weekdays"]))
    if len(weekdays) != len(data["weekdays"]):
        raise Invalid({"weekdays": gettext("A weekday is listed twice.")})
    if data.get("sms") and not (data.get("phone") or participant.phone):
        raise Invalid({"phone": gettext("An SMS needs a phone number.")})
    schedule = _schedule_of(participant.id)
    created = schedule is None
    if created:
        schedule = WakeupSchedule(participant_id=participant.id, updated_by_id=actor.user_id)
        db.session.add(schedule)
        before = None
    else:
        before = history.snapshot(schedule, SCHEDULE_FIELDS)
    schedule.weekdays = weekdays
    schedule.time = data["time"]
    schedule.phone = data.get("phone")
    schedule.sms = data.get("sms", False)
    schedule.active = data.get("active", True)
    schedule.updated_by_id = actor.user_id
    db.session.flush()
    if before is not None:
        history.record_change(
            actor,
            "wakeup_schedule",
            schedule.id,
            before,
            history.snapshot(schedule, SCHEDULE_FIELDS),
            participant_id=participant.id,
        )
    action = AccessAction.CREATE if created else AccessAction.UPDATE
    access_log.record(actor, [participant.id], action, RESOURCE)
    db.session.commit()
    return schedule, created


# The day's calls


def _due_at(day: date, at, timezone: str) -> datetime:
    return datetime.combine(day, at, ZoneInfo(timezone))


def ensure_calls(department: Department, day: date) -> None:
    """Bring the department's calls for the day in line with the schedules as they are now:
    make the missing ones (once, however many ask at the same time), move calls nobody has
    tried yet to a changed time or number, cancel calls for participants on leave, paused,
    ended or no longer scheduled that day (none are made on a public holiday of the
    organisation's country), and restore an untried call whose reason to be
    cancelled is gone. A fixed number of queries when nothing changed."""
    rows = db.session.execute(
        select(Participant, WakeupSchedule)
        .join(WakeupSchedule, WakeupSchedule.participant_id == Participant.id)
        .where(
            Participant.department_id == department.id,
            Participant.status == ParticipantStatus.ACTIVE,
            WakeupSchedule.active.is_(True),
        )
    ).all()
    # The department's organisation comes joined with it: no query for the country.
    country = department.organisation.country
    if is_public_holiday(day, country):
        rows = []
    ids = [participant.id for participant, _ in rows]
    calendar = Calendar(ids, day, day, country)
    records = (
        {
            record.participant_id: record
            for record in db.session.scalars(
                select(Attendance).where(Attendance.participant_id.in_(ids), Attendance.date == day)
            )
        }
        if ids
        else {}
    )
    existing = {
        call.participant_id: call
        for call in db.session.scalars(
            select(WakeupCall).where(
                WakeupCall.department_id == department.id, WakeupCall.date == day
            )
        )
    }
    wanted, on_leave = {}, set()
    for participant, schedule in rows:
        if calendar.on_leave(participant.id, day, records.get(participant.id)):
            on_leave.add(participant.id)
        elif day.isoweekday() in schedule.weekdays and in_programme(participant, day):
            due = _due_at(day, schedule.time, department.effective_timezone)
            wanted[participant.id] = {
                "due_at": due,
                "next_due_at": due,
                "phone": schedule.phone or participant.phone,
                "sms": schedule.sms,
            }

    now = clock.now()
    new_calls = [
        {
            "id": uuid.uuid4(),
            "organisation_id": department.organisation_id,
            "participant_id": participant_id,
            "department_id": department.id,
            "date": day,
            **values,
            "status": WakeupStatus.PENDING,
            "unanswered": 0,
            "home_visit": False,
            "completed_at": None,
            "created_at": now,
            "updated_at": now,
        }
        for participant_id, values in wanted.items()
        if participant_id not in existing
    ]
    inserts.insert_missing(WakeupCall.__table__, new_calls, ["participant_id", "date"])
    for participant_id, call in existing.items():
        untried = call.outcome is None
        values = wanted.get(participant_id)
        if call.status == WakeupStatus.PENDING and participant_id in on_leave:
            _set_status(call, WakeupStatus.CANCELLED, now)
        elif values is None:
            if call.status == WakeupStatus.PENDING and untried:
                _set_status(call, WakeupStatus.CANCELLED, now)
        elif untried and call.status != WakeupStatus.DONE:
            changed = {k: v for k, v in values.items() if getattr(call, k) != v}
            if changed or call.status == WakeupStatus.CANCELLED:
                for key, value in changed.items():
                    setattr(call, key, value)
                _set_status(call, WakeupStatus.PENDING, now)


def _set_status(call: WakeupCall, status: WakeupStatus, now) -> None:
    call.status, call.updated_at = status, now
    if status != WakeupStatus.PENDING:
        call.next_due_at = None


def checked_in():
    """True for a call whose participant has checked in that day."""
    return (
        exists()
        .where(
            Attendance.participant_id == WakeupCall.participant_id,
            Attendance.date == WakeupCall.date,
            # Checked in, even if the day later became an absence ("went home sick").
            or_(
                Attendance.check_in_at.is_not(None),
                Attendance.status == AttendanceStatus.PRESENT,
            ),
        )
        .label("checked_in")
    )


def effective_status(call: WakeupCall, came: bool) -> WakeupStatus:
    if call.status == WakeupStatus.PENDING and came:
        return WakeupStatus.DONE
    return call.status


def next_due(call: WakeupCall, came: bool):
    """When to call (again): only while the call is still to be made."""
    return call.next_due_at if effective_status(call, came) == WakeupStatus.PENDING else None


@dataclass(frozen=True)
class CallState:
    """A call as the staff see it: the participant's check-in (``came``) completes a call
    still pending, though it writes nothing to the call."""

    call: WakeupCall
    came: bool

    @property
    def status(self) -> WakeupStatus:
        return effective_status(self.call, self.came)

    @property
    def next_due_at(self) -> datetime | None:
        return next_due(self.call, self.came)

    @property
    def home_visit(self) -> bool:
        """Flagged for a home visit, while the call is still to be made."""
        return self.call.home_visit and self.status == WakeupStatus.PENDING


@dataclass(frozen=True)
class DayCall(CallState):
    """A call on the day's list, with its participant and every attempt so far."""

    participant: Participant
    attempts: list[WakeupAttempt]
    group: groups.GroupBrief | None = None


def _calls(department_id: uuid.UUID, day: date, group_id: uuid.UUID | None):
    stmt = (
        select(WakeupCall, Participant, checked_in())
        .join(Participant, Participant.id == WakeupCall.participant_id)
        .where(WakeupCall.department_id == department_id, WakeupCall.date == day)
        .options(selectinload(WakeupCall.attempts))
    )
    return db.session.execute(groups.with_groups(stmt, group_id)).all()


def _order(row):
    call, participant, came, *_ = row
    return (
        effective_status(call, came) != WakeupStatus.PENDING,
        next_due(call, came) or call.due_at,
        participant.last_name.casefold(),
        participant.first_name.casefold(),
    )


def day_calls(
    actor: Actor,
    department_id: uuid.UUID,
    day: date | None = None,
    group_id: uuid.UUID | None = None,
) -> list[DayCall]:
    """GET /wakeups: the day's calls, each with the participant and attempts; by group
    (the caller's own groups first, then the others by name, then those in none), due
    first inside each."""
    department = scope.get_department(actor, department_id)
    if group_id is not None:
        groups.group_of_department(department, group_id)
    local_today = clock.local_today(department.effective_timezone)
    day = day or local_today
    if day > local_today:
        raise Invalid({"date": gettext("Must not be in the future.")})
    if day == local_today:
        ensure_calls(department, day)
    rows = sorted(_calls(department.id, day, group_id), key=_order)
    # Sorting is stable: the order above holds inside each group.
    rows.sort(key=lambda row: groups.own_first(actor.user_id, row))
    access_log.record(actor, [row.Participant.id for row in rows], AccessAction.LIST, RESOURCE)
    db.session.commit()
    return [
        DayCall(
            row.WakeupCall,
            row.checked_in,
            row.Participant,
            row.WakeupCall.attempts,
            groups.brief_of(row),
        )
        for row in rows
    ]


def _count_attempts(call: WakeupCall) -> int:
    return db.session.scalar(select(func.count()).where(WakeupAttempt.call_id == call.id))


def day_call(call: WakeupCall) -> DayCall:
    """A call as the day's list shows it, after a change."""
    participant = db.session.get(Participant, call.participant_id)
    attempts = db.session.scalars(
        select(WakeupAttempt).where(WakeupAttempt.call_id == call.id).order_by(WakeupAttempt.at)
    ).all()
    group = participant.group_id and db.session.get(Group, participant.group_id)
    brief = groups.GroupBrief(group.id, group.name) if group else None
    return DayCall(call, _checked_in(call), participant, attempts, brief)


def calls_by_participant(department: Department, day: date) -> dict[uuid.UUID, CallState]:
    """The department's calls on the day, by participant (for the day's list, GET /today)."""
    if day == clock.local_today(department.effective_timezone):
        ensure_calls(department, day)
    calls = db.session.execute(
        select(WakeupCall, checked_in()).where(
            WakeupCall.department_id == department.id, WakeupCall.date == day
        )
    )
    return {call.participant_id: CallState(call, came) for call, came in calls}


# Attempts


def _scoped_call(actor: Actor, call_id: uuid.UUID) -> WakeupCall:
    call = db.session.scalars(
        scope.of_visible_participants(actor, select(WakeupCall), WakeupCall.participant_id)
        .where(WakeupCall.id == call_id)
        .with_for_update(of=WakeupCall)
        .execution_options(populate_existing=True)
    ).first()
    if call is None:
        raise NotFound(gettext("Wake-up call not found."))
    return call


def record_attempt(actor: Actor, call_id: uuid.UUID, attempt_id: uuid.UUID, body: dict):
    """PUT /wakeups/{id}/attempts/{attempt_id}; returns (call, attempt, created)."""
    return retries.with_retries(lambda: _record_attempt(actor, call_id, attempt_id, body))


def _plain_body(body: dict) -> dict:
    return {key: history.plain(value) for key, value in body.items()}


def _record_attempt(actor: Actor, call_id: uuid.UUID, attempt_id: uuid.UUID, body: dict):
    call = _scoped_call(actor, call_id)
    if body["outcome"] == WakeupOutcome.ANSWERED_NOT_COMING and not body.get("absence_reason"):
        raise Invalid({"absence_reason": gettext("Say why the participant is not coming.")})
    if body["outcome"] != WakeupOutcome.ANSWERED_NOT_COMING and body.get("absence_reason"):
        raise Invalid({"absence_reason": gettext("Only for answered_not_coming.")})
    if body["at"] > clock.now() + retries.CLOCK_SKEW:
        raise Invalid({"at": gettext("Must not be in the future.")})

    attempt = db.session.get(WakeupAttempt, attempt_id)
    if attempt is not None and attempt.call_id != call.id:
        raise Conflict(gettext("This id belongs to another call."))
    plain = _plain_body(body)
    created = attempt is None
    if attempt is not None and attempt.body == plain:
        access_log.record(actor, [call.participant_id], AccessAction.READ, RESOURCE)
        return call, attempt, False
    if created:
        if _count_attempts(call) >= MAX_ATTEMPTS_PER_CALL:
            raise Invalid(
                {
                    "at": gettext(
                        "This call has {n} tries already: correct one of them instead."
                    ).format(n=MAX_ATTEMPTS_PER_CALL)
                }
            )
        attempt = WakeupAttempt(id=attempt_id, call_id=call.id, user_id=actor.user_id)
        db.session.add(attempt)
    else:
        history.record_change(
            actor,
            "wakeup_attempt",
            attempt.id,
            attempt.body,
            plain,
            participant_id=call.participant_id,
        )
    was_absence = not created and attempt.outcome == WakeupOutcome.ANSWERED_NOT_COMING
    attempt.outcome = body["outcome"]
    attempt.at = body["at"]
    attempt.note = body.get("note")
    attempt.body = plain
    db.session.flush()
    recompute(call)
    if body["outcome"] == WakeupOutcome.ANSWERED_NOT_COMING:
        _record_absence(actor, call, attempt, body["absence_reason"])
    elif was_absence:
        # The attempt was corrected: the absence it recorded goes with it.
        attendance.withdraw_write(actor, absence_write_id(attempt))
    access_log.record(
        actor,
        [call.participant_id],
        AccessAction.CREATE if created else AccessAction.UPDATE,
        RESOURCE,
    )
    return call, attempt, created


def recompute(call: WakeupCall) -> None:
    """The call's state follows from its attempts, so a corrected attempt corrects it (the
    attempts are read from the database: flush them first)."""
    attempts = db.session.scalars(
        select(WakeupAttempt).where(WakeupAttempt.call_id == call.id).order_by(WakeupAttempt.at)
    ).all()
    unanswered = [a for a in attempts if a.outcome == WakeupOutcome.NO_ANSWER]
    completing = [a for a in attempts if a.outcome in COMPLETING]
    call.unanswered = len(unanswered)
    call.home_visit = call.unanswered >= max_unanswered() and not completing
    call.outcome = attempts[-1].outcome if attempts else None
    if completing:
        call.status = WakeupStatus.DONE
        call.completed_at = completing[-1].at
    elif call.status == WakeupStatus.DONE:
        call.status, call.completed_at = WakeupStatus.PENDING, None
    retry_from = [
        a.at for a in attempts if a.outcome in (WakeupOutcome.NO_ANSWER, WakeupOutcome.SMS_SENT)
    ]
    if call.status != WakeupStatus.PENDING:
        call.next_due_at = None
    elif retry_from:
        # A try before the planned time does not bring the call forward.
        call.next_due_at = max(call.due_at, max(retry_from) + retry_after())
    else:
        call.next_due_at = call.due_at
    call.updated_at = clock.now()


def _checked_in(call: WakeupCall) -> bool:
    return bool(db.session.scalar(select(checked_in()).where(WakeupCall.id == call.id)))


def absence_write_id(attempt: WakeupAttempt) -> uuid.UUID:
    """The id of the attendance write by which an answer "not coming" records the absence."""
    return uuid.uuid5(attempt.id, "absence")


def _record_absence(actor: Actor, call: WakeupCall, attempt: WakeupAttempt, reason) -> None:
    """The day's absence, written by the attendance rule with an id derived from the
    attempt: a repeated attempt repeats the same attendance write, and an attempt corrected
    back to not coming brings back the absence its earlier correction withdrew."""
    attendance.apply_write(
        actor,
        absence_write_id(attempt),
        {
            "participant_id": call.participant_id,
            "date": call.date,
            "status": AttendanceStatus.ABSENT,
            "absence_reason": AbsenceReason(reason),
            "note": attempt.note,
            "recorded_at": attempt.at,
        },
        bring_back=True,
    )
