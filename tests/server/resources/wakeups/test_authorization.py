"""Who may read and write wake-up schedules, calls and attempts, and read the notices.

The rules and the tables: ``tests/server/resources/authorization.py``."""

import uuid
from collections.abc import Callable

import pytest

from tests.server.resources.authorization import (
    ADMIN_B,
    ANY,
    NEW_ID,
    PARTICIPANT_B1,
    Call,
    Scene,
    check_mass_assignment,
    check_rows,
    rows_of,
)

ENDPOINTS: dict[str, Callable[[Scene, str], Call]] = {
    "GET /participants/{id}/wakeup-schedule": lambda s, w: Call(
        "GET", f"/participants/{s.wakeup_schedule_of(w)}/wakeup-schedule"
    ),
    "PUT /participants/{id}/wakeup-schedule": lambda s, w: Call(
        "PUT",
        f"/participants/{s.fresh_participant_id(w)}/wakeup-schedule",
        {"weekdays": [1, 2, 3, 4, 5], "time": "07:30"},
    ),
    "GET /wakeups": lambda s, w: Call("GET", f"/wakeups?department_id={s.department_id(w)}"),
    "PUT /wakeups/{id}/attempts/{attempt_id}": lambda s, w: Call(
        "PUT",
        f"/wakeups/{s.wakeup_call_id(w)}/attempts/{uuid.uuid4()}",
        {"outcome": "no_answer", "at": "2026-01-05T06:30:00+00:00"},
    ),
    "GET /notifications": lambda s, w: Call("GET", "/notifications"),
}

# fmt: off
MATRIX = [
    # endpoint                                        where         admin leader facilitator
    ("GET /participants/{id}/wakeup-schedule",        "own",        200,  200,    200),
    ("GET /participants/{id}/wakeup-schedule",        "other_dept", 200,  404,    404),
    ("GET /participants/{id}/wakeup-schedule",        "other_org",  404,  404,    404),
    ("PUT /participants/{id}/wakeup-schedule",        "own",        201,  201,    201),
    ("PUT /participants/{id}/wakeup-schedule",        "other_dept", 201,  404,    404),
    ("PUT /participants/{id}/wakeup-schedule",        "other_org",  404,  404,    404),
    ("GET /wakeups",                                  "own",        200,  200,    200),
    ("GET /wakeups",                                  "other_dept", 200,  404,    404),
    ("GET /wakeups",                                  "other_org",  404,  404,    404),
    ("PUT /wakeups/{id}/attempts/{attempt_id}",       "own",        201,  201,    201),
    ("PUT /wakeups/{id}/attempts/{attempt_id}",       "other_dept", 201,  404,    404),
    ("PUT /wakeups/{id}/attempts/{attempt_id}",       "other_org",  404,  404,    404),
    ("GET /notifications",                            ANY,          200,  200,    200),
]
# fmt: on

READ_BACK: dict[str, Callable[[Scene, Call], str] | None] = {
    "PUT /participants/{id}/wakeup-schedule": lambda s, c: "/participants",
    "PUT /wakeups/{id}/attempts/{attempt_id}": lambda s, c: "/notifications",
}

MASS_ASSIGNMENT: dict[str, tuple[str, dict]] = {
    "PUT /participants/{id}/wakeup-schedule": (
        "facilitator",
        {"id": NEW_ID, "participant_id": PARTICIPANT_B1, "updated_by_id": ADMIN_B},
    ),
    "PUT /wakeups/{id}/attempts/{attempt_id}": (
        "facilitator",
        {"id": NEW_ID, "call_id": NEW_ID, "user_id": ADMIN_B, "status": "done"},
    ),
}


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_authorisation_matrix(scene, subtests, endpoint):
    check_rows(scene, subtests, ENDPOINTS[endpoint], rows_of(MATRIX, endpoint))


@pytest.mark.parametrize("endpoint", list(MASS_ASSIGNMENT))
def test_mass_assignment_is_refused(scene, subtests, endpoint):
    role, fields = MASS_ASSIGNMENT[endpoint]
    check_mass_assignment(scene, subtests, ENDPOINTS[endpoint], READ_BACK[endpoint], role, fields)
