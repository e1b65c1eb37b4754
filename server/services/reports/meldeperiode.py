"""A participant's NAV reporting period (meldeperiode): its fourteen days, each in the
category of NAV's meldekort (``shared.meldeperiode``) with its hours, the totals, and
the plan's share of a full-time week; for a leader or admin, of a participant who has
consented to reports going to NAV, logged as an export."""

import uuid
from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import select

from server import clock
from server.database import db
from server.models import Attendance
from server.services.attendance.expected import in_programme
from server.services.attendance.stats import Period
from server.services.common.actor import Actor
from server.services.common.errors import Invalid
from server.services.reports.access import log_export
from server.services.reports.nav import Subject, participant_for_nav, subject
from shared import meldeperiode as rules
from shared.calendar import is_public_holiday
from shared.i18n import gettext
from shared.schedule import plan_in_force
from shared.vocab import (
    AbsenceReason,
    AttendanceStatus,
    HoursSource,
    NavDayCategory,
    Participation,
    values,
)

RESOURCE = "meldeperiode"


@dataclass(frozen=True)
class NavDay:
    day: date
    week: int
    # The plan schedules the day (leave aside), within the participant's time in the
    # programme, not on a public holiday.
    programme_day: bool
    # What Spire holds: "present", an absence reason, "leave" (planned) or None.
    entry: str | None
    # None: a programme day still to come, with nothing recorded yet.
    category: NavDayCategory | None
    hours: float | None
    hours_source: HoursSource | None


@dataclass(frozen=True)
class PlanShare:
    """How much of a week the plan in force at the period's end asks for."""

    days_per_week: int
    weekly_hours: float
    # Of a full-time week of 37.5 hours, as a fraction.
    share_of_full_time: float
    # The participant's own terms, where set.
    participation: Participation | None
    agreed_days_per_week: int | None


@dataclass(frozen=True)
class Meldeperiode:
    subject: Subject
    first_day: date
    last_day: date
    weeks: tuple[int, int]
    # Days after it have not happened: only what is already known of them is shown.
    counted_to: date
    made_on: date
    days: list[NavDay]
    plan: PlanShare | None
    totals: dict

    @property
    def participant(self):
        return self.subject.participant

    @property
    def complete(self) -> bool:
        """Every day has happened and none is left unregistered: ready for the meldekort."""
        return self.counted_to >= self.last_day and not self.totals["unregistered_days"]


def meldeperiode(actor: Actor, participant_id: uuid.UUID, first_day: date) -> Meldeperiode:
    """The period of 14 days from ``first_day`` (a Monday, not after today), for a leader
    or admin, of a participant who has consented and was in the programme some day of
    it; logged as an export."""
    if not rules.is_period_start(first_day):
        raise Invalid({"period_start": gettext("A reporting period starts on a Monday.")})
    participant = participant_for_nav(actor, participant_id)
    about = subject(actor, participant)
    today = clock.local_today(about.timezone)
    last_day = rules.period_end(first_day)
    if first_day > today:
        raise Invalid({"period_start": gettext("The period has not started yet.")})
    if participant.start_date > last_day or (
        participant.end_date is not None and participant.end_date < first_day
    ):
        raise Invalid(
            {"period_start": gettext("The participant was not in the programme in this period.")}
        )
    period = Period([participant], first_day, last_day, about.country)
    days = _days(participant, period, first_day, min(last_day, today))
    report = Meldeperiode(
        subject=about,
        first_day=first_day,
        last_day=last_day,
        weeks=rules.period_weeks(first_day),
        counted_to=min(last_day, today),
        made_on=today,
        days=days,
        plan=_plan_share(participant, period, min(last_day, participant.end_date or last_day)),
        totals=_totals(days),
    )
    log_export(actor, RESOURCE, [participant.id], period_start=first_day.isoformat())
    db.session.commit()
    return report


def _days(participant, period: Period, first_day: date, counted_to: date) -> list[NavDay]:
    calendar = period.calendar
    records = period.records[participant.id]
    expected = period.expected(participant)
    times = {
        row.date: row
        for row in db.session.execute(
            select(Attendance.date, Attendance.check_in_at, Attendance.check_out_at).where(
                Attendance.participant_id == participant.id,
                Attendance.date >= period.first_day,
                Attendance.date <= period.last_day,
            )
        )
    }
    days = []
    for day in rules.period_days(first_day):
        record = records.get(day)
        slots = calendar.slots(participant.id, day)
        planned_leave = calendar.on_leave(participant.id, day)
        on_leave = planned_leave or (
            record is not None and record.absence_reason == AbsenceReason.LEAVE
        )
        # Expected, or would have been but for leave: one rule with the attendance figures.
        programme_day = day in expected or (
            on_leave
            and bool(slots)
            and in_programme(participant, day)
            and not is_public_holiday(day, calendar.country)
        )
        present = record is not None and record.status == AttendanceStatus.PRESENT
        if record is not None:
            entry = "present" if present else record.absence_reason
        else:
            entry = "leave" if planned_leave else None
        hours, source = _hours(present, times.get(day), slots)
        days.append(
            NavDay(
                day=day,
                week=day.isocalendar().week,
                programme_day=programme_day,
                entry=str(entry) if entry else None,
                category=rules.category(
                    programme_day=programme_day,
                    present=present,
                    absence_reason=None if record is None else record.absence_reason,
                    on_leave=planned_leave,
                    gone_by=day <= counted_to,
                ),
                hours=hours,
                hours_source=source,
            )
        )
    return days


def _hours(present: bool, times, slots) -> tuple[float | None, HoursSource | None]:
    """Check-in to check-out when both are registered, else the day's scheduled hours."""
    if not present:
        return None, None
    if times is not None and times.check_in_at and times.check_out_at:
        return rules.hours_between(times.check_in_at, times.check_out_at), HoursSource.REGISTERED
    if slots:
        return _slot_hours(slots), HoursSource.SCHEDULED
    return None, None


def _slot_hours(slots) -> float:
    def minutes(moment: time) -> int:
        return moment.hour * 60 + moment.minute

    return sum(minutes(s.end_time) - minutes(s.start_time) for s in slots) / 60


def _plan_share(participant, period: Period, day: date) -> PlanShare | None:
    calendar = period.calendar
    plan = plan_in_force(calendar.plans[participant.id], day)
    if plan is None:
        return None
    slots = calendar.slots_by_plan[plan.id]
    weekly_hours = _slot_hours(slots)
    return PlanShare(
        days_per_week=len({s.weekday for s in slots}),
        weekly_hours=weekly_hours,
        share_of_full_time=rules.share_of_full_time(weekly_hours),
        participation=Participation(participant.participation)
        if participant.participation
        else None,
        agreed_days_per_week=participant.days_per_week,
    )


def _totals(days: list[NavDay]) -> dict:
    counts = dict.fromkeys(values(NavDayCategory), 0)
    for day in days:
        if day.category is not None:
            counts[day.category] += 1
    return {
        "days": counts,
        "hours": sum(day.hours or 0 for day in days),
        "unregistered_days": counts[NavDayCategory.UNREGISTERED],
    }
