"""The attendance report of a department over a period: participants x days, each day
with what it holds, and per participant (and per month) the expected days, the days
present, the absences by reason and the attendance rate, all by the rules of
``attendance.stats``, and the rate of each week for the chart."""

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from server import clock
from server.database import db
from server.models import Attendance
from server.services.attendance.stats import Period, in_period
from server.services.common import periods, scope
from server.services.common.actor import Actor
from server.services.common.names import ParticipantName
from server.services.reports.access import log_export, require_reporter
from shared.calendar import is_public_holiday
from shared.labels import UNREGISTERED
from shared.vocab import AttendanceStatus

RESOURCE = "attendance_report"


@dataclass(frozen=True)
class Named:
    id: uuid.UUID
    name: str


@dataclass(frozen=True)
class Day:
    day: date
    expected: bool
    # What the grid shows: "present", an absence reason, "unregistered" (expected, past,
    # nothing registered) or None (blank).
    key: str | None


@dataclass(frozen=True)
class Month:
    first_day: date
    last_day: date


@dataclass(frozen=True)
class Row:
    participant: ParticipantName
    days: list[Day]
    summary: dict
    # The summary of each month of the period, in the order of ``AttendanceReport.months``.
    months: list[dict]


@dataclass(frozen=True)
class Week:
    monday: date
    expected_days: int
    present_on_expected_days: int

    @property
    def attendance_rate(self) -> float | None:
        if not self.expected_days:
            return None
        return round(self.present_on_expected_days / self.expected_days, 4)


@dataclass(frozen=True)
class AttendanceReport:
    organisation: str
    department: Named
    first_day: date
    last_day: date
    # Days after this one (the department's today) have not happened: counted as nothing.
    counted_to: date
    made_on: date
    days: list[date]
    holidays: set[date]
    months: list[Month]
    rows: list[Row]
    weeks: list[Week]
    totals: dict = field(default_factory=dict)


def attendance_report(
    actor: Actor, department_id: uuid.UUID, first_day: date, last_day: date
) -> AttendanceReport:
    """The report (leaders and admins), logged as an export for every participant in it."""
    require_reporter(actor)
    periods.check(first_day, last_day)
    department = scope.get_department(actor, department_id)
    organisation = department.organisation
    today = clock.local_today(department.effective_timezone)
    counted_to = min(last_day, today)
    participants = in_period(department.id, first_day, last_day)
    days = _days(first_day, last_day)
    months = _months(first_day, last_day)
    # Nothing after today counts: a report of the running month counts what has happened.
    period = Period(participants, first_day, max(first_day, counted_to), organisation.country)
    rows = []
    for participant in participants:
        expected = period.expected(participant) if counted_to >= first_day else set()
        records = period.records[participant.id]
        rows.append(
            Row(
                participant=ParticipantName(
                    participant.id, participant.first_name, participant.last_name
                ),
                days=[
                    _day(day, day in expected, records.get(day), counted_to, period, participant)
                    for day in days
                ],
                summary=period.summary(participant, expected=expected),
                months=[
                    period.summary(participant, m.first_day, m.last_day, expected) for m in months
                ],
            )
        )
    log_export(
        actor,
        RESOURCE,
        (p.id for p in participants),
        department_id=str(department.id),
        first_day=first_day.isoformat(),
        last_day=last_day.isoformat(),
    )
    db.session.commit()
    return AttendanceReport(
        organisation=organisation.name,
        department=Named(department.id, department.name),
        first_day=first_day,
        last_day=last_day,
        counted_to=counted_to,
        made_on=today,
        days=days,
        holidays={day for day in days if is_public_holiday(day, organisation.country)},
        months=months,
        rows=rows,
        weeks=_weeks(rows, days),
        totals=_totals(rows),
    )


def _day(day: date, expected: bool, record: Attendance | None, counted_to, period, participant):
    if record is not None:
        key = "present" if record.status == AttendanceStatus.PRESENT else record.absence_reason
        return Day(day, expected, str(key) if key else None)
    if day <= counted_to and period.calendar.on_leave(participant.id, day):
        return Day(day, False, "leave")
    if expected and day <= counted_to:
        return Day(day, True, UNREGISTERED)
    return Day(day, expected, None)


def _days(first_day: date, last_day: date) -> list[date]:
    return [first_day + timedelta(days=n) for n in range((last_day - first_day).days + 1)]


def _months(first_day: date, last_day: date) -> list[Month]:
    months = []
    start = first_day
    while start <= last_day:
        next_month = (start.replace(day=1) + timedelta(days=32)).replace(day=1)
        end = min(last_day, next_month - timedelta(days=1))
        months.append(Month(start, end))
        start = next_month
    return months


def _weeks(rows: list[Row], days: list[date]) -> list[Week]:
    """Every week (Monday to Sunday) the period touches, with its expected days and the
    days present of those, over all participants."""
    mondays = sorted({day - timedelta(days=day.weekday()) for day in days})
    expected = dict.fromkeys(mondays, 0)
    present = dict.fromkeys(mondays, 0)
    for row in rows:
        for day in row.days:
            if day.expected:
                monday = day.day - timedelta(days=day.day.weekday())
                expected[monday] += 1
                present[monday] += day.key == "present"
    return [Week(monday, expected[monday], present[monday]) for monday in mondays]


def _totals(rows: list[Row]) -> dict:
    """The participants' summaries added up; the rate is over all their expected days."""
    totals = {
        "expected_days": sum(r.summary["expected_days"] for r in rows),
        "present_days": sum(r.summary["present_days"] for r in rows),
        "present_on_expected_days": sum(r.summary["present_on_expected_days"] for r in rows),
        "unregistered_expected_days": sum(r.summary["unregistered_expected_days"] for r in rows),
        "absent": {},
    }
    for row in rows:
        for reason, n in row.summary["absent"].items():
            totals["absent"][reason] = totals["absent"].get(reason, 0) + n
    expected = totals["expected_days"]
    totals["attendance_rate"] = (
        round(totals["present_on_expected_days"] / expected, 4) if expected else None
    )
    return totals
