"""Who may record, undo and list tallies, and change the organisation's activities: any
staff member of the department records one; its author or a leader corrects or undoes
it; only the admin edits the activities.

The rules and the tables: ``tests/server/resources/authorization.py``."""

import uuid
from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import select

from server.database import db
from server.models import Tally, TallyActivity
from shared.vocab import TallyWho
from tests.server.resources.authorization import (
    ADMIN_B,
    ANY,
    NEW_ID,
    NOWHERE,
    ORG_B,
    PERIOD,
    Call,
    Scene,
    check_mass_assignment,
    check_rows,
    rows_of,
)

DAY = date(2026, 1, 12)


def activity_of(scene: Scene, where: str) -> TallyActivity:
    """An active activity of the organisation ``where`` lies in."""
    organisation = scene.world.org_b if where == "other_org" else scene.world.org_a
    return db.session.scalars(
        select(TallyActivity)
        .where(TallyActivity.organisation_id == organisation.id, TallyActivity.active)
        .order_by(TallyActivity.position)
    ).first()


def new_tally(scene: Scene, where: str) -> dict:
    return {
        "department_id": scene.department_id(where),
        "activity": str(activity_of(scene, where).id),
        "who": "agency",
        "count": 2,
        "date": scene.next_day(),
        "first_contact": True,
    }


def tally_id(scene: Scene, where: str) -> str:
    """A new tally in the department ``where``, recorded by someone other than the
    facilitator under test: the leader in A1, the facilitator of A2, B's admin."""
    if where == NOWHERE:
        return str(uuid.uuid4())
    authors = {
        "own": scene.world.leader,
        "other_dept": scene.world.facilitator_a2,
        "other_org": scene.world.admin_b,
    }
    tally = Tally(
        id=uuid.uuid4(),
        department_id=uuid.UUID(scene.department_id(where)),
        activity_id=activity_of(scene, where).id,
        who=TallyWho.FEMALE,
        count=1,
        date=DAY,
        first_contact=False,
        recorded_by_id=authors[where].id,
        updated_by_id=authors[where].id,
    )
    db.session.add(tally)
    db.session.commit()
    return str(tally.id)


def activity_id(scene: Scene, where: str) -> str:
    """A new activity of the organisation ``where`` lies in."""
    if where == NOWHERE:
        return str(uuid.uuid4())
    organisation = scene.world.org_b if where == "other_org" else scene.world.org_a
    activity = TallyActivity(
        organisation_id=organisation.id, name=f"Aktivitet {uuid.uuid4()}", position=50
    )
    db.session.add(activity)
    db.session.commit()
    return str(activity.id)


ENDPOINTS: dict[str, Callable[[Scene, str], Call]] = {
    # A new tally by a new id, in the department ``where``.
    "PUT /tallies/{id}": lambda s, w: Call("PUT", f"/tallies/{uuid.uuid4()}", new_tally(s, w)),
    # Undoing a tally someone else (not the facilitator under test) recorded there.
    "DELETE /tallies/{id}": lambda s, w: Call("DELETE", f"/tallies/{tally_id(s, w)}"),
    "GET /tallies": lambda s, w: Call(
        "GET", f"/tallies?department_id={s.department_id(w)}&{PERIOD}"
    ),
    "GET /tally-activities": lambda s, w: Call("GET", "/tally-activities"),
    "POST /tally-activities": lambda s, w: Call(
        "POST", "/tally-activities", {"name": f"Ny aktivitet {uuid.uuid4()}"}
    ),
    "PATCH /tally-activities/{id}": lambda s, w: Call(
        "PATCH", f"/tally-activities/{activity_id(s, w)}", {"name": f"Omdøpt {uuid.uuid4()}"}
    ),
}

# fmt: off
MATRIX = [
    # endpoint                                        where         admin leader facilitator
    ("PUT /tallies/{id}",                             "own",        201,  201,    201),
    ("PUT /tallies/{id}",                             "other_dept", 201,  404,    404),
    ("PUT /tallies/{id}",                             "other_org",  404,  404,    404),
    # The leader recorded the tally in A1: the facilitator there may not undo it.
    ("DELETE /tallies/{id}",                          "own",        204,  204,    403),
    ("DELETE /tallies/{id}",                          "other_dept", 204,  404,    404),
    ("DELETE /tallies/{id}",                          "other_org",  404,  404,    404),
    ("GET /tallies",                                  "own",        200,  200,    200),
    ("GET /tallies",                                  "other_dept", 200,  404,    404),
    ("GET /tallies",                                  "other_org",  404,  404,    404),
    ("GET /tally-activities",                         ANY,          200,  200,    200),
    ("POST /tally-activities",                        ANY,          201,  403,    403),
    # The activities are the organisation's: A1 and A2 share them.
    ("PATCH /tally-activities/{id}",                  "own",        200,  403,    403),
    ("PATCH /tally-activities/{id}",                  "other_dept", 200,  403,    403),
    ("PATCH /tally-activities/{id}",                  "other_org",  404,  404,    404),
]
# fmt: on

ACTIVITIES = "/tally-activities?include_inactive=true"
READ_BACK: dict[str, Callable[[Scene, Call], str] | None] = {
    "PUT /tallies/{id}": lambda s, c: ENDPOINTS["GET /tallies"](s, "own").path,
    "POST /tally-activities": lambda s, c: ACTIVITIES,
    "PATCH /tally-activities/{id}": lambda s, c: ACTIVITIES,
}

MASS_ASSIGNMENT: dict[str, tuple[str, dict]] = {
    "PUT /tallies/{id}": (
        "facilitator",
        {
            "id": NEW_ID,
            "recorded_by_id": ADMIN_B,
            "updated_by_id": ADMIN_B,
            "organisation_id": ORG_B,
            "activity_id": NEW_ID,
            "activity_name": "Noe annet",
            "withdrawn_at": "2026-01-01T10:00:00Z",
            "participant_id": NEW_ID,
            "note": "Et navn",
        },
    ),
    "POST /tally-activities": (
        "admin",
        {"id": NEW_ID, "organisation_id": ORG_B, "position": -5, "name_key": "x"},
    ),
    "PATCH /tally-activities/{id}": (
        "admin",
        {"id": NEW_ID, "organisation_id": ORG_B, "name_key": "x"},
    ),
}


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_authorisation_matrix(scene, subtests, endpoint):
    check_rows(scene, subtests, ENDPOINTS[endpoint], rows_of(MATRIX, endpoint))


@pytest.mark.parametrize("endpoint", list(MASS_ASSIGNMENT))
def test_mass_assignment_is_refused(scene, subtests, endpoint):
    role, fields = MASS_ASSIGNMENT[endpoint]
    check_mass_assignment(scene, subtests, ENDPOINTS[endpoint], READ_BACK[endpoint], role, fields)
