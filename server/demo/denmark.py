"""The Danish demo: a sheltered workshop (serviceloven § 103 and § 104) with two værksteder,
38 borgere in small groups of 4-5, each group with its pædagog, and a month of history, in
Danish."""

import random
import uuid
from datetime import time, timedelta
from zoneinfo import ZoneInfo

from server import clock
from server.database import db
from server.demo import history, organisation, surveys, tallies
from server.models import Group, Participant
from shared.vocab import (
    Country,
    EnrolmentType,
    FollowUpKind,
    Gender,
    Language,
    Participation,
    Role,
)

ORGANISATION = "Værkstedet Nørrebro (demo)"
TIMEZONE = "Europe/Copenhagen"
WOOD, KITCHEN = "Træværkstedet", "Køkken og café"

# username, password, role, værksteder; the forstander is the admin, the værkstedsleder
# leads both værksteder, and each pædagog is responsible for one group.
LOGINS = [
    ("forstander", "Rugbrod-Havn-6150", Role.ADMIN, []),
    ("vaerkstedsleder", "Cykel-Kringle-4827", Role.LEADER, [WOOD, KITCHEN]),
    ("paedagog1", "Ege-Snedker-3141", Role.FACILITATOR, [WOOD]),
    ("paedagog2", "Hovl-Spaan-2718", Role.FACILITATOR, [WOOD]),
    ("paedagog3", "Lim-Tvinge-1618", Role.FACILITATOR, [WOOD]),
    ("paedagog4", "Sav-Kvist-1414", Role.FACILITATOR, [WOOD]),
    ("paedagog5", "Surdej-Ovn-1732", Role.FACILITATOR, [KITCHEN]),
    ("paedagog6", "Kaffe-Kande-2236", Role.FACILITATOR, [KITCHEN]),
    ("paedagog7", "Persille-Jord-2449", Role.FACILITATOR, [KITCHEN]),
    ("paedagog8", "Gryde-Suppe-2645", Role.FACILITATOR, [KITCHEN]),
]
FULL_NAMES = {
    "forstander": "Mette Kjær",
    "vaerkstedsleder": "Lars Mikkelsen",
    "paedagog1": "Sofie Lund",
    "paedagog2": "Jonas Holm",
    "paedagog3": "Camilla Bech",
    "paedagog4": "Mikkel Dahl",
    "paedagog5": "Ida Winther",
    "paedagog6": "Rasmus Krogh",
    "paedagog7": "Freja Skov",
    "paedagog8": "Anders Bak",
}
# group, værksted, the pædagog responsible, its size: 38 borgere in groups of 4-5.
GROUPS = [
    ("Egen", WOOD, "paedagog1", 5),
    ("Bøgen", WOOD, "paedagog2", 5),
    ("Asken", WOOD, "paedagog3", 5),
    ("Birken", WOOD, "paedagog4", 4),
    ("Bageriet", KITCHEN, "paedagog5", 5),
    ("Caféen", KITCHEN, "paedagog6", 5),
    ("Urtehaven", KITCHEN, "paedagog7", 5),
    ("Kantinen", KITCHEN, "paedagog8", 4),
]
WOMEN = [
    "Anne", "Maja", "Karen", "Line", "Signe", "Louise", "Julie", "Birgitte", "Hanne",
    "Tove", "Pernille", "Nanna", "Astrid", "Lone", "Marianne", "Sanne", "Rikke", "Trine",
    "Dorthe",
]  # fmt: skip
MEN = [
    "Søren", "Jens", "Niels", "Henrik", "Morten", "Kasper", "Thomas", "Mads", "Frederik",
    "Christian", "Peter", "Bo", "Ole", "Jesper", "Martin", "Torben", "Kim", "Steen", "Emil",
]  # fmt: skip
SURNAMES = [
    "Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen",
    "Sørensen", "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen",
    "Thomsen", "Poulsen", "Møller", "Mortensen", "Knudsen", "Friis", "Østergaard", "Bruun",
]  # fmt: skip
WORK_AREAS = {
    WOOD: ["snedkeri", "montage", "overfladebehandling", "lager"],
    KITCHEN: ["køkken", "bageri", "servering", "opvask"],
}
GOALS = [
    ("Møde til tiden", "Være på værkstedet kl. 8.00 på de aftalte dage."),
    ("Bruge båndsaven sikkert", "Med pædagogen ved siden af de første gange."),
    ("Sige noget på morgenmødet", "Mindst én gang om ugen i gruppen."),
    ("Bage brød til caféen selv", None),
    ("Fast døgnrytme", "I seng før midnat på hverdage."),
    ("Prøve en praktikplads", "Med støtte fra pædagog og sagsbehandler."),
]
FOLLOWUP_NOTES = {
    FollowUpKind.CONVERSATION: "Samtale om ugen, der gik, og målene i planen.",
    FollowUpKind.PHONE: "Ringede for at høre, hvordan det gik efter fraværet.",
    FollowUpKind.HOME_VISIT: "Hjemmebesøg; lavede sammen en plan for morgenerne.",
    FollowUpKind.ACCOMPANIMENT: "Fulgte med til møde med sagsbehandleren i kommunen.",
    FollowUpKind.OTHER: "Hjalp med at søge om boligstøtte.",
}
PROGRESS_NOTE = "God start; kommer de fleste dage."
PLAN_NOTE = "Trives med faste opgaver og en rolig start på dagen."
WAKEUP_NOTE = "Svarede og er på vej."
ARRIVAL = time(7, 50)
# This morning has random numbers of its own: the history above stays as it was.
MORNING_SEED = 4511
# So do the anonymous tallies.
TALLY_SEED = 4512


def seed() -> bool:
    """The Danish workshop; False (and nothing done) when it exists already."""
    if organisation.exists(ORGANISATION):
        return False
    rng = random.Random(4510)
    org = organisation.create(
        ORGANISATION, timezone=TIMEZONE, country=Country.DENMARK, language=Language.DANISH
    )
    users = organisation.staff(org, LOGINS, FULL_NAMES)
    for user in users.values():
        user.language = Language.DANISH
    departments = organisation.departments_of(users)
    groups = _groups(org, departments, users)
    leader_id = users["vaerkstedsleder"].id
    today = clock.local_today(TIMEZONE)
    index = 0
    members: dict[str, list[history.Member]] = {WOOD: [], KITCHEN: []}
    for group, (_, department, responsible, size) in zip(groups, GROUPS, strict=True):
        for _ in range(size):
            borger = _borger(departments[department], group, index, today, rng)
            db.session.add(borger)
            db.session.flush()  # the rows below refer to it
            pedagogue_id = users[responsible].id
            member = _history(borger, groups, index, (leader_id, pedagogue_id), today, rng)
            members[department].append(member)
            index += 1
    _this_morning(members, today)
    tallies.seed(org, users, today, TALLY_SEED)
    surveys.seed(departments[KITCHEN], users["vaerkstedsleder"], "da", today, TALLY_SEED)
    db.session.commit()
    return True


def _this_morning(members: dict[str, list[history.Member]], today) -> None:
    """Each værksted's list of today so far, with its wake-up calls; the one flagged for a
    home visit is in the kitchen."""
    rng = random.Random(MORNING_SEED)
    morning = history.Morning(today, ZoneInfo(TIMEZONE))
    for department, its_members in members.items():
        home_visit = department == KITCHEN
        history.this_morning(its_members, morning, rng, ARRIVAL, WAKEUP_NOTE, home_visit)


def _groups(org, departments, users) -> list[Group]:
    """The groups of ``GROUPS``, in that order, each with its pædagog."""
    groups = [
        Group(
            id=uuid.uuid4(),
            organisation_id=org.id,
            department_id=departments[department].id,
            name=name,
            responsible_user_id=users[responsible].id,
        )
        for name, department, responsible, _ in GROUPS
    ]
    db.session.add_all(groups)
    db.session.flush()
    return groups


def _borger(department, group, index, today, rng) -> Participant:
    """A citizen (borger) of the værksted: § 103 or § 104, full- or part-time."""
    women = index % 2 == 0
    first = (WOMEN if women else MEN)[index // 2]
    last = rng.choice(SURNAMES)
    full_time = rng.random() < 0.6
    start = today - timedelta(days=60 + 11 * index)
    return Participant(
        id=uuid.uuid4(),
        organisation_id=department.organisation_id,
        department_id=department.id,
        first_name=first,
        last_name=last,
        search_name=f"{first} {last}".casefold(),
        phone=f"+45{rng.choice((2, 3, 4, 5))}{rng.randrange(1000000, 9999999):07d}",
        gender=Gender.FEMALE if women else Gender.MALE,
        birth_year=rng.randrange(1965, 2004),
        start_date=start,
        nav_office="Københavns Kommune, Socialforvaltningen",
        nav_contact="Sagsbehandler i kommunen",
        consent_nav_reporting=rng.random() < 0.5,
        group_id=group.id,
        enrolment_type=EnrolmentType.DK_103 if rng.random() < 0.7 else EnrolmentType.DK_104,
        participation=Participation.FULL_TIME if full_time else Participation.PART_TIME,
        days_per_week=5 if full_time else rng.choice((2, 3, 4)),
    )


def _history(borger, groups, index, authors, today, rng) -> history.Member:
    """The plan and the group history from the værkstedsleder; attendance, follow-ups and
    for every fourth borger wake-up calls from the group's pædagog. Returns the borger as
    this morning sees them."""
    leader_id, pedagogue_id = authors
    zone = ZoneInfo(TIMEZONE)
    weekdays = _weekdays(borger, rng)
    _plan(borger, weekdays, leader_id, rng)
    earlier = _earlier_group(borger, groups, rng) if index % 6 == 5 else None
    history.memberships(borger, _group_of(borger, groups), earlier, leader_id, zone)
    history.attendance(borger, weekdays, pedagogue_id, today, rng, zone, ARRIVAL)
    quiet = index % 7 == 6
    history.followups(borger, pedagogue_id, today, rng, zone, FOLLOWUP_NOTES, quiet)
    at = None
    if index % 4 == 1:
        at = rng.choice((time(6, 45), time(7), time(7, 15)))
        history.wakeups(borger, weekdays, at, pedagogue_id, today, zone, rng, WAKEUP_NOTE)
    return history.Member(borger, weekdays, pedagogue_id, at)


def _weekdays(borger, rng) -> list[int]:
    if borger.days_per_week == 5:
        return [1, 2, 3, 4, 5]
    return sorted(rng.sample([1, 2, 3, 4, 5], borger.days_per_week))


def _plan(borger, weekdays, author_id, rng) -> None:
    """A plan from the start: the group meets at 8 (some at 9), two goals, two work areas of
    the værksted."""
    chosen = rng.sample(GOALS, 2)
    start = time(8) if rng.random() < 0.7 else time(9)
    end = time(14) if borger.participation == Participation.FULL_TIME else time(12)
    version = history.PlanVersion(
        valid_from=borger.start_date,
        hours=(start, end),
        work_areas=rng.sample(WORK_AREAS[borger.department.name], 2),
        notes=PLAN_NOTE,
        review_after=timedelta(days=180),
        goals_due_after=timedelta(days=180),
    )
    history.plans(borger, weekdays, author_id, chosen, [version], PROGRESS_NOTE)


def _group_of(borger, groups) -> Group:
    return next(g for g in groups if g.id == borger.group_id)


def _earlier_group(borger, groups, rng) -> Group:
    """Another group of the borger's værksted, where they began."""
    siblings = [
        g for g in groups if g.department_id == borger.department_id and g.id != borger.group_id
    ]
    return rng.choice(siblings)
