"""A Danish workshop beside the world's Norwegian organisation, for the tests of what
follows an organisation's country (public holidays, and so expected days and wake-up calls,
phone numbers, enrolment types), and the body of a new participant to post in either.

Days that tell the two countries apart (``tests/shared/test_calendar.py`` shows why these):
17 May 2028, a Wednesday, is Norway's Constitution Day and an ordinary day in Denmark (17 May
2027 would not do: it is Whit Monday in both countries); 5 June 2026, a Friday, is Denmark's
Grundlovsdag and an ordinary day in Norway."""

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from server.database import db
from server.models import WakeupSchedule
from shared.vocab import Country, Language, Role
from tests.factories import (
    DepartmentFactory,
    OrganisationFactory,
    ParticipantFactory,
    UserFactory,
    make_plan,
)

NORWEGIAN_HOLIDAY = date(2028, 5, 17)  # Grunnlovsdag, a Wednesday
DANISH_HOLIDAY = date(2026, 6, 5)  # Grundlovsdag, a Friday
COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def local(day: date, hour: int, minute: int = 0) -> datetime:
    """A moment on ``day``; Oslo and Copenhagen keep the same time."""
    return datetime.combine(day, time(hour, minute), COPENHAGEN)


@dataclass
class Workshop:
    organisation: object
    department: object
    admin: object
    leader: object
    pedagogue: object
    citizen: object


def danish_workshop() -> Workshop:
    """A Danish organisation with one workshop, its admin, its leader (værkstedsleder), a
    pedagogue working there, and a citizen expected Monday to Friday from 9."""
    organisation = OrganisationFactory(
        name="Værkstedet Nørrebro",
        country=Country.DENMARK,
        language=Language.DANISH,
        timezone="Europe/Copenhagen",
    )
    department = DepartmentFactory(organisation=organisation, name="Træværkstedet")
    admin = UserFactory(organisation=organisation, username="admin-dk", role=Role.ADMIN)
    leader = UserFactory(
        organisation=organisation, username="leder-dk", role=Role.LEADER, departments=[department]
    )
    pedagogue = UserFactory(
        organisation=organisation, username="paedagog-dk", departments=[department]
    )
    citizen = ParticipantFactory(department=department, first_name="Mette", last_name="Jensen")
    make_plan(citizen, admin)
    return Workshop(organisation, department, admin, leader, pedagogue, citizen)


def new_participant(department, **extra) -> dict:
    """The body of ``POST /participants`` for a man starting in ``department``; ``extra``
    adds or overrides fields."""
    return {
        "first_name": "Mads",
        "last_name": "Jørgensen",
        "department_id": str(department.id),
        "gender": "male",
        "start_date": "2026-03-02",
        "consent_nav_reporting": False,
        **extra,
    }


def wake_up_at_seven(participant, author) -> None:
    """A wake-up call at 07:00 Monday to Friday."""
    db.session.add(
        WakeupSchedule(
            participant_id=participant.id,
            weekdays=[1, 2, 3, 4, 5],
            time=time(7),
            phone="+4512345678",
            updated_by_id=author.id,
        )
    )
    db.session.commit()
