"""Who may log and read follow-ups: only the staff of the participant's department log
them.

The rules and the tables: ``tests/server/resources/authorization.py``."""

import uuid
from collections.abc import Callable

import pytest

from tests.server.resources.authorization import (
    ADMIN_B,
    DEPT_A2,
    NEW_ID,
    ORG_B,
    PERIOD,
    Call,
    Scene,
    check_mass_assignment,
    check_rows,
    rows_of,
)


def new_followup(participant_id: str, day: str) -> dict:
    return {
        "participant_id": participant_id,
        "kind": "conversation",
        "occurred_at": f"{day}T10:00:00+01:00",
        "duration_minutes": 30,
        "note": "Snakket om søvn og oppmøte.",
    }


ENDPOINTS: dict[str, Callable[[Scene, str], Call]] = {
    # A new follow-up by a new id, of the participant in ``where`` on a day not used before.
    "PUT /followups/{id}": lambda s, w: Call(
        "PUT", f"/followups/{uuid.uuid4()}", new_followup(s.participant_id(w), s.next_day())
    ),
    "GET /followups": lambda s, w: Call("GET", f"/followups?participant_id={s.participant_id(w)}"),
    "GET /followups/{id}": lambda s, w: Call("GET", f"/followups/{s.followup_id(w)}"),
    "GET /followups/counts": lambda s, w: Call(
        "GET", f"/followups/counts?department_id={s.department_id(w)}&{PERIOD}"
    ),
}

# fmt: off
MATRIX = [
    # endpoint                                        where         admin leader facilitator
    # Only the staff of the participant's department log follow-ups: the admin, a member of
    # no department, sees the participant but may not.
    ("PUT /followups/{id}",                           "own",        403,  201,    201),
    ("PUT /followups/{id}",                           "other_dept", 403,  404,    404),
    ("PUT /followups/{id}",                           "other_org",  404,  404,    404),
    # GET /followups filters by participant_id; /followups/counts names the department
    ("GET /followups",                                "own",        200,  200,    200),
    ("GET /followups",                                "other_dept", 200,  404,    404),
    ("GET /followups",                                "other_org",  404,  404,    404),
    ("GET /followups/{id}",                           "own",        200,  200,    200),
    ("GET /followups/{id}",                           "other_dept", 200,  404,    404),
    ("GET /followups/{id}",                           "other_org",  404,  404,    404),
    ("GET /followups/counts",                         "own",        200,  200,    200),
    ("GET /followups/counts",                         "other_dept", 200,  404,    404),
    ("GET /followups/counts",                         "other_org",  404,  404,    404),
]
# fmt: on

READ_BACK: dict[str, Callable[[Scene, Call], str] | None] = {
    "PUT /followups/{id}": lambda s, c: ENDPOINTS["GET /followups"](s, "own").path,
}

MASS_ASSIGNMENT: dict[str, tuple[str, dict]] = {
    "PUT /followups/{id}": (
        "facilitator",
        {
            "id": NEW_ID,
            "author_id": ADMIN_B,
            "updated_by_id": ADMIN_B,
            "organisation_id": ORG_B,
            "department_id": DEPT_A2,
            "note_withheld": True,
        },
    ),
}


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_authorisation_matrix(scene, subtests, endpoint):
    check_rows(scene, subtests, ENDPOINTS[endpoint], rows_of(MATRIX, endpoint))


@pytest.mark.parametrize("endpoint", list(MASS_ASSIGNMENT))
def test_mass_assignment_is_refused(scene, subtests, endpoint):
    role, fields = MASS_ASSIGNMENT[endpoint]
    check_mass_assignment(scene, subtests, ENDPOINTS[endpoint], READ_BACK[endpoint], role, fields)
