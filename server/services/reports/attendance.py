"""The attendance report of a department over a period: participants x days, each day
with what it holds, and per participant (and per month) the expected days, the days
present, the absences by reason and the attendance rate, all by the rules of
``attendance.stats``, and the rate of each week for the chart."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TypeVar

from server import clock
from server.database import db
from server.models import Participant
from server.services.attendance.stats import Period, in_period
from server.services.common import periods, scope
from server.services.common.actor import Actor
from server.services.common.names import Named, ParticipantName
from server.services.reports.access import log_export, require_reporter
from shared.calendar import is_public_holiday
from shared.vocab import AbsenceReason, Country, values

RESOURCE = "attendance_report"
T = TypeVar("T")


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
    # The summary of each month of the period, in the order of ``AttendanceReport.months``
    # (when asked for).
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


@dataclass
class Sums:
    """The totals over the rows seen so far, and each week's expected and present days,
    added up as rows stream past (a file writes its totals after its rows)."""

    totals: dict = field(
        default_factory=lambda: {
            "expected_days": 0,
            "present_days": 0,
            "present_on_expected_days": 0,
            "unregistered_expected_days": 0,
            "absent": dict.fromkeys(values(AbsenceReason), 0),
            "attendance_rate": None,
        }
    )
    by_week: dict = field(default_factory=dict)

    def add(self, row: Row) -> Row:
        for key in (
            "expected_days",
            "present_days",
            "present_on_expected_days",
            "unregistered_expected_days",
        ):
            self.totals[key] += row.summary[key]
        for reason, n in row.summary["absent"].items():
            self.totals["absent"][reason] += n
        expected = self.totals["expected_days"]
        self.totals["attendance_rate"] = (
            round(self.totals["present_on_expected_days"] / expected, 4) if expected else None
        )
        for day in row.days:
            monday = day.day - timedelta(days=day.day.weekday())
            week = self.by_week.setdefault(monday, [0, 0])
            if day.expected:
                week[0] += 1
                week[1] += day.key == "present"
        return row

    @property
    def weeks(self) -> list[Week]:
        return [Week(monday, *counts) for monday, counts in sorted(self.by_week.items())]


@dataclass(frozen=True)
class AttendanceReport:
    """The report's frame: whom and which days it covers. Its rows are made as they are
    read (``rows()``), a batch of participants at a time, so that a file of a large
    department is written with no more in memory than one batch."""

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
    participants: list[Participant]
    country: Country

    def rows(self, first_day: date | None = None, last_day: date | None = None, by_month=False):
        """Each participant's row over the period or a part of it (a month); with
        ``by_month``, with the summary of each month in it."""
        first_day, last_day = first_day or self.first_day, last_day or self.last_day
        months = [
            m
            for m in self.months
            if by_month and m.last_day >= first_day and m.first_day <= last_day
        ]
        days = [day for day in self.days if first_day <= day <= last_day]
        counted_to = min(last_day, self.counted_to)
        for start in range(0, len(self.participants), BATCH):
            batch = self.participants[start : start + BATCH]
            # Nothing after today counts: a report of the running month counts what has
            # happened so far.
            period = Period(batch, first_day, max(first_day, counted_to), self.country)
            for participant in batch:
                expected = period.expected(participant) if counted_to >= first_day else set()
                yield Row(
                    participant=ParticipantName(
                        participant.id, participant.first_name, participant.last_name
                    ),
                    days=[
                        _day(day, day in expected, counted_to, period, participant) for day in days
                    ],
                    summary=period.summary(participant, expected=expected),
                    months=[
                        period.summary(
                            participant,
                            max(m.first_day, first_day),
                            min(m.last_day, last_day),
                            expected,
                        )
                        for m in months
                    ],
                )
            period = None  # let the batch go before the next is loaded

    def in_full(self) -> dict:
        """The whole report at once, rows, week by week and totals (for JSON)."""
        sums = Sums()
        rows = [sums.add(row) for row in self.rows(by_month=True)]
        return {**vars(self), "rows": rows, "weeks": sums.weeks, "totals": sums.totals}


# Participants whose rows are made together: a fixed number of queries per batch.
BATCH = 200


def attendance_report(
    actor: Actor,
    department_id: uuid.UUID,
    first_day: date,
    last_day: date,
    produce: Callable[[AttendanceReport], T] = lambda report: report,
) -> T:
    """The report (leaders and admins), as ``produce`` makes it (the JSON or a file), and
    then logged as an export for every participant in it. A large department's year takes
    seconds to write: it is written before the export is logged and committed, within the
    request's time budget, which stops nothing once a request has committed."""
    periods.check(first_day, last_day)
    department = scope.get_department(actor, department_id)
    require_reporter(actor)
    organisation = department.organisation
    today = clock.local_today(department.effective_timezone)
    participants = in_period(department.id, first_day, last_day)
    days = _days(first_day, last_day)
    answer = produce(
        AttendanceReport(
            organisation=organisation.name,
            department=Named(department.id, department.name),
            first_day=first_day,
            last_day=last_day,
            counted_to=min(last_day, today),
            made_on=today,
            days=days,
            holidays={day for day in days if is_public_holiday(day, organisation.country)},
            months=_months(first_day, last_day),
            participants=participants,
            country=organisation.country,
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
    return answer


def _day(day: date, expected: bool, counted_to, period, participant):
    return Day(day, expected, period.entry(participant, day, counted_to))


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
