"""The history a demo participant has behind them, written the same way in either country:
plans, attendance as the staff's phones record it, follow-ups, group memberships and wake-up
calls; and this morning of each department so far. The country gives its own texts, hours
and random numbers."""

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from server import clock
from server.database import db
from server.models import (
    Attendance,
    AttendanceWrite,
    FollowUp,
    Goal,
    GoalUpdate,
    GroupMembership,
    Plan,
    PlanGoal,
    ScheduleSlot,
    WakeupAttempt,
    WakeupCall,
    WakeupSchedule,
)
from server.services import wakeups as wakeup_calls
from shared.calendar import is_public_holiday
from shared.vocab import (
    AbsenceReason,
    AttendanceStatus,
    FollowUpKind,
    GoalStatus,
    WakeupOutcome,
    WakeupStatus,
)

# How far back the attendance, follow-ups and wake-up calls reach, in days before today.
DAYS = 30
ABSENCE_REASONS = [
    AbsenceReason.SICK,
    AbsenceReason.SICK_CHILD,
    AbsenceReason.APPOINTMENT,
    AbsenceReason.NO_SHOW,
    AbsenceReason.OTHER,
]


def past_days(today: date, weekdays, country: str) -> Iterator[date]:
    """The last ``DAYS`` days before today that fall on ``weekdays``, oldest first, the
    country's public holidays left out (no one is expected, no one is woken)."""
    for days_back in range(DAYS, 0, -1):
        day = today - timedelta(days=days_back)
        if day.isoweekday() in weekdays and not is_public_holiday(day, country):
            yield day


# --- Plans ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanVersion:
    """One version of a plan: from when, the daily hours, and when it and its goals are due."""

    valid_from: date
    hours: tuple[time, time]
    work_areas: list[str]
    notes: str | None
    review_after: timedelta
    goals_due_after: timedelta


def plans(participant, weekdays, author_id, chosen_goals, versions, progress_note) -> None:
    """The plan's ``versions``, all with the ``chosen_goals`` (title, description); the first
    goal in progress since two weeks after the start."""
    goals = _goals(participant, len(chosen_goals))
    for number, version in enumerate(versions, start=1):
        db.session.add(
            Plan(
                participant_id=participant.id,
                version=number,
                valid_from=version.valid_from,
                review_date=version.valid_from + version.review_after,
                work_areas=version.work_areas,
                notes=version.notes,
                created_by_id=author_id,
                created_at=datetime.combine(version.valid_from, time(10), UTC),
                schedule=_schedule(weekdays, version.hours),
                plan_goals=_plan_goals(goals, chosen_goals, version),
            )
        )
    goals[0].status = GoalStatus.IN_PROGRESS
    db.session.add(_progress(goals[0], progress_note, author_id, participant.start_date))


def _goals(participant, count: int) -> list[Goal]:
    goals = [Goal(id=uuid.uuid4(), participant_id=participant.id) for _ in range(count)]
    for goal in goals:
        goal.status = GoalStatus.NOT_STARTED
        db.session.add(goal)
    return goals


def _schedule(weekdays, hours: tuple[time, time]) -> list[ScheduleSlot]:
    start, end = hours
    return [ScheduleSlot(weekday=day, start_time=start, end_time=end) for day in weekdays]


def _plan_goals(goals, chosen_goals, version: PlanVersion) -> list[PlanGoal]:
    return [
        PlanGoal(
            goal=goal,
            position=i,
            title=title,
            description=description,
            due_date=version.valid_from + version.goals_due_after,
        )
        for i, (goal, (title, description)) in enumerate(zip(goals, chosen_goals, strict=True))
    ]


def _progress(goal, note: str, author_id, start: date) -> GoalUpdate:
    return GoalUpdate(
        goal_id=goal.id,
        status=GoalStatus.IN_PROGRESS,
        progress_note=note,
        user_id=author_id,
        at=datetime.combine(start + timedelta(days=14), time(13), UTC),
    )


# --- Attendance -----------------------------------------------------------------------------


def attendance(participant, weekdays, author_id, today, rng, zone, arrival: time) -> None:
    """The participant's days before today, public holidays of the organisation's country
    left out: mostly present (arriving within 40 minutes of ``arrival``), some absences with
    reasons, as a staff member's phone would have written them."""
    writes = []
    for day in past_days(today, weekdays, participant.department.organisation.country):
        record = _attendance(participant, day, author_id, rng, zone, arrival)
        db.session.add(record)
        writes.append(_attendance_write(record))
    # The writes refer to the records, and no relationship tells the ORM to insert those first.
    db.session.flush()
    db.session.add_all(writes)


def _attendance(participant, day, author_id, rng, zone, arrival) -> Attendance:
    present = rng.random() < 0.82
    check_in = datetime.combine(day, arrival, zone) + timedelta(minutes=rng.randrange(40))
    if present:
        return _record(
            participant, day, author_id, check_in, check_in, check_in + timedelta(hours=5)
        )
    return _record(participant, day, author_id, check_in, reason=rng.choice(ABSENCE_REASONS))


def _record(
    participant, day, author_id, recorded_at, check_in=None, check_out=None, reason=None
) -> Attendance:
    """The day's record: present with the check-in (and check-out) given, else absent for
    ``reason``."""
    return Attendance(
        id=uuid.uuid4(),
        organisation_id=participant.organisation_id,
        participant_id=participant.id,
        department_id=participant.department_id,
        date=day,
        note=None,
        status_recorded_at=recorded_at,
        created_by_id=author_id,
        updated_by_id=author_id,
        status=AttendanceStatus.ABSENT if reason else AttendanceStatus.PRESENT,
        absence_reason=reason,
        check_in_at=check_in,
        check_out_at=check_out,
    )


def _attendance_write(record: Attendance) -> AttendanceWrite:
    """The body the phone sent for ``record``."""
    values = {
        "status": record.status,
        "absence_reason": record.absence_reason,
        "check_in_at": record.check_in_at,
        "check_out_at": record.check_out_at,
    }
    body = {
        "participant_id": str(record.participant_id),
        "date": record.date.isoformat(),
        **{
            k: (v.astimezone(UTC).isoformat() if isinstance(v, datetime) else v)
            for k, v in values.items()
        },
    }
    return AttendanceWrite(
        id=record.id,
        attendance_id=record.id,
        participant_id=record.participant_id,
        date=record.date,
        body=body,
        recorded_at=record.status_recorded_at,
    )


# --- Follow-ups -----------------------------------------------------------------------------


def followups(participant, author_id, today, rng, zone, notes, quiet: bool) -> None:
    """A follow-up every few days over the last month, with the country's ``notes`` by kind;
    ``quiet`` ones stopped three weeks ago, so the work list of participants nobody has
    followed up lately is not empty."""
    first = 21 if quiet else 1
    for days_ago in range(first, DAYS, rng.choice((3, 4, 5))):
        day = today - timedelta(days=days_ago)
        if day < participant.start_date:
            break
        kind = rng.choice(list(FollowUpKind))
        db.session.add(
            FollowUp(
                id=uuid.uuid4(),
                participant_id=participant.id,
                kind=kind,
                occurred_at=datetime.combine(day, time(rng.choice((10, 12, 14))), zone),
                duration_minutes=rng.choice((15, 30, 45, 60, 90)),
                note=notes[kind],
                author_id=author_id,
                updated_by_id=author_id,
            )
        )


# --- Group memberships ----------------------------------------------------------------------


def memberships(participant, group, earlier, author_id, zone) -> None:
    """The participant's group since the start; with an ``earlier`` group, they began there
    and changed after three weeks."""
    joined = datetime.combine(participant.start_date, time(8), zone)
    if earlier is not None:
        changed = joined + timedelta(days=21)
        db.session.add(_membership(participant, earlier, joined, author_id, left_at=changed))
        joined = changed
    db.session.add(_membership(participant, group, joined, author_id))


def _membership(participant, group, joined, author_id, left_at=None) -> GroupMembership:
    return GroupMembership(
        id=uuid.uuid4(),
        organisation_id=participant.organisation_id,
        participant_id=participant.id,
        group_id=group.id,
        joined_at=joined,
        left_at=left_at,
        added_by=author_id,
        removed_by=author_id if left_at else None,
    )


# --- Wake-up calls --------------------------------------------------------------------------


def wakeups(participant, weekdays, at: time, author_id, today, zone, rng, note: str) -> None:
    """A morning call at ``at`` on the participant's days, and a month of calls made since
    the start: most answered at once, some after a try or two; ``note`` on the answer."""
    db.session.add(
        WakeupSchedule(
            participant_id=participant.id,
            weekdays=weekdays,
            time=at,
            phone=participant.phone,
            updated_by_id=author_id,
        )
    )
    for day in past_days(today, weekdays, participant.department.organisation.country):
        if day >= participant.start_date:
            _wakeup_call(participant, datetime.combine(day, at, zone), author_id, rng, note)


def _wakeup_call(participant, due: datetime, author_id, rng, note: str) -> None:
    call = WakeupCall(
        id=uuid.uuid4(),
        organisation_id=participant.organisation_id,
        participant_id=participant.id,
        department_id=participant.department_id,
        date=due.date(),
        due_at=due,
        phone=participant.phone,
        status=WakeupStatus.DONE,
        outcome=WakeupOutcome.ANSWERED_COMING,
    )
    db.session.add(call)
    db.session.flush()  # the attempts refer to it
    unanswered = rng.choice((0, 0, 0, 1, 2))
    tries = [WakeupOutcome.NO_ANSWER] * unanswered + [WakeupOutcome.ANSWERED_COMING]
    for n, outcome in enumerate(tries):
        db.session.add(_attempt(call, outcome, due + timedelta(minutes=10 * n), author_id, note))
    call.unanswered = unanswered
    call.completed_at = due + timedelta(minutes=10 * unanswered)


def _attempt(call, outcome, moment: datetime, author_id, note: str) -> WakeupAttempt:
    return WakeupAttempt(
        id=uuid.uuid4(),
        call_id=call.id,
        outcome=outcome,
        at=moment,
        note=note if outcome == WakeupOutcome.ANSWERED_COMING else None,
        user_id=author_id,
        body={"outcome": outcome.value, "at": moment.astimezone(UTC).isoformat()},
    )


# --- This morning ---------------------------------------------------------------------------

# This morning's events are planned up to this local time. A demo made earlier in the day has
# them in the same order between midnight and the moment it is made, so nothing recorded is
# in the future.
MORNING_ENDS = time(11)


@dataclass(frozen=True)
class Member:
    """A participant as this morning sees them: their weekdays, who writes their day, and
    the time of their wake-up call if they have a schedule."""

    participant: object
    weekdays: list[int]
    author_id: uuid.UUID
    call_at: time | None = None


class Morning:
    """Today in a department's time zone, and when what was planned has happened by now."""

    def __init__(self, today: date, zone: ZoneInfo):
        self.today, self.zone = today, zone
        self.midnight = datetime.combine(today, time(0), zone)
        planned = datetime.combine(today, MORNING_ENDS, zone) - self.midnight
        so_far = clock.now() - timedelta(minutes=1) - self.midnight
        self.share = min(1.0, max(0.0, so_far / planned))

    def at(self, hour: int, minute: int = 0) -> datetime:
        """The planned local time, squeezed towards midnight when it has not come yet."""
        planned = datetime.combine(self.today, time(hour), self.zone) + timedelta(minutes=minute)
        return self.midnight + (planned - self.midnight) * self.share

    def clock_at(self, moment: time) -> datetime:
        return self.at(moment.hour, moment.minute)

    def after(self, moment: datetime, minutes: int) -> datetime:
        """``minutes`` after ``moment``, squeezed as every planned time is."""
        return moment + timedelta(minutes=minutes) * self.share


def this_morning(
    members: list[Member], morning: Morning, rng, arrival: time, note: str, home_visit: bool
) -> None:
    """A department's list of today so far, as the staff's phones wrote it: a few of those
    expected checked in (the first of them checked out again), one absent sick, the rest
    expected and not there yet. The morning's wake-up calls are made: done for those who
    came, answered "not coming" for the one off sick if they were called, and for the
    others in turn one flagged for a home visit (if ``home_visit``), one due again after an
    unanswered try, one answered and on the way, the rest still to be made; ``note`` on an
    answer. Nothing on a public holiday, nor for those not expected today."""
    day = morning.today
    if not members or is_public_holiday(
        day, members[0].participant.department.organisation.country
    ):
        return
    expected = [
        m for m in members if day.isoweekday() in m.weekdays and m.participant.start_date <= day
    ]
    called = [m for m in expected if m.call_at is not None]
    uncalled = [m for m in expected if m.call_at is None]
    # A few came: one of them woken this morning, the others by themselves.
    came = rng.sample(called, min(1, len(called)))
    size = 3 if len(expected) > 6 else 2
    came += rng.sample(uncalled, min(size - len(came), len(uncalled)))
    others = [m for m in called if m not in came]
    came += rng.sample(others, min(size - len(came), len(others)))
    rest = [m for m in expected if m not in came]
    # Off sick: one who phoned in, else one who said so when woken.
    phoned_in = [m for m in rest if m.call_at is None]
    sick = rng.choice(phoned_in or rest) if rest else None
    writes = []
    for n, member in enumerate(came):
        check_in = morning.after(morning.clock_at(arrival), 5 + 7 * n)
        check_out = morning.at(10, 30) if n == 0 else None
        record = _record(member.participant, day, member.author_id, check_in, check_in, check_out)
        writes.append(record)
    if sick is not None and sick.call_at is None:
        phoned = morning.after(morning.clock_at(arrival), -45)
        writes.append(
            _record(sick.participant, day, sick.author_id, phoned, reason=AbsenceReason.SICK)
        )
    kinds = iter(
        ["home_visit", "due_again", "on_the_way"] if home_visit else ["due_again", "on_the_way"]
    )
    for member in called:
        if member in came:
            _morning_call(member, morning, "came", note)
        elif member is sick:
            writes.append(_morning_call(member, morning, "sick", note))
        else:
            _morning_call(member, morning, next(kinds, "to_make"), note)
    db.session.add_all(writes)
    db.session.flush()  # the writes refer to the records
    db.session.add_all([_attendance_write(record) for record in writes])


# The tries that make this morning's call of each kind.
MORNING_TRIES = {
    "came": [WakeupOutcome.ANSWERED_COMING],
    "sick": [WakeupOutcome.ANSWERED_NOT_COMING],
    "on_the_way": [WakeupOutcome.NO_ANSWER, WakeupOutcome.ANSWERED_COMING],
    "due_again": [WakeupOutcome.NO_ANSWER],
    "to_make": [],
}


def _morning_call(member: Member, morning: Morning, kind: str, note: str) -> Attendance | None:
    """Today's call of ``member``, with the tries that make it ``kind``; for "sick", the
    absence the answer records, as the wake-up rule writes it (not yet added)."""
    participant = member.participant
    due = datetime.combine(morning.today, member.call_at, morning.zone)
    call = WakeupCall(
        id=uuid.uuid4(),
        organisation_id=participant.organisation_id,
        participant_id=participant.id,
        department_id=participant.department_id,
        date=morning.today,
        due_at=due,
        next_due_at=due,
        phone=participant.phone,
        status=WakeupStatus.PENDING,
        unanswered=0,
        home_visit=False,
    )
    db.session.add(call)
    db.session.flush()  # the attempts refer to it
    unanswered = [WakeupOutcome.NO_ANSWER] * wakeup_calls.max_unanswered()
    tries = unanswered if kind == "home_visit" else MORNING_TRIES[kind]
    first = morning.clock_at(member.call_at)
    attempts = [
        _attempt(call, outcome, morning.after(first, 10 * n), member.author_id, note)
        for n, outcome in enumerate(tries)
    ]
    if kind == "sick":
        attempts[0].body = {**attempts[0].body, "absence_reason": AbsenceReason.SICK.value}
    db.session.add_all(attempts)
    db.session.flush()
    wakeup_calls.recompute(call)
    if kind != "sick":
        return None
    at = attempts[0].at
    record = _record(participant, morning.today, member.author_id, at, reason=AbsenceReason.SICK)
    record.id = wakeup_calls.absence_write_id(attempts[0])
    return record
