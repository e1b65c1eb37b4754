"""The yearly statistics: anonymous figures of a department, or of the caller's
departments together, for one calendar year beside the year before, as the annual report
and the grant givers ask for them.

- Activities, one row each, counted by who: every follow-up kind, the responsibility-group
  meetings held and the days present (under the participant's gender: woman, man, other
  for other and not stated), and every tally activity of the organisation (under the
  tally's who, not stated as other), each with its total this year and the year before.
- The tallies' first contacts and repeat contacts this year.
- Participants who started and who ended in the year, by outcome, and those in the
  programme at the year's end (today, for this year).
- The attendance rate over the year and month by month, by the rules of the attendance
  rates (present on expected days over expected days), counted up to today.

Days are local: a follow-up at 23:30 on 31 December in Oslo is December's, whatever UTC
says; each department's own time zone decides its days. Everything is added up in the
database, so the statistics take the same number of statements for ten participants as for
a thousand; only the attendance rate reads each participant's plans, in ``Period``'s fixed
number of statements per batch of ``BATCH`` participants.

They name nobody: no access-log rows, but one ``export`` event in the security log."""

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, case, false, func, or_, select

from server import clock
from server.database import db
from server.models import (
    Attendance,
    Department,
    FollowUp,
    Meeting,
    Participant,
    Tally,
    TallyActivity,
)
from server.services.attendance.expected import in_programme_on
from server.services.attendance.stats import Period
from server.services.common import scope
from server.services.common.actor import Actor
from server.services.common.errors import Invalid
from server.services.common.names import Named
from server.services.reports.access import log_export, require_reporter
from shared.i18n import gettext
from shared.vocab import (
    AttendanceStatus,
    FollowUpKind,
    Gender,
    MeetingStatus,
    Outcome,
    TallyWho,
    values,
)

RESOURCE = "statistics"
FIRST_YEAR = 2000
# Who a row counts, in the order of the annual report's columns.
WHO = ("female", "male", "agency", "child_youth", "other")
MEETING = "meeting"
ATTENDANCE_DAY = "attendance_day"
TALLY = "tally:"
# Participants whose expected days are worked out together (Period's statements each).
BATCH = 1000

_BY_GENDER = {
    Gender.FEMALE: "female",
    Gender.MALE: "male",
    Gender.OTHER: "other",
    Gender.UNSPECIFIED: "other",
}
BY_WHO = {
    TallyWho.FEMALE: "female",
    TallyWho.MALE: "male",
    TallyWho.AGENCY: "agency",
    TallyWho.CHILD_YOUTH: "child_youth",
    TallyWho.UNSPECIFIED: "other",
}


def _zeros() -> dict[str, int]:
    return dict.fromkeys(WHO, 0)


@dataclass
class ActivityRow:
    """One activity's counts by who, this year and the year before."""

    kind: str
    name: str | None = None
    counts: dict[str, int] = field(default_factory=_zeros)
    previous: dict[str, int] = field(default_factory=_zeros)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def previous_total(self) -> int:
        return sum(self.previous.values())

    @property
    def is_tally(self) -> bool:
        return self.kind.startswith(TALLY)

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            # The activity's name, for a tally's row (the others are the vocabulary's).
            **({"name": self.name} if self.is_tally else {}),
            **self.counts,
            "total": self.total,
            "previous_total": self.previous_total,
        }


@dataclass(frozen=True)
class Statistics:
    organisation: str
    # The department asked for, or None for all the caller's (an admin's: all).
    department: Named | None
    departments: list[Named]
    year: int
    counted_to: date
    made_on: date
    activities: list[ActivityRow]
    contacts: dict[str, int]
    participants: dict
    attendance_rate: float | None
    attendance_rate_by_month: list[float | None]

    @property
    def previous_year(self) -> int:
        return self.year - 1

    def as_dict(self) -> dict:
        return {
            **{k: getattr(self, k) for k in ("organisation", "department", "departments")},
            "year": self.year,
            "previous_year": self.previous_year,
            "counted_to": self.counted_to,
            "made_on": self.made_on,
            "activities": [row.as_dict() for row in self.activities],
            "contacts": self.contacts,
            "participants": self.participants,
            "attendance_rate": self.attendance_rate,
            "attendance_rate_by_month": self.attendance_rate_by_month,
        }


def statistics(actor: Actor, year: int, department_id: uuid.UUID | None = None) -> Statistics:
    """The figures of ``year`` for the department (else, for an admin, the whole
    organisation; for a leader, their departments together), logged as an export."""
    if department_id is not None:
        department = scope.get_department(actor, department_id)
        require_reporter(actor)
        departments = [department]
    else:
        require_reporter(actor)
        department = None
        departments = list(
            db.session.scalars(scope.departments(actor).order_by(Department.name_key))
        )
    organisation = departments[0].organisation if departments else scope.organisation(actor)
    zone = department.effective_timezone if department else organisation.timezone
    today = clock.local_today(zone)
    if not FIRST_YEAR <= year <= today.year:
        message = gettext("Must be between {min} and {max}.")
        raise Invalid({"year": message.format(min=FIRST_YEAR, max=today.year)})
    counted_to = min(date(year, 12, 31), today)
    years = _Years(year, departments)
    rows = _activity_rows(organisation.id, years)
    contacts = rows.pop("contacts")
    participants = _participants(years, counted_to)
    rate, by_month = _attendance_rates(years, counted_to, organisation.country)
    log_export(
        actor,
        RESOURCE,
        [],
        year=year,
        department_id=str(department.id) if department else None,
    )
    db.session.commit()
    return Statistics(
        organisation=organisation.name,
        department=Named(department.id, department.name) if department else None,
        departments=[Named(d.id, d.name) for d in departments],
        year=year,
        counted_to=counted_to,
        made_on=today,
        activities=rows["activities"],
        contacts=contacts,
        participants=participants,
        attendance_rate=rate,
        attendance_rate_by_month=by_month,
    )


class _Years:
    """The year and the one before over the departments, as conditions on dates and on
    timestamps (each department's local days)."""

    def __init__(self, year: int, departments: list[Department]):
        self.year = year
        self.first_day, self.last_day = date(year, 1, 1), date(year, 12, 31)
        self.previous_first_day = date(year - 1, 1, 1)
        self.department_ids = [d.id for d in departments]
        self._zones: dict[str, list[uuid.UUID]] = defaultdict(list)
        for department in departments:
            self._zones[department.effective_timezone].append(department.id)

    def moments(self, column, department_column, first_day: date, last_day: date):
        """``column`` (a timestamp) on a local day from ``first_day`` to ``last_day`` of
        the row's department."""
        conditions = [
            and_(
                department_column.in_(ids),
                column >= clock.day_start(first_day, zone),
                column < clock.day_start(date.fromordinal(last_day.toordinal() + 1), zone),
            )
            for zone, ids in self._zones.items()
        ]
        return or_(*conditions) if conditions else false()

    def this_year(self, column, department_column):
        """1 for a moment of this year, 0 for one of the year before."""
        in_year = self.moments(column, department_column, self.first_day, self.last_day)
        return case((in_year, 1), else_=0).label("this_year")

    def this_year_of_date(self, column):
        return case((column >= self.first_day, 1), else_=0).label("this_year")

    def both_years(self, column, department_column):
        return self.moments(column, department_column, self.previous_first_day, self.last_day)


def _grouped(rows, summed: bool = False):
    """The rows of ``rows`` counted (or their last column summed) by their other columns,
    in the database: a subquery, so that the groups are its plain columns on every
    database (PostgreSQL would not match a CASE with bound values in GROUP BY)."""
    inner = rows.subquery()
    columns = list(inner.c)
    keys = columns[:-1] if summed else columns
    measure = func.sum(columns[-1]) if summed else func.count()
    return db.session.execute(select(*keys, measure).group_by(*keys))


def _activity_rows(organisation_id: uuid.UUID, years: _Years) -> dict:
    rows = {kind: ActivityRow(kind) for kind in values(FollowUpKind)}
    rows[MEETING] = ActivityRow(MEETING)
    rows[ATTENDANCE_DAY] = ActivityRow(ATTENDANCE_DAY)

    def add(row: ActivityRow, this_year: int, who: str, n: int) -> None:
        (row.counts if this_year else row.previous)[who] += int(n or 0)

    in_scope = Participant.department_id.in_(years.department_ids)
    for kind, gender, current, n in _grouped(
        select(
            FollowUp.kind,
            Participant.gender,
            years.this_year(FollowUp.occurred_at, Participant.department_id),
        )
        .join(Participant, Participant.id == FollowUp.participant_id)
        .where(in_scope, years.both_years(FollowUp.occurred_at, Participant.department_id))
    ):
        add(rows[str(kind)], current, _BY_GENDER[gender], n)

    for gender, current, n in _grouped(
        select(
            Participant.gender,
            years.this_year(Meeting.scheduled_at, Participant.department_id),
        )
        .select_from(Meeting)
        .join(Participant, Participant.id == Meeting.participant_id)
        .where(
            in_scope,
            Meeting.status == MeetingStatus.HELD,
            years.both_years(Meeting.scheduled_at, Participant.department_id),
        )
    ):
        add(rows[MEETING], current, _BY_GENDER[gender], n)

    for gender, current, n in _grouped(
        select(Participant.gender, years.this_year_of_date(Attendance.date))
        .select_from(Attendance)
        .join(Participant, Participant.id == Attendance.participant_id)
        .where(
            # The department the day was recorded in: a day stays where it happened.
            Attendance.department_id.in_(years.department_ids),
            Attendance.status == AttendanceStatus.PRESENT,
            Attendance.date >= years.previous_first_day,
            Attendance.date <= years.last_day,
        )
    ):
        add(rows[ATTENDANCE_DAY], current, _BY_GENDER[gender], n)

    tallies: dict[uuid.UUID, ActivityRow] = {}
    contacts = {"first": 0, "repeat": 0}
    for activity_id, who, first_contact, current, n in _grouped(
        select(
            Tally.activity_id,
            Tally.who,
            Tally.first_contact,
            years.this_year_of_date(Tally.date),
            Tally.count,
        ).where(
            Tally.department_id.in_(years.department_ids),
            Tally.withdrawn_at.is_(None),
            Tally.date >= years.previous_first_day,
            Tally.date <= years.last_day,
        ),
        summed=True,
    ):
        row = tallies.setdefault(activity_id, ActivityRow(f"{TALLY}{activity_id}"))
        add(row, current, BY_WHO[who], n)
        if current:
            contacts["first" if first_contact else "repeat"] += int(n or 0)
    # Every activity of the organisation in use; one no longer in use where it counted.
    for activity in db.session.execute(
        select(TallyActivity.id, TallyActivity.name, TallyActivity.active)
        .where(TallyActivity.organisation_id == organisation_id)
        .order_by(TallyActivity.position, TallyActivity.name_key, TallyActivity.id)
    ):
        if activity.active or activity.id in tallies:
            row = tallies.get(activity.id) or ActivityRow(f"{TALLY}{activity.id}")
            row.name = activity.name
            rows[row.kind] = row
    return {"activities": list(rows.values()), "contacts": contacts}


def _participants(years: _Years, counted_to: date) -> dict:
    """Started and ended in the year, by outcome, and in the programme on ``counted_to``:
    one statement, grouped by outcome."""
    first, last = years.first_day, years.last_day
    started = and_(Participant.start_date >= first, Participant.start_date <= last)
    ended = and_(Participant.end_date >= first, Participant.end_date <= last)
    active = in_programme_on(counted_to)

    def number(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    figures = {
        "started": 0,
        "ended": 0,
        "active_at_year_end": 0,
        "by_outcome": dict.fromkeys(values(Outcome), 0),
    }
    for outcome, n_started, n_ended, n_active in db.session.execute(
        select(Participant.outcome, number(started), number(ended), number(active))
        .where(
            Participant.department_id.in_(years.department_ids),
            or_(started, ended, active),
        )
        .group_by(Participant.outcome)
    ):
        figures["started"] += int(n_started)
        figures["ended"] += int(n_ended)
        figures["active_at_year_end"] += int(n_active)
        if outcome is not None:
            figures["by_outcome"][str(outcome)] += int(n_ended)
    return figures


def _attendance_rates(years: _Years, counted_to: date, country) -> tuple:
    """Present on expected days over expected days, over the year up to ``counted_to``
    and month by month (None for a month with no expected day, or still to come)."""
    expected = [0] * 12
    present = [0] * 12
    first = years.first_day
    participants = list(
        db.session.scalars(
            select(Participant)
            .where(
                Participant.department_id.in_(years.department_ids),
                Participant.start_date <= counted_to,
                or_(Participant.end_date.is_(None), Participant.end_date >= first),
            )
            .order_by(Participant.id)
        )
    )
    for start in range(0, len(participants), BATCH):
        batch = participants[start : start + BATCH]
        period = Period(batch, first, counted_to, country)
        for participant in batch:
            days = period.expected(participant)
            records = period.records[participant.id]
            for day in days:
                expected[day.month - 1] += 1
                record = records.get(day)
                if record is not None and record.status == AttendanceStatus.PRESENT:
                    present[day.month - 1] += 1
        period = None
    by_month = [round(present[m] / expected[m], 4) if expected[m] else None for m in range(12)]
    total = sum(expected)
    return (round(sum(present) / total, 4) if total else None), by_month
