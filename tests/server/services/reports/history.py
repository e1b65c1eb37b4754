"""A known history for the yearly statistics, written with the factories, and the figures
it must give, worked out here from the same lists with plain loops (never through the code
under test): participants of every gender who start and end (with outcomes) on both sides
of New Year, follow-ups and meetings at 23:30 on 31 December in Oslo (22:30 UTC) and just
after midnight, meetings held, cancelled and planned, days present and absent, tallies on
31 December and 1 January, a withdrawn tally, an activity no longer in use, and the same
kinds of things in another department and another organisation, which must not count.

Today is Monday 30 November 2026 in Oslo."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from server.database import db
from server.models import TallyActivity
from tests import factories
from tests.factories import make_plan

OSLO = ZoneInfo("Europe/Oslo")
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=OSLO)
TODAY = NOW.date()
WHO = ("female", "male", "agency", "child_youth", "other")
OUTCOMES = (
    "ordinary_work",
    "education",
    "other_measure",
    "disability_benefit",
    "dropped_out",
    "other",
)
KINDS = ("conversation", "phone", "home_visit", "accompaniment", "other")
# Norway's public holidays of 2025 and 2026 on weekdays that matter here.
HOLIDAYS = {
    date(2025, 1, 1), date(2025, 4, 17), date(2025, 4, 18), date(2025, 4, 21),
    date(2025, 5, 1), date(2025, 5, 29), date(2025, 6, 9), date(2025, 12, 25),
    date(2025, 12, 26),
    date(2026, 1, 1), date(2026, 4, 2), date(2026, 4, 3), date(2026, 4, 6),
    date(2026, 5, 1), date(2026, 5, 14), date(2026, 5, 25), date(2026, 12, 25),
}  # fmt: skip


@dataclass(frozen=True)
class Person:
    gender: str
    start: date
    end: date | None = None
    outcome: str | None = None
    weekdays: tuple[int, ...] = ()  # the plan's (none: no plan)
    department: str = "a1"


# "A1" is the world's participant of Songdalen (a woman, from 5 January 2026, Mon-Fri).
PEOPLE = {
    "A1": Person("female", date(2026, 1, 5), weekdays=(1, 2, 3, 4, 5)),
    "Wenche": Person("female", date(2025, 3, 1), weekdays=(1,)),
    "Wanda": Person("female", date(2026, 2, 2), date(2026, 6, 30), "ordinary_work", (3,)),
    "Mats": Person("male", date(2025, 9, 1), date(2026, 1, 1), "education", (1, 2, 3, 4, 5)),
    "Magnus": Person("male", date(2026, 11, 2), weekdays=(2, 4)),
    "Ola": Person("other", date(2024, 5, 1), date(2025, 12, 31), "dropped_out", (5,)),
    "Uno": Person("unspecified", date(2026, 1, 5)),
    "Per": Person("male", date(2025, 1, 6), date(2025, 3, 31), "disability_benefit", (2,)),
    # Arendal's (the world's A2: a woman from 5 January 2026, Mon-Fri), and one more.
    "A2": Person("female", date(2026, 1, 5), weekdays=(1, 2, 3, 4, 5), department="a2"),
    "Anders": Person("male", date(2026, 3, 2), date(2026, 9, 30), "education", (1,), "a2"),
}
GENDER = {"female": "female", "male": "male", "other": "other", "unspecified": "other"}


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


FOLLOWUPS = [
    ("A1", "conversation", utc(2026, 3, 2, 9)),
    ("Wenche", "conversation", utc(2025, 12, 31, 22, 30)),  # 23:30 on 31 Dec in Oslo: 2025
    ("Wenche", "conversation", utc(2025, 12, 31, 23, 30)),  # 00:30 on 1 Jan in Oslo: 2026
    ("Wenche", "phone", utc(2026, 11, 30, 10)),  # today
    ("Mats", "phone", utc(2026, 1, 1, 10)),
    ("Mats", "phone", utc(2025, 10, 10, 10)),
    ("Mats", "phone", utc(2025, 10, 11, 10)),
    ("Mats", "phone", utc(2025, 10, 12, 10)),
    ("Ola", "home_visit", utc(2025, 11, 11, 12)),
    ("Uno", "accompaniment", utc(2026, 5, 5, 12)),
    ("Magnus", "other", utc(2026, 11, 10, 12)),
    ("Magnus", "conversation", utc(2026, 11, 11, 12)),
    ("Magnus", "conversation", utc(2026, 11, 12, 12)),
    ("Magnus", "conversation", utc(2026, 11, 13, 12)),
    ("Per", "conversation", utc(2024, 12, 31, 23, 30)),  # 1 Jan 2025 in Oslo
    ("Per", "conversation", utc(2024, 12, 31, 22, 30)),  # 31 Dec 2024: never counted
    ("A2", "conversation", utc(2026, 3, 3, 9)),
    ("Anders", "home_visit", utc(2026, 4, 3, 9)),
]
MEETINGS = [
    ("A1", "held", utc(2026, 4, 10, 10)),
    ("A1", "cancelled", utc(2026, 5, 10, 10)),
    ("A1", "planned", utc(2026, 12, 15, 10)),
    ("Wenche", "held", utc(2025, 12, 31, 22, 30)),  # 2025 in Oslo
    ("Wenche", "held", utc(2026, 2, 1, 8)),
    ("Mats", "held", utc(2025, 12, 31, 23, 15)),  # 2026 in Oslo
    ("Uno", "held", utc(2026, 6, 1, 8)),
    ("Uno", "held", utc(2026, 7, 1, 8)),
    ("Uno", "held", utc(2026, 8, 1, 8)),
    ("A2", "held", utc(2026, 6, 1, 8)),
]
ATTENDANCE = [
    ("A1", date(2026, 3, 2), "present"),
    ("A1", date(2026, 3, 3), "present"),
    ("A1", date(2026, 3, 4), "present"),
    ("A1", date(2026, 3, 5), "sick"),
    ("A1", date(2026, 3, 7), "present"),  # a Saturday: present, not expected
    ("Wenche", date(2025, 12, 29), "present"),
    ("Wenche", date(2026, 1, 5), "present"),
    ("Wenche", date(2026, 11, 30), "present"),
    ("Wanda", date(2026, 2, 4), "present"),
    ("Magnus", date(2026, 11, 3), "present"),
    ("Magnus", date(2026, 11, 5), "present"),
    ("Ola", date(2025, 6, 6), "present"),
    ("Ola", date(2025, 12, 31), "present"),
    ("Uno", date(2026, 4, 1), "present"),
    ("A2", date(2026, 3, 2), "present"),
]
# (department, activity position, who, count, date, first contact, withdrawn)
TALLIES = [
    ("a1", 1, "female", 2, date(2026, 1, 1), True, False),
    ("a1", 1, "male", 5, date(2026, 6, 1), False, False),
    ("a1", 1, "agency", 1, date(2026, 2, 2), True, False),
    ("a1", 1, "child_youth", 3, date(2026, 3, 3), False, False),
    ("a1", 1, "unspecified", 4, date(2026, 4, 4), False, False),
    ("a1", 1, "female", 3, date(2025, 12, 31), True, False),
    ("a1", 2, "male", 7, date(2026, 7, 7), True, False),
    ("a1", 2, "female", 9, date(2026, 7, 8), False, True),  # undone: never counts
    ("a1", 2, "female", 6, date(2025, 1, 1), False, False),
    ("a1", 3, "female", 4, date(2026, 11, 30), False, False),
    ("a1", 3, "male", 4, date(2026, 11, 29), True, False),
    ("a1", 4, "female", 1, date(2026, 8, 8), False, False),
    ("a1", 4, "male", 1, date(2026, 8, 9), False, False),
    ("a1", 7, "male", 2, date(2025, 5, 5), False, False),  # activity 7 is no longer in use
    ("a2", 1, "female", 10, date(2026, 5, 5), False, False),
    ("a2", 4, "male", 1, date(2026, 5, 6), True, False),
    ("b1", 1, "female", 50, date(2026, 5, 5), False, False),  # another organisation
]
RETIRED = (7, 8)  # activity 8 has no tally at all: not listed


def build(world) -> dict:
    """The history in ``world``; {name: participant} and {position: activity} of A."""
    departments = {"a1": world.dept_a1, "a2": world.dept_a2, "b1": world.dept_b1}
    people = {"A1": world.participant_a1, "A2": world.participant_a2}
    for name, person in PEOPLE.items():
        if name in people:
            continue
        participant = factories.ParticipantFactory(
            department=departments[person.department],
            first_name=name,
            gender=person.gender,
            start_date=person.start,
            end_date=person.end,
            outcome=person.outcome,
            status="ended" if person.end else "active",
        )
        if person.weekdays:
            make_plan(participant, world.admin, weekdays=person.weekdays)
        people[name] = participant
    author = world.admin
    for name, kind, moment in FOLLOWUPS:
        factories.FollowUpFactory(
            participant=people[name], author=author, kind=kind, occurred_at=moment
        )
    outsider = factories.ParticipantFactory(department=world.dept_b1, gender="female")
    factories.FollowUpFactory(participant=outsider, author=world.admin_b)
    factories.MeetingFactory(participant=outsider, author=world.admin_b)
    factories.AttendanceFactory(participant=outsider, author=world.admin_b)
    for name, status, moment in MEETINGS:
        factories.MeetingFactory(
            participant=people[name], author=author, status=status, scheduled_at=moment
        )
    for name, day, what in ATTENDANCE:
        status = "present" if what == "present" else "absent"
        factories.AttendanceFactory(
            participant=people[name],
            author=author,
            date=day,
            status=status,
            absence_reason=None if status == "present" else what,
        )
    activities = activities_of(world.org_a)
    activities_b = activities_of(world.org_b)
    for department, position, who, count, day, first, withdrawn in TALLIES:
        factories.TallyFactory(
            department=departments[department],
            activity=(activities_b if department == "b1" else activities)[position],
            author=world.admin_b if department == "b1" else author,
            who=who,
            count=count,
            date=day,
            first_contact=first,
            withdrawn_at=utc(2026, 7, 9) if withdrawn else None,
        )
    for position in RETIRED:
        activities[position].active = False
    db.session.commit()
    return {"people": people, "activities": activities}


def activities_of(organisation) -> dict:
    return {
        a.position: a
        for a in db.session.scalars(
            db.select(TallyActivity).where(TallyActivity.organisation_id == organisation.id)
        )
    }


# --- The figures, worked out from the lists above ---------------------------------------


def expected(year: int, departments: set[str], activities: dict) -> dict:
    """The JSON's figures for ``year`` over ``departments`` ("a1", "a2")."""
    counted_to = min(date(year, 12, 31), TODAY)

    def local_year(moment: datetime) -> int:
        return moment.astimezone(OSLO).year

    def ours(name: str) -> bool:
        return PEOPLE[name].department in departments

    rows: dict = {}

    def bump(kind: str, which: int, who: str, n: int = 1):
        row = rows.setdefault(
            kind, {"this": dict.fromkeys(WHO, 0), "before": dict.fromkeys(WHO, 0)}
        )
        if which == year:
            row["this"][who] += n
        elif which == year - 1:
            row["before"][who] += n

    for kind in (*KINDS, "meeting", "attendance_day"):
        bump(kind, 0, "other", 0)
    for name, kind, moment in FOLLOWUPS:
        if ours(name):
            bump(kind, local_year(moment), GENDER[PEOPLE[name].gender])
    for name, status, moment in MEETINGS:
        if ours(name) and status == "held":
            bump("meeting", local_year(moment), GENDER[PEOPLE[name].gender])
    for name, day, what in ATTENDANCE:
        if ours(name) and what == "present":
            bump("attendance_day", day.year, GENDER[PEOPLE[name].gender])
    contacts = {"first": 0, "repeat": 0}
    tally_who = {**{w: w for w in WHO}, "unspecified": "other"}
    for department, position, who, count, day, first, withdrawn in TALLIES:
        if department in departments and not withdrawn:
            bump(f"tally:{activities[position].id}", day.year, tally_who[who], count)
            if day.year == year:
                contacts["first" if first else "repeat"] += count
    tally_rows = []
    for position in sorted(activities):
        kind = f"tally:{activities[position].id}"
        if position in RETIRED and kind not in rows:
            continue
        bump(kind, 0, "other", 0)
        tally_rows.append(kind)
    listed = [*KINDS, "meeting", "attendance_day", *tally_rows]
    activity_rows = []
    for kind in listed:
        this, before = rows[kind]["this"], rows[kind]["before"]
        row = {"kind": kind, **this, "total": sum(this.values())}
        row["previous_total"] = sum(before.values())
        if kind.startswith("tally:"):
            row["name"] = next(a.name for a in activities.values() if kind.endswith(str(a.id)))
        activity_rows.append(row)

    mine = {n: p for n, p in PEOPLE.items() if ours(n)}
    first_day, last_day = date(year, 1, 1), date(year, 12, 31)
    ended = [p for p in mine.values() if p.end and first_day <= p.end <= last_day]
    participants = {
        "started": sum(1 for p in mine.values() if first_day <= p.start <= last_day),
        "ended": len(ended),
        "active_at_year_end": sum(
            1 for p in mine.values() if p.start <= counted_to and (not p.end or p.end >= counted_to)
        ),
        "by_outcome": {o: sum(1 for p in ended if p.outcome == o) for o in OUTCOMES},
    }

    expected_days, present_days = defaultdict(int), defaultdict(int)
    present = {(n, d) for n, d, what in ATTENDANCE if what == "present"}
    for name, person in mine.items():
        day = max(first_day, person.start)
        while day <= min(counted_to, person.end or counted_to):
            if day.isoweekday() in person.weekdays and day not in HOLIDAYS:
                expected_days[day.month] += 1
                present_days[day.month] += (name, day) in present
            day += timedelta(days=1)
    by_month = [
        round(present_days[m] / expected_days[m], 4) if expected_days[m] else None
        for m in range(1, 13)
    ]
    total = sum(expected_days.values())
    return {
        "year": year,
        "previous_year": year - 1,
        "activities": activity_rows,
        "contacts": contacts,
        "participants": participants,
        "attendance_rate": round(sum(present_days.values()) / total, 4) if total else None,
        "attendance_rate_by_month": by_month,
    }
