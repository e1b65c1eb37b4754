"""Bad input to recording a tally and to editing the organisation's activities.

The cases and the checks: ``tests/server/resources/bad_input.py``."""

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from server import clock
from server.database import db
from server.models import TallyActivity
from tests.server.resources.bad_input import (
    DROP,
    NOT_UUID,
    OTHER_ORG_DEPARTMENT,
    Endpoint,
    accepts_its_body,
    case,
    read,
    run_cases,
)

TALLY_ID = uuid.uuid4()
ACTIVITIES = "/tally-activities?include_inactive=true"


def activity_id(ctx, organisation=None, name: str | None = None) -> str:
    stmt = select(TallyActivity.id).where(
        TallyActivity.organisation_id == (organisation or ctx.world.org_a).id
    )
    if name:
        stmt = stmt.where(TallyActivity.name == name)
    return str(db.session.scalars(stmt.order_by(TallyActivity.position)).first())


def inactive_activity_id(ctx) -> str:
    activity = TallyActivity(
        organisation_id=ctx.world.org_a.id, name="Nedlagt", active=False, position=99
    )
    db.session.add(activity)
    db.session.commit()
    return str(activity.id)


def days_ago(days: int) -> str:
    """A date counted from today as the organisation's clocks show it (the rules' today)."""
    return (clock.local_today("Europe/Oslo") - timedelta(days=days)).isoformat()


ENDPOINTS = {
    "put-tally": Endpoint(
        "PUT",
        lambda c: f"/tallies/{TALLY_ID}",
        lambda c: {
            "department_id": str(c.world.dept_a1.id),
            "activity": activity_id(c),
            "who": "child_youth",
            "count": 4,
            "date": days_ago(1),
            "first_contact": True,
        },
        lambda c: read(c, f"/tallies?department_id={c.world.dept_a1.id}"),
        201,
        required=("department_id", "activity", "who", "date"),
    ),
    "create-tally-activity": Endpoint(
        "POST",
        lambda c: "/tally-activities",
        lambda c: {"name": "Kvinnegruppe", "active": True},
        lambda c: read(c, ACTIVITIES),
        201,
        required=("name",),
    ),
    "update-tally-activity": Endpoint(
        "PATCH",
        lambda c: f"/tally-activities/{activity_id(c)}",
        lambda c: {"name": "Drop-in", "active": True, "position": 3},
        lambda c: read(c, ACTIVITIES),
        200,
    ),
}


@pytest.mark.parametrize("name", ENDPOINTS)
def test_valid_body_is_accepted(ctx, name):
    accepts_its_body(ctx, ENDPOINTS[name])


SCHEMA_CASES = {
    "put-tally": [
        case("department-id-invalid", {"department_id": NOT_UUID}, "department_id"),
        case("department-id-null", {"department_id": None}, "department_id"),
        case("activity-invalid", {"activity": NOT_UUID}, "activity"),
        case("activity-missing", {"activity": DROP}, "activity"),
        case("who-invalid", {"who": "woman"}, "who"),
        case("who-upper-case", {"who": "FEMALE"}, "who"),
        case("who-null", {"who": None}, "who"),
        case("count-zero", {"count": 0}, "count"),
        case("count-negative", {"count": -1}, "count"),
        case("count-over-500", {"count": 501}, "count"),
        case("count-fraction", {"count": 1.5}, "count"),
        case("count-string", {"count": "2"}, "count"),
        case("count-bool", {"count": True}, "count"),
        case("count-null", {"count": None}, "count"),
        case("date-timestamp", {"date": "2026-02-03T10:00:00Z"}, "date"),
        case("date-invalid", {"date": "2026-02-30"}, "date"),
        case("date-null", {"date": None}, "date"),
        case("first-contact-string", {"first_contact": "true"}, "first_contact"),
        case("first-contact-number", {"first_contact": 1}, "first_contact"),
        case("read-only-id", {"id": str(uuid.uuid4())}, "id"),
        case("read-only-recorded-by", {"recorded_by_id": str(uuid.uuid4())}, "recorded_by_id"),
        case("no-participant", {"participant_id": str(uuid.uuid4())}, "participant_id"),
        case("no-free-text", {"note": "Kari, 34 år"}, "note"),
        case("no-name", {"name": "Kari"}, "name"),
    ],
    "create-tally-activity": [
        case("name-missing", {"name": DROP}, "name"),
        case("name-blank", {"name": "   "}, "name"),
        case("name-too-long", {"name": "x" * 81}, "name"),
        case("name-number", {"name": 5}, "name"),
        case("active-string", {"active": "yes"}, "active"),
        case("read-only-id", {"id": str(uuid.uuid4())}, "id"),
    ],
    "update-tally-activity": [
        case("name-null", {"name": None}, "name"),
        case("name-blank", {"name": ""}, "name"),
        case("active-null", {"active": None}, "active"),
        case("position-negative", {"position": -1}, "position"),
        case("position-string", {"position": "1"}, "position"),
        case("read-only-organisation", {"organisation_id": str(uuid.uuid4())}, "organisation_id"),
    ],
}


@pytest.mark.parametrize("name", SCHEMA_CASES)
def test_wrong_type_or_value_is_refused(ctx, subtests, name):
    run_cases(ctx, subtests, ENDPOINTS[name], SCHEMA_CASES[name])


RULE_CASES = {
    "put-tally": [
        case("date-tomorrow", {"date": lambda c: days_ago(-1)}, "date"),
        case("date-more-than-a-year-back", {"date": lambda c: days_ago(367)}, "date"),
        case("activity-inactive", {"activity": inactive_activity_id}, "activity"),
        case(
            "activity-of-another-organisation",
            {"activity": lambda c: activity_id(c, c.world.org_b)},
            "activity",
        ),
        case("activity-unknown", {"activity": str(uuid.uuid4())}, "activity"),
        case(
            "department-of-another-organisation",
            {"department_id": OTHER_ORG_DEPARTMENT},
            status=404,
        ),
        case("department-unknown", {"department_id": str(uuid.uuid4())}, status=404),
    ],
    "create-tally-activity": [
        case("name-taken", {"name": "Temakveld"}, "name", status=409),
        case("name-taken-in-another-case", {"name": "TEMAKVELD"}, "name", status=409),
    ],
    "update-tally-activity": [
        case("name-taken", {"name": "Hjemmebesøk"}, "name", status=409),
    ],
}


@pytest.mark.parametrize("name", RULE_CASES)
def test_rule_violation_is_refused(ctx, subtests, name):
    run_cases(ctx, subtests, ENDPOINTS[name], RULE_CASES[name])
