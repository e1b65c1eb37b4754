"""factory_boy factories for the models; tests build exactly the world they need."""

import uuid
from datetime import date, time

import factory
from factory.alchemy import SQLAlchemyModelFactory

from server.database import db
from server.models import (
    Department,
    Goal,
    Organisation,
    Participant,
    Plan,
    PlanGoal,
    ScheduleSlot,
    User,
)
from server.services import tallies
from server.services.accounts import passwords
from shared.vocab import Gender, GoalStatus, ParticipantStatus, Role

PASSWORD = "Riktig-Hest-Batteri-9"


class Base(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"


class OrganisationFactory(Base):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisasjon {n}")
    timezone = "Europe/Oslo"

    @factory.post_generation
    def activities(organisation, create, extracted, **kwargs):
        """Every organisation starts with the default tally activities, as the real ways
        of making one give them."""
        if create:
            tallies.seed_defaults(organisation)
            db.session.commit()


class DepartmentFactory(Base):
    class Meta:
        model = Department

    organisation = factory.SubFactory(OrganisationFactory)
    organisation_id = factory.SelfAttribute("organisation.id")
    name = factory.Sequence(lambda n: f"Avdeling {n}")


class UserFactory(Base):
    class Meta:
        model = User
        exclude = ("organisation",)

    organisation = factory.SubFactory(OrganisationFactory)
    organisation_id = factory.SelfAttribute("organisation.id")
    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Ansatt Nummer{n}")
    role = Role.FACILITATOR
    password_hash = factory.LazyFunction(lambda: passwords.hash_password(PASSWORD))
    active = True
    # Staff other than admins work in at least one department, as the API requires.
    departments = factory.LazyAttribute(
        lambda user: (
            [] if user.role == Role.ADMIN else [DepartmentFactory(organisation=user.organisation)]
        )
    )


class ParticipantFactory(Base):
    class Meta:
        model = Participant
        exclude = ("department",)

    id = factory.LazyFunction(uuid.uuid4)
    department = factory.SubFactory(DepartmentFactory)
    department_id = factory.SelfAttribute("department.id")
    organisation_id = factory.SelfAttribute("department.organisation_id")
    first_name = factory.Sequence(lambda n: f"Deltaker{n}")
    last_name = "Hansen"
    search_name = factory.LazyAttribute(lambda p: f"{p.first_name} {p.last_name}".casefold())
    gender = Gender.FEMALE
    birth_year = 1990
    start_date = date(2026, 1, 5)
    status = ParticipantStatus.ACTIVE
    consent_nav_reporting = True


def make_plan(participant: Participant, author: User, weekdays=(1, 2, 3, 4, 5), goals=1) -> Plan:
    """A first plan with goals and a 09:00-14:00 schedule on the given weekdays."""
    plan = Plan(
        participant_id=participant.id,
        version=1,
        valid_from=participant.start_date,
        work_areas=["kjøkken"],
        created_by_id=author.id,
        schedule=[ScheduleSlot(weekday=d, start_time=time(9), end_time=time(14)) for d in weekdays],
    )
    for position in range(goals):
        goal = Goal(id=uuid.uuid4(), participant_id=participant.id, status=GoalStatus.NOT_STARTED)
        plan.plan_goals.append(PlanGoal(goal=goal, position=position, title=f"Mål {position + 1}"))
    db.session.add(plan)
    db.session.commit()
    return plan
