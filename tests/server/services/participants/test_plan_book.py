"""What the office's plan pages read and write through the plan service: every version
with its authors in one read, and a new version refused when it was made from one that
is no longer the newest."""

import uuid
from datetime import date

import pytest
from sqlalchemy import func, select

from server.database import db
from server.models import AccessLogEntry, Goal, Plan
from server.services import participants
from server.services.common.actor import Actor
from server.services.common.errors import Conflict, Invalid
from shared.vocab import GoalStatus, Role


def actor_of(user, role: Role, *departments) -> Actor:
    return Actor(
        user_id=user.id,
        organisation_id=user.organisation_id,
        role=role,
        department_ids=frozenset(d.id for d in departments),
        session_id=uuid.uuid4(),
    )


@pytest.fixture
def leader(world) -> Actor:
    return actor_of(world.leader, Role.LEADER, world.dept_a1)


def new_version(title: str, valid_from: date = date(2026, 2, 2)) -> dict:
    return {
        "valid_from": valid_from,
        "goals": [{"title": title}],
        "work_areas": ["vaskeri"],
        "schedule": [],
    }


def versions(participant) -> list[int]:
    return list(
        db.session.scalars(
            select(Plan.version).where(Plan.participant_id == participant.id).order_by(Plan.version)
        )
    )


def test_a_version_made_from_the_newest_is_saved(leader, world):
    participant = world.participant_a1
    plan = participants.put_plan(leader, participant.id, new_version("Mål"), based_on=1)
    assert plan.version == 2


def test_a_version_made_from_an_older_one_is_refused_and_nothing_is_saved(leader, world):
    participant = world.participant_a1
    participants.put_plan(leader, participant.id, new_version("Først"), based_on=1)
    with pytest.raises(Conflict):
        participants.put_plan(leader, participant.id, new_version("Siden"), based_on=1)
    db.session.rollback()
    assert versions(participant) == [1, 2]


def test_without_a_version_to_start_from_the_api_s_rule_is_unchanged(leader, world):
    participant = world.participant_a1
    participants.put_plan(leader, participant.id, new_version("En"))
    participants.put_plan(leader, participant.id, new_version("To"))
    assert versions(participant) == [1, 2, 3]


def test_the_plan_book_has_every_version_the_current_one_and_the_authors(leader, world):
    participant = world.participant_a1
    participants.put_plan(leader, participant.id, new_version("Senere", date(2099, 1, 1)))
    logged = select(func.count()).select_from(AccessLogEntry)
    before = db.session.scalar(logged)
    book = participants.plan_book(leader, participant.id)
    assert [plan.version for plan in book.versions] == [2, 1]
    assert book.current.version == 1  # the newer one starts later
    assert book.latest_version == 2
    assert book.people == {
        world.admin.id: world.admin.full_name,
        world.leader.id: world.leader.full_name,
    }
    assert db.session.scalar(logged) == before + 1


def test_a_progress_note_without_a_status_leaves_the_status_alone(leader, world):
    participant = world.participant_a1
    goal = participants.plan_book(leader, participant.id).current.plan_goals[0].goal
    admin = actor_of(world.admin, Role.ADMIN)
    participants.update_goal(admin, participant.id, goal.id, {"status": GoalStatus.ACHIEVED})
    participants.update_goal(leader, participant.id, goal.id, {"progress_note": "Godt møte"})
    db.session.expire_all()
    goal = db.session.get(Goal, goal.id)
    assert goal.status == GoalStatus.ACHIEVED
    assert [(u.status, u.progress_note) for u in goal.updates][-1] == (
        GoalStatus.ACHIEVED,
        "Godt møte",
    )
    with pytest.raises(Invalid):
        participants.update_goal(leader, participant.id, goal.id, {"progress_note": None})


def test_a_status_change_made_from_another_status_is_refused(leader, world):
    participant = world.participant_a1
    goal = participants.plan_book(leader, participant.id).current.plan_goals[0].goal
    admin = actor_of(world.admin, Role.ADMIN)
    participants.update_goal(
        admin, participant.id, goal.id, {"status": GoalStatus.ACHIEVED}, GoalStatus.NOT_STARTED
    )
    with pytest.raises(Conflict) as refused:
        participants.update_goal(
            leader,
            participant.id,
            goal.id,
            {"status": GoalStatus.IN_PROGRESS, "progress_note": "Trenger tid"},
            GoalStatus.NOT_STARTED,
        )
    assert refused.value.details == {"status": "achieved"}
    db.session.expire_all()
    goal = db.session.get(Goal, goal.id)
    assert goal.status == GoalStatus.ACHIEVED
    assert [u.progress_note for u in goal.updates] == [None]
