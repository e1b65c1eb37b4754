"""Demo data: an organisation with departments Songdalen and Arendal, its staff, a dozen
participants with plans and schedules, and a month of history. All people are invented."""

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
    GroupMember,
    Meeting,
    MeetingAction,
    Organisation,
    Participant,
    Plan,
    PlanGoal,
    ScheduleSlot,
)
from server.services import accounts
from shared.calendar import is_public_holiday
from shared.vocab import (
    AbsenceReason,
    AttendanceStatus,
    FollowUpKind,
    Gender,
    GoalStatus,
    MeetingStatus,
    Role,
)

ORGANISATION = "Vekst Arbeidstrening (demo)"

# username, password, role, departments
DEMO_LOGINS = [
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
    """Create the demo organisation; False (and nothing done) when it exists already."""
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
        for username, password, role, departments in DEMO_LOGINS
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


def _followups(participant, author_id, today, rng, quiet: bool) -> None:
    """A follow-up every few days over the last month; ``quiet`` ones stopped three weeks
    ago, so the work list of participants nobody has followed up lately is not empty."""
    zone = ZoneInfo(current_app.config["SPIRE_TIMEZONE"])
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
                note=FOLLOWUP_NOTES[kind],
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


def _attendance_history(participant, weekdays, author_id, today, rng) -> None:
    """The last 30 days before today on the participant's weekdays: mostly present, some
    absences with reasons, as a facilitator's phone would have written them."""
    zone = ZoneInfo(current_app.config["SPIRE_TIMEZONE"])
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
        check_in = datetime.combine(day, time(8, 45), zone) + timedelta(minutes=rng.randrange(40))
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
