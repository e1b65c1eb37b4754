"""The Norwegian demo: a work-training café with departments Songdalen and Arendal, its staff,
a dozen participants with plans and schedules, a month of history, responsibility-group
meetings for some, and this morning so far: in Arendal with its wake-up calls."""

import random
import uuid
from datetime import datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from flask import current_app

from server import clock
from server.database import db
from server.demo import history, organisation, surveys, tallies
from server.models import GroupMember, Meeting, MeetingAction, Participant
from shared.calendar import is_public_holiday
from shared.vocab import FollowUpKind, Gender, MeetingStatus, Role

ORGANISATION = "Vekst Arbeidstrening (demo)"

# username, password, role, departments
LOGINS = [
    ("admin", "Kaffe-Sol-4112", Role.ADMIN, []),
    ("leder", "Bjork-Kanel-7301", Role.LEADER, ["Songdalen", "Arendal"]),
    ("tilrettelegger1", "Furu-Vaffel-2290", Role.FACILITATOR, ["Songdalen"]),
    ("tilrettelegger2", "Hav-Bolle-5518", Role.FACILITATOR, ["Arendal"]),
]
FULL_NAMES = {
    "admin": "Kari Nordmann",
    "leder": "Per Hansen",
    "tilrettelegger1": "Ingrid Larsen",
    "tilrettelegger2": "Ahmed Karimi",
}
# The facilitator of each department's participants.
FACILITATORS = {"Songdalen": "tilrettelegger1", "Arendal": "tilrettelegger2"}


class Person(NamedTuple):
    first_name: str
    last_name: str
    gender: Gender
    birth_year: int
    department: str
    weekdays: list[int]
    work_areas: list[str]
    consent: bool


# first name, last name, gender, birth year, department, weekdays, work areas, consent
PARTICIPANTS = [
    ("Ola", "Nilsen", Gender.MALE, 1988, "Songdalen", [1, 2, 3, 4, 5], ["kjøkken"], True),
    ("Sara", "Berg", Gender.FEMALE, 1995, "Songdalen", [1, 3, 5], ["servering", "kasse"], True),
    ("Jonas", "Å. Dahl", Gender.MALE, 1979, "Songdalen", [2, 4], ["vaktmester"], False),
    ("Mona", "Haugen", Gender.FEMALE, 1984, "Songdalen", [1, 2, 3, 4], ["interiør"], True),
    ("Kim", "Solberg", Gender.OTHER, 1999, "Songdalen", [1, 2, 3], ["kjøkken"], True),
    ("Tor", "Bakken", Gender.MALE, 1971, "Songdalen", [3, 4, 5], ["produksjon"], True),
    ("Linn", "Østby", Gender.FEMALE, 1992, "Arendal", [1, 2, 3, 4, 5], ["servering"], True),
    ("Erik", "Moen", Gender.MALE, 1986, "Arendal", [1, 3], ["kjøkken", "kasse"], False),
    ("Hanne", "Lie", Gender.FEMALE, 1990, "Arendal", [2, 3, 4], ["interiør"], True),
    ("Arne", "Strand", Gender.MALE, 1968, "Arendal", [1, 2, 4, 5], ["vaktmester"], True),
    ("Nora", "Ødegård", Gender.FEMALE, 2001, "Arendal", [1, 2, 3], ["servering"], True),
    ("Vidar", "Kristiansen", Gender.UNSPECIFIED, 1980, "Arendal", [4, 5], ["produksjon"], True),
]

GOALS = [
    ("Møte presis tre dager i uka", "Komme innen kl. 09.00 på avtalte dager."),
    ("Lære kassesystemet", "Kunne ta betalt og gjøre dagsoppgjør alene."),
    ("Ta truckførerbevis", None),
    ("Søke tre jobber før sommeren", "Med hjelp til CV og søknad."),
    ("Fast døgnrytme", "Legge seg før midnatt på hverdager."),
]
PROGRESS_NOTE = "God start, har møtt de fleste dagene."
REVISED_PLAN_NOTE = "Trives best med faste oppgaver."
ARRIVAL = time(8, 45)
# Arendal wakes its participants (Erik gets up by himself); Songdalen wakes no one, so a
# phone there is told only of calls its staff schedule themselves.
WAKEUP_DEPARTMENT = "Arendal"
WAKEUP_TIMES = (time(7), time(7, 15), time(7, 30))
WAKES_HIMSELF = "Erik"
WAKEUP_NOTE = "Svarte, er på vei."
# This morning has random numbers of its own: the history above stays as it was.
MORNING_SEED = 2027
# So do the anonymous tallies.
TALLY_SEED = 2028

FOLLOWUP_NOTES = {
    FollowUpKind.CONVERSATION: "Samtale om uka som gikk og målene i planen.",
    FollowUpKind.PHONE: "Ringte for å høre hvordan det gikk etter fraværet.",
    FollowUpKind.HOME_VISIT: "Hjemmebesøk; ryddet sammen og laget en plan for morgenene.",
    FollowUpKind.ACCOMPANIMENT: "Fulgte til møte hos NAV om videre løp.",
    FollowUpKind.OTHER: "Hjalp til med å fylle ut søknad om bostøtte.",
}

MEETING_AGENDA = "1. Siden sist\n2. Arbeidstreningen\n3. Veien videre"
MEETING_PLACE = "Kafeen, møterommet"
MEETING_MINUTES = (
    "Deltakeren forteller om bedre søvn og mer overskudd. Gruppen er enig om å øke gradvis."
)
MEETING_DECISIONS = "Øke til én dag mer i uka fra neste måned.\nSøke kurs i hygiene."


def seed() -> bool:
    """The Norwegian café; False (and nothing done) when it exists already."""
    if organisation.exists(ORGANISATION):
        return False
    rng = random.Random(2026)
    org = organisation.create(ORGANISATION, timezone=current_app.config["SPIRE_TIMEZONE"])
    users = organisation.staff(org, LOGINS, FULL_NAMES)
    departments = organisation.departments_of(users)
    today = clock.local_today(org.timezone)
    zone = ZoneInfo(org.timezone)
    made = []
    for index, row in enumerate(PARTICIPANTS):
        person = Person(*row)
        start = today - timedelta(days=40 + 15 * index)
        participant = _participant(person, departments[person.department], start, rng)
        db.session.add(participant)
        db.session.flush()  # its history refers to it; the ORM does not order unrelated rows
        _history(participant, person, index, users, today, zone, rng)
        made.append((participant, person))
    _this_morning(made, users, today, zone)
    tallies.seed(org, users, today, TALLY_SEED)
    surveys.seed(departments["Songdalen"], users["leder"], "nb", today, TALLY_SEED)
    db.session.commit()
    return True


def _this_morning(made, users, today, zone) -> None:
    """Arendal's wake-up schedules (with a month of calls behind them), and each
    department's list of today so far."""
    rng = random.Random(MORNING_SEED)
    morning = history.Morning(today, zone)
    for department in FACILITATORS:
        author = users[FACILITATORS[department]].id
        members = []
        for participant, person in made:
            if person.department != department:
                continue
            call_at = None
            if department == WAKEUP_DEPARTMENT and person.first_name != WAKES_HIMSELF:
                call_at = rng.choice(WAKEUP_TIMES)
                history.wakeups(
                    participant, person.weekdays, call_at, author, today, zone, rng, WAKEUP_NOTE
                )
            members.append(history.Member(participant, person.weekdays, author, call_at))
        wakes = department == WAKEUP_DEPARTMENT
        history.this_morning(members, morning, rng, ARRIVAL, WAKEUP_NOTE, home_visit=wakes)


def _participant(person: Person, department, start, rng) -> Participant:
    return Participant(
        id=uuid.uuid4(),
        organisation_id=department.organisation_id,
        department_id=department.id,
        first_name=person.first_name,
        last_name=person.last_name,
        search_name=f"{person.first_name} {person.last_name}".casefold(),
        phone=_phone(rng),
        gender=person.gender,
        birth_year=person.birth_year,
        start_date=start,
        planned_end_date=start + timedelta(days=365),
        nav_office=f"NAV {person.department}",
        nav_contact="Veileder i NAV",
        consent_nav_reporting=person.consent,
    )


def _phone(rng) -> str:
    return f"+479{rng.randrange(1000000, 9999999):07d}"


def _history(participant, person: Person, index, users, today, zone, rng) -> None:
    """The plan from the leader; attendance and follow-ups from the department's
    facilitator; every third participant's responsibility group and meetings."""
    leader = users["leder"].id
    facilitator = users[FACILITATORS[person.department]].id
    _plans(participant, person, leader, rng)
    history.attendance(participant, person.weekdays, facilitator, today, rng, zone, ARRIVAL)
    quiet = index % 5 == 4
    history.followups(participant, facilitator, today, rng, zone, FOLLOWUP_NOTES, quiet)
    if index % 3 == 0:
        _meetings(participant, leader, person.department, today, zone, rng)


def _plans(participant, person: Person, author_id, rng) -> None:
    """A first plan at the start and, for some, a revised second version a month later."""
    chosen = rng.sample(GOALS, 2)
    start = participant.start_date
    versions = [_plan_version(start, time(14), None, person)]
    if rng.random() < 0.5:
        revised = start + timedelta(days=30)
        versions.append(_plan_version(revised, time(15), REVISED_PLAN_NOTE, person))
    history.plans(participant, person.weekdays, author_id, chosen, versions, PROGRESS_NOTE)


def _plan_version(valid_from, end: time, notes, person: Person) -> history.PlanVersion:
    return history.PlanVersion(
        valid_from=valid_from,
        hours=(time(9), end),
        work_areas=person.work_areas,
        notes=notes,
        review_after=timedelta(days=90),
        goals_due_after=timedelta(days=120),
    )


# --- Responsibility-group meetings ----------------------------------------------------------


def _meetings(participant, leader_id, department: str, today, zone, rng) -> None:
    """A responsibility group, a held meeting with decisions and action items (one overdue),
    and the next meeting, planned."""
    members = _group(participant, department, rng)
    held_on = max(today - timedelta(days=20), participant.start_date)
    next_on = _working_day(participant, today + timedelta(days=rng.randrange(5, 40)))
    following = _meeting(participant, next_on, zone, leader_id, members)
    held = _meeting(participant, held_on, zone, leader_id, members, status=MeetingStatus.HELD)
    held.minutes = MEETING_MINUTES
    held.decisions = MEETING_DECISIONS
    held.next_meeting_at = following.scheduled_at
    held.next_meeting = following
    held.actions = _actions(department, today, leader_id)
    db.session.add_all([following, held])


def _group(participant, department: str, rng) -> list[GroupMember]:
    """The NAV counsellor, the GP and the municipality's mental-health worker."""
    return [
        GroupMember(
            participant_id=participant.id,
            name=rng.choice(("Eva Johansen", "Knut Pedersen", "Line Aas")),
            organisation=f"NAV {department}",
            role="Veileder",
            phone=_phone(rng),
            email="veileder@nav.example",
        ),
        GroupMember(
            participant_id=participant.id,
            name=rng.choice(("Dr. Ruth Vik", "Dr. Sindre Lund")),
            organisation="Fastlege",
            role="Fastlege",
        ),
        GroupMember(
            participant_id=participant.id,
            name="Mette Ruud",
            organisation="Kommunens rus- og psykiatritjeneste",
            role="Miljøterapeut",
        ),
    ]


def _working_day(participant, day):
    """``day``, or the first weekday after it that is no public holiday."""
    country = participant.department.organisation.country
    while day.isoweekday() > 5 or is_public_holiday(day, country):
        day += timedelta(days=1)
    return day


def _meeting(participant, day, zone, leader_id, members, status=MeetingStatus.PLANNED):
    return Meeting(
        id=uuid.uuid4(),
        participant_id=participant.id,
        scheduled_at=datetime.combine(day, time(13), zone),
        location=MEETING_PLACE,
        agenda=MEETING_AGENDA,
        status=status,
        created_by_id=leader_id,
        updated_by_id=leader_id,
        members=members,
    )


def _actions(department: str, today, leader_id) -> list[MeetingAction]:
    return [
        MeetingAction(
            id=uuid.uuid4(),
            description="Melde på hygienekurs",
            responsible="Tilrettelegger",
            due_date=today - timedelta(days=3),
            created_by_id=leader_id,
        ),
        MeetingAction(
            id=uuid.uuid4(),
            description="Vurdere arbeidsavklaringspenger",
            responsible=f"NAV {department}",
            due_date=today + timedelta(days=10),
            created_by_id=leader_id,
        ),
    ]
