"""The history a demo participant has behind them, written the same way in either country:
plans, attendance as the staff's phones record it, follow-ups, group memberships and wake-up
calls. The country gives its own texts, hours and random numbers."""

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

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
    return Attendance(
        id=uuid.uuid4(),
        organisation_id=participant.organisation_id,
        participant_id=participant.id,
        department_id=participant.department_id,
        date=day,
        note=None,
        status_recorded_at=check_in,
        created_by_id=author_id,
        updated_by_id=author_id,
        status=AttendanceStatus.PRESENT if present else AttendanceStatus.ABSENT,
        absence_reason=None if present else rng.choice(ABSENCE_REASONS),
        check_in_at=check_in if present else None,
        check_out_at=check_in + timedelta(hours=5) if present else None,
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
