"""Demo data: a Norwegian organisation with departments Songdalen and Arendal, its staff, a
dozen participants with plans and schedules, and a month of history; and a Danish
workshop with two værksteder, 38 borgere in small groups with their pædagoger, in Danish.
All people are invented."""

import random
import uuid
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from server import clock
from server.database import db
from server.models import (
    Attendance,
    AttendanceWrite,
    FollowUp,
    Goal,
    GoalUpdate,
    Group,
    GroupMember,
    GroupMembership,
    Meeting,
    MeetingAction,
    Organisation,
    Participant,
    Plan,
    PlanGoal,
    ScheduleSlot,
    WakeupAttempt,
    WakeupCall,
    WakeupSchedule,
)
from server.services import accounts
from shared.calendar import is_public_holiday
from shared.vocab import (
    AbsenceReason,
    AttendanceStatus,
    Country,
    EnrolmentType,
    FollowUpKind,
    Gender,
    GoalStatus,
    Language,
    MeetingStatus,
    Participation,
    Role,
    WakeupOutcome,
    WakeupStatus,
)

ORGANISATION = "Vekst Arbeidstrening (demo)"

# username, password, role, departments
NORWEGIAN_LOGINS = [
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


def seed() -> bool:
    """Create the demo organisations, each unless it exists already; False (and nothing
    done) when both do."""
    created = [seed_norwegian(), seed_danish()]
    return any(created)


def seed_norwegian() -> bool:
    """The Norwegian café; False (and nothing done) when it exists already."""
    if db.session.scalar(select(Organisation.id).where(Organisation.name == ORGANISATION)):
        return False
    rng = random.Random(2026)
    org = Organisation(name=ORGANISATION, timezone=current_app.config["SPIRE_TIMEZONE"])
    db.session.add(org)
    db.session.flush()
    users = {
        username: accounts.create_user_from_cli(
            org, username, role, password, FULL_NAMES[username], departments
        )
        for username, password, role, departments in NORWEGIAN_LOGINS
    }
    departments = {d.name: d for u in users.values() for d in u.departments}
    today = clock.local_today(org.timezone)
    leader = users["leder"]
    for index, (first, last, gender, born, dept, weekdays, areas, consent) in enumerate(
        PARTICIPANTS
    ):
        start = today - timedelta(days=40 + 15 * index)
        participant = Participant(
            id=uuid.uuid4(),
            organisation_id=org.id,
            department_id=departments[dept].id,
            first_name=first,
            last_name=last,
            search_name=f"{first} {last}".casefold(),
            phone=f"+479{rng.randrange(1000000, 9999999):07d}",
            gender=gender,
            birth_year=born,
            start_date=start,
            planned_end_date=start + timedelta(days=365),
            nav_office=f"NAV {dept}",
            nav_contact="Veileder i NAV",
            consent_nav_reporting=consent,
        )
        db.session.add(participant)
        db.session.flush()  # its history refers to it; the ORM does not order unrelated rows
        _plan_history(participant, weekdays, areas, leader.id, start, rng)
        facilitator = users[_facilitator_of(dept)].id
        _attendance_history(participant, weekdays, facilitator, today, rng)
        _followups(participant, facilitator, today, rng, quiet=index % 5 == 4)
        if index % 3 == 0:
            _meetings(participant, leader.id, dept, today, rng)
    db.session.commit()
    return True


FOLLOWUP_NOTES = {
    FollowUpKind.CONVERSATION: "Samtale om uka som gikk og målene i planen.",
    FollowUpKind.PHONE: "Ringte for å høre hvordan det gikk etter fraværet.",
    FollowUpKind.HOME_VISIT: "Hjemmebesøk; ryddet sammen og laget en plan for morgenene.",
    FollowUpKind.ACCOMPANIMENT: "Fulgte til møte hos NAV om videre løp.",
    FollowUpKind.OTHER: "Hjalp til med å fylle ut søknad om bostøtte.",
}


def _followups(
    participant, author_id, today, rng, quiet: bool, notes=FOLLOWUP_NOTES, zone=None
) -> None:
    """A follow-up every few days over the last month; ``quiet`` ones stopped three weeks
    ago, so the work list of participants nobody has followed up lately is not empty."""
    zone = zone or ZoneInfo(current_app.config["SPIRE_TIMEZONE"])
    first = 21 if quiet else 1
    for days_ago in range(first, 30, rng.choice((3, 4, 5))):
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


MEETING_AGENDA = "1. Siden sist\n2. Arbeidstreningen\n3. Veien videre"


def _meetings(participant, leader_id, department, today, rng) -> None:
    """A responsibility group, a held meeting with decisions and action items (one overdue),
    and the next meeting, planned."""
    zone = ZoneInfo(current_app.config["SPIRE_TIMEZONE"])
    members = [
        GroupMember(
            participant_id=participant.id,
            name=rng.choice(("Eva Johansen", "Knut Pedersen", "Line Aas")),
            organisation=f"NAV {department}",
            role="Veileder",
            phone=f"+479{rng.randrange(1000000, 9999999):07d}",
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
    held_on = max(today - timedelta(days=20), participant.start_date)
    next_on = today + timedelta(days=rng.randrange(5, 40))
    while next_on.isoweekday() > 5 or is_public_holiday(
        next_on, participant.department.organisation.country
    ):
        next_on += timedelta(days=1)
    following = Meeting(
        id=uuid.uuid4(),
        participant_id=participant.id,
        scheduled_at=datetime.combine(next_on, time(13), zone),
        location="Kafeen, møterommet",
        agenda=MEETING_AGENDA,
        status=MeetingStatus.PLANNED,
        created_by_id=leader_id,
        updated_by_id=leader_id,
        members=members,
    )
    held = Meeting(
        id=uuid.uuid4(),
        participant_id=participant.id,
        scheduled_at=datetime.combine(held_on, time(13), zone),
        location="Kafeen, møterommet",
        agenda=MEETING_AGENDA,
        status=MeetingStatus.HELD,
        minutes="Deltakeren forteller om bedre søvn og mer overskudd. Gruppen er enig om "
        "å øke gradvis.",
        decisions="Øke til én dag mer i uka fra neste måned.\nSøke kurs i hygiene.",
        next_meeting_at=following.scheduled_at,
        next_meeting=following,
        created_by_id=leader_id,
        updated_by_id=leader_id,
        members=members,
        actions=[
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
        ],
    )
    db.session.add_all([following, held])


def _facilitator_of(department: str) -> str:
    return "tilrettelegger1" if department == "Songdalen" else "tilrettelegger2"


def _attendance_history(
    participant, weekdays, author_id, today, rng, zone=None, arrival=time(8, 45)
) -> None:
    """The last 30 days before today on the participant's weekdays: mostly present, some
    absences with reasons, as a facilitator's phone would have written them."""
    zone = zone or ZoneInfo(current_app.config["SPIRE_TIMEZONE"])
    writes = []
    reasons = [
        AbsenceReason.SICK,
        AbsenceReason.APPOINTMENT,
        AbsenceReason.NO_SHOW,
        AbsenceReason.OTHER,
    ]
    for days_back in range(30, 0, -1):
        day = today - timedelta(days=days_back)
        if day.isoweekday() not in weekdays or is_public_holiday(
            day, participant.department.organisation.country
        ):
            continue
        record_id = uuid.uuid4()
        present = rng.random() < 0.82
        check_in = datetime.combine(day, arrival, zone) + timedelta(minutes=rng.randrange(40))
        values = {
            "status": AttendanceStatus.PRESENT if present else AttendanceStatus.ABSENT,
            "absence_reason": None if present else rng.choice(reasons),
            "check_in_at": check_in if present else None,
            "check_out_at": check_in + timedelta(hours=5) if present else None,
        }
        db.session.add(
            Attendance(
                id=record_id,
                organisation_id=participant.organisation_id,
                participant_id=participant.id,
                department_id=participant.department_id,
                date=day,
                note=None,
                status_recorded_at=check_in,
                created_by_id=author_id,
                updated_by_id=author_id,
                **values,
            )
        )
        body = {
            "participant_id": str(participant.id),
            "date": day.isoformat(),
            **{
                k: (v.astimezone(UTC).isoformat() if isinstance(v, datetime) else v)
                for k, v in values.items()
            },
        }
        writes.append(
            AttendanceWrite(id=record_id, attendance_id=record_id, body=body, recorded_at=check_in)
        )
    # The writes refer to the records, and no relationship tells the ORM to insert those first.
    db.session.flush()
    db.session.add_all(writes)


def _plan_history(participant, weekdays, areas, author_id, start, rng) -> None:
    """A first plan at the start and, for some, a revised second version."""
    chosen = rng.sample(GOALS, 2)
    goals = [Goal(id=uuid.uuid4(), participant_id=participant.id) for _ in chosen]
    for goal in goals:
        goal.status = GoalStatus.NOT_STARTED
        db.session.add(goal)
    versions = 2 if rng.random() < 0.5 else 1
    for version in range(1, versions + 1):
        valid_from = start if version == 1 else start + timedelta(days=30)
        created = datetime.combine(valid_from, time(10), UTC)
        hours = (time(9), time(14)) if version == 1 else (time(9), time(15))
        db.session.add(
            Plan(
                participant_id=participant.id,
                version=version,
                valid_from=valid_from,
                review_date=valid_from + timedelta(days=90),
                work_areas=areas,
                notes="Trives best med faste oppgaver." if version == 2 else None,
                created_by_id=author_id,
                created_at=created,
                schedule=[
                    ScheduleSlot(weekday=day, start_time=hours[0], end_time=hours[1])
                    for day in weekdays
                ],
                plan_goals=[
                    PlanGoal(
                        goal=goal,
                        position=i,
                        title=title,
                        description=description,
                        due_date=valid_from + timedelta(days=120),
                    )
                    for i, (goal, (title, description)) in enumerate(
                        zip(goals, chosen, strict=True)
                    )
                ],
            )
        )
    goals[0].status = GoalStatus.IN_PROGRESS
    db.session.add(
        GoalUpdate(
            goal_id=goals[0].id,
            status=GoalStatus.IN_PROGRESS,
            progress_note="God start, har møtt de fleste dagene.",
            user_id=author_id,
            at=datetime.combine(start + timedelta(days=14), time(13), UTC),
        )
    )


# --- The Danish workshop ------------------------------------------------------------------

DANISH_ORGANISATION = "Værkstedet Nørrebro (demo)"
WOOD, KITCHEN = "Træværkstedet", "Køkken og café"

# username, password, role, værksteder; the forstander is the admin, the værkstedsleder
# leads both værksteder, and each pædagog is responsible for one group.
DANISH_LOGINS = [
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
DANISH_NAMES = {
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
DANISH_GROUPS = [
    ("Egen", WOOD, "paedagog1", 5),
    ("Bøgen", WOOD, "paedagog2", 5),
    ("Asken", WOOD, "paedagog3", 5),
    ("Birken", WOOD, "paedagog4", 4),
    ("Bageriet", KITCHEN, "paedagog5", 5),
    ("Caféen", KITCHEN, "paedagog6", 5),
    ("Urtehaven", KITCHEN, "paedagog7", 5),
    ("Kantinen", KITCHEN, "paedagog8", 4),
]
DANISH_WOMEN = [
    "Anne", "Maja", "Karen", "Line", "Signe", "Louise", "Julie", "Birgitte", "Hanne",
    "Tove", "Pernille", "Nanna", "Astrid", "Lone", "Marianne", "Sanne", "Rikke", "Trine",
    "Dorthe",
]  # fmt: skip
DANISH_MEN = [
    "Søren", "Jens", "Niels", "Henrik", "Morten", "Kasper", "Thomas", "Mads", "Frederik",
    "Christian", "Peter", "Bo", "Ole", "Jesper", "Martin", "Torben", "Kim", "Steen", "Emil",
]  # fmt: skip
DANISH_SURNAMES = [
    "Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen",
    "Sørensen", "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen",
    "Thomsen", "Poulsen", "Møller", "Mortensen", "Knudsen", "Friis", "Østergaard", "Bruun",
]  # fmt: skip
WORK_AREAS = {
    WOOD: ["snedkeri", "montage", "overfladebehandling", "lager"],
    KITCHEN: ["køkken", "bageri", "servering", "opvask"],
}
DANISH_GOALS = [
    ("Møde til tiden", "Være på værkstedet kl. 8.00 på de aftalte dage."),
    ("Bruge båndsaven sikkert", "Med pædagogen ved siden af de første gange."),
    ("Sige noget på morgenmødet", "Mindst én gang om ugen i gruppen."),
    ("Bage brød til caféen selv", None),
    ("Fast døgnrytme", "I seng før midnat på hverdage."),
    ("Prøve en praktikplads", "Med støtte fra pædagog og sagsbehandler."),
]
DANISH_FOLLOWUP_NOTES = {
    FollowUpKind.CONVERSATION: "Samtale om ugen, der gik, og målene i planen.",
    FollowUpKind.PHONE: "Ringede for at høre, hvordan det gik efter fraværet.",
    FollowUpKind.HOME_VISIT: "Hjemmebesøg; lavede sammen en plan for morgenerne.",
    FollowUpKind.ACCOMPANIMENT: "Fulgte med til møde med sagsbehandleren i kommunen.",
    FollowUpKind.OTHER: "Hjalp med at søge om boligstøtte.",
}
COPENHAGEN = "Europe/Copenhagen"


def seed_danish() -> bool:
    """The Danish workshop; False (and nothing done) when it exists already."""
    if db.session.scalar(select(Organisation.id).where(Organisation.name == DANISH_ORGANISATION)):
        return False
    rng = random.Random(4510)
    zone = ZoneInfo(COPENHAGEN)
    org = Organisation(
        name=DANISH_ORGANISATION,
        timezone=COPENHAGEN,
        country=Country.DENMARK,
        language=Language.DANISH,
    )
    db.session.add(org)
    db.session.flush()
    users = {
        username: accounts.create_user_from_cli(
            org, username, role, password, DANISH_NAMES[username], departments
        )
        for username, password, role, departments in DANISH_LOGINS
    }
    for user in users.values():
        user.language = Language.DANISH
    departments = {d.name: d for u in users.values() for d in u.departments}
    leader = users["vaerkstedsleder"]
    today = clock.local_today(COPENHAGEN)
    groups = []
    for name, department, responsible, _ in DANISH_GROUPS:
        group = Group(
            id=uuid.uuid4(),
            organisation_id=org.id,
            department_id=departments[department].id,
            name=name,
            responsible_user_id=users[responsible].id,
        )
        db.session.add(group)
        groups.append(group)
    db.session.flush()

    index = 0
    for group, (_, department, responsible, size) in zip(groups, DANISH_GROUPS, strict=True):
        pedagogue = users[responsible]
        for _ in range(size):
            borger = _borger(org, departments[department], group, index, today, rng)
            db.session.add(borger)
            db.session.flush()  # the rows below refer to it
            weekdays = _weekdays(borger, rng)
            _danish_plan(borger, weekdays, WORK_AREAS[department], leader.id, rng)
            _memberships(borger, group, groups, leader.id, zone, rng, moved=index % 6 == 5)
            _attendance_history(
                borger, weekdays, pedagogue.id, today, rng, zone=zone, arrival=time(7, 50)
            )
            _followups(
                borger,
                pedagogue.id,
                today,
                rng,
                quiet=index % 7 == 6,
                notes=DANISH_FOLLOWUP_NOTES,
                zone=zone,
            )
            if index % 4 == 1:
                _wakeups(borger, weekdays, pedagogue.id, today, zone, rng)
            index += 1
    db.session.commit()
    return True


def _borger(org, department, group, index, today, rng) -> Participant:
    """A citizen (borger) of the værksted: § 103 or § 104, full- or part-time."""
    women = index % 2 == 0
    first = (DANISH_WOMEN if women else DANISH_MEN)[index // 2]
    last = rng.choice(DANISH_SURNAMES)
    full_time = rng.random() < 0.6
    start = today - timedelta(days=60 + 11 * index)
    return Participant(
        id=uuid.uuid4(),
        organisation_id=org.id,
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


def _weekdays(borger, rng) -> list[int]:
    if borger.days_per_week == 5:
        return [1, 2, 3, 4, 5]
    return sorted(rng.sample([1, 2, 3, 4, 5], borger.days_per_week))


def _danish_plan(borger, weekdays, areas, author_id, rng) -> None:
    """A plan from the start: the group meets at 8 (some at 9), two goals."""
    chosen = rng.sample(DANISH_GOALS, 2)
    goals = [Goal(id=uuid.uuid4(), participant_id=borger.id) for _ in chosen]
    for goal in goals:
        goal.status = GoalStatus.NOT_STARTED
        db.session.add(goal)
    start = time(8) if rng.random() < 0.7 else time(9)
    end = time(14) if borger.participation == Participation.FULL_TIME else time(12)
    db.session.add(
        Plan(
            participant_id=borger.id,
            version=1,
            valid_from=borger.start_date,
            review_date=borger.start_date + timedelta(days=180),
            work_areas=rng.sample(areas, 2),
            notes="Trives med faste opgaver og en rolig start på dagen.",
            created_by_id=author_id,
            created_at=datetime.combine(borger.start_date, time(10), UTC),
            schedule=[
                ScheduleSlot(weekday=day, start_time=start, end_time=end) for day in weekdays
            ],
            plan_goals=[
                PlanGoal(
                    goal=goal,
                    position=i,
                    title=title,
                    description=description,
                    due_date=borger.start_date + timedelta(days=180),
                )
                for i, (goal, (title, description)) in enumerate(zip(goals, chosen, strict=True))
            ],
        )
    )
    goals[0].status = GoalStatus.IN_PROGRESS
    db.session.add(
        GoalUpdate(
            goal_id=goals[0].id,
            status=GoalStatus.IN_PROGRESS,
            progress_note="God start; kommer de fleste dage.",
            user_id=author_id,
            at=datetime.combine(borger.start_date + timedelta(days=14), time(13), UTC),
        )
    )


def _memberships(borger, group, groups, author_id, zone, rng, moved: bool) -> None:
    """The borger's group since the start; ``moved`` ones began in another group of the
    værksted and changed after a few weeks."""
    joined = datetime.combine(borger.start_date, time(8), zone)
    if moved:
        siblings = [g for g in groups if g.department_id == group.department_id and g is not group]
        earlier = rng.choice(siblings)
        changed = joined + timedelta(days=21)
        db.session.add(
            GroupMembership(
                id=uuid.uuid4(),
                organisation_id=borger.organisation_id,
                participant_id=borger.id,
                group_id=earlier.id,
                joined_at=joined,
                left_at=changed,
                added_by=author_id,
                removed_by=author_id,
            )
        )
        joined = changed
    db.session.add(
        GroupMembership(
            id=uuid.uuid4(),
            organisation_id=borger.organisation_id,
            participant_id=borger.id,
            group_id=group.id,
            joined_at=joined,
            added_by=author_id,
        )
    )


def _wakeups(borger, weekdays, author_id, today, zone, rng) -> None:
    """A morning call on the borger's days, and a month of calls made: most answered at
    once, some after a try or two."""
    at = rng.choice((time(6, 45), time(7), time(7, 15)))
    db.session.add(
        WakeupSchedule(
            participant_id=borger.id,
            weekdays=weekdays,
            time=at,
            phone=borger.phone,
            updated_by_id=author_id,
        )
    )
    for days_back in range(30, 0, -1):
        day = today - timedelta(days=days_back)
        if day.isoweekday() not in weekdays or day < borger.start_date:
            continue
        due = datetime.combine(day, at, zone)
        call = WakeupCall(
            id=uuid.uuid4(),
            organisation_id=borger.organisation_id,
            participant_id=borger.id,
            department_id=borger.department_id,
            date=day,
            due_at=due,
            phone=borger.phone,
            status=WakeupStatus.DONE,
            outcome=WakeupOutcome.ANSWERED_COMING,
        )
        db.session.add(call)
        db.session.flush()  # the attempts refer to it
        unanswered = rng.choice((0, 0, 0, 1, 2))
        tries = [WakeupOutcome.NO_ANSWER] * unanswered + [WakeupOutcome.ANSWERED_COMING]
        for n, outcome in enumerate(tries):
            moment = due + timedelta(minutes=10 * n)
            db.session.add(
                WakeupAttempt(
                    id=uuid.uuid4(),
                    call_id=call.id,
                    outcome=outcome,
                    at=moment,
                    note="Svarede og er på vej."
                    if outcome == WakeupOutcome.ANSWERED_COMING
                    else None,
                    user_id=author_id,
                    body={"outcome": outcome.value, "at": moment.astimezone(UTC).isoformat()},
                )
            )
        call.unanswered = unanswered
        call.completed_at = due + timedelta(minutes=10 * unanswered)


# Every demo login, the Norwegian ones first: the command line prints them all.
DEMO_LOGINS = NORWEGIAN_LOGINS + DANISH_LOGINS
