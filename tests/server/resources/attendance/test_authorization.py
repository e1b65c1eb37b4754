"""Who may read and write attendance, leave, rates and the day's list.

The rules and the tables: ``tests/server/resources/authorization.py``."""

import uuid
from collections.abc import Callable

import pytest

from tests.server.resources.authorization import (
    ADMIN_B,
    DEPT_A2,
    NEW_ID,
    ORG_B,
    PARTICIPANT_B1,
    PERIOD,
    Call,
    Scene,
    attendance_of,
    check_mass_assignment,
    check_rows,
    new_attendance,
    participant_path,
    rows_of,
)


def new_leave(day: str) -> dict:
    return {"first_day": day, "last_day": day, "note": "Ferie"}


ENDPOINTS: dict[str, Callable[[Scene, str], Call]] = {
    "GET /participants/{id}/attendance-summary": lambda s, w: Call(
        "GET", participant_path(s, w, f"/attendance-summary?{PERIOD}")
    ),
    "GET /participants/{id}/leaves": lambda s, w: Call("GET", participant_path(s, w, "/leaves")),
    "POST /participants/{id}/leaves": lambda s, w: Call(
        "POST", participant_path(s, w, "/leaves"), new_leave(s.next_day())
    ),
    "DELETE /participants/{id}/leaves/{leave_id}": lambda s, w: Call(
        "DELETE", participant_path(s, w, f"/leaves/{s.leave_id(w)}")
    ),
    "GET /attendance": attendance_of,
    "PUT /attendance/{id}": lambda s, w: Call(
        "PUT", f"/attendance/{uuid.uuid4()}", new_attendance(s.participant_id(w), s.next_day())
    ),
    "GET /attendance/{id}": lambda s, w: Call("GET", f"/attendance/{s.attendance_id(w)}"),
    "DELETE /attendance/{id}": lambda s, w: Call("DELETE", f"/attendance/{s.attendance_id(w)}"),
    "GET /attendance/rates": lambda s, w: Call(
        "GET", f"/attendance/rates?department_id={s.department_id(w)}&{PERIOD}"
    ),
    "GET /today": lambda s, w: Call("GET", f"/today?department_id={s.department_id(w)}"),
}

# fmt: off
MATRIX = [
    # endpoint                                        where         admin leader facilitator
    ("GET /participants/{id}/attendance-summary",     "own",        200,  200,    200),
    ("GET /participants/{id}/attendance-summary",     "other_dept", 200,  404,    404),
    ("GET /participants/{id}/attendance-summary",     "other_org",  404,  404,    404),
    ("GET /participants/{id}/leaves",                 "own",        200,  200,    200),
    ("GET /participants/{id}/leaves",                 "other_dept", 200,  404,    404),
    ("GET /participants/{id}/leaves",                 "other_org",  404,  404,    404),
    ("POST /participants/{id}/leaves",                "own",        201,  201,    201),
    ("POST /participants/{id}/leaves",                "other_dept", 201,  404,    404),
    ("POST /participants/{id}/leaves",                "other_org",  404,  404,    404),
    ("DELETE /participants/{id}/leaves/{leave_id}",   "own",        204,  204,    204),
    ("DELETE /participants/{id}/leaves/{leave_id}",   "other_dept", 204,  404,    404),
    ("DELETE /participants/{id}/leaves/{leave_id}",   "other_org",  404,  404,    404),
    # GET /attendance filters by participant_id; /attendance/rates and /today name the
    # department in ``where``
    ("GET /attendance",                               "own",        200,  200,    200),
    ("GET /attendance",                               "other_dept", 200,  404,    404),
    ("GET /attendance",                               "other_org",  404,  404,    404),
    ("PUT /attendance/{id}",                          "own",        201,  201,    201),
    ("PUT /attendance/{id}",                          "other_dept", 201,  404,    404),
    ("PUT /attendance/{id}",                          "other_org",  404,  404,    404),
    ("GET /attendance/{id}",                          "own",        200,  200,    200),
    ("GET /attendance/{id}",                          "other_dept", 200,  404,    404),
    ("GET /attendance/{id}",                          "other_org",  404,  404,    404),
    ("DELETE /attendance/{id}",                       "own",        204,  204,    204),
    ("DELETE /attendance/{id}",                       "other_dept", 204,  404,    404),
    ("DELETE /attendance/{id}",                       "other_org",  404,  404,    404),
    ("GET /attendance/rates",                         "own",        200,  200,    200),
    ("GET /attendance/rates",                         "other_dept", 200,  404,    404),
    ("GET /attendance/rates",                         "other_org",  404,  404,    404),
    ("GET /today",                                    "own",        200,  200,    200),
    ("GET /today",                                    "other_dept", 200,  404,    404),
    ("GET /today",                                    "other_org",  404,  404,    404),
]
# fmt: on

READ_BACK: dict[str, Callable[[Scene, Call], str] | None] = {
    "POST /participants/{id}/leaves": lambda s, c: c.path,
    "PUT /attendance/{id}": lambda s, c: attendance_of(s, "own").path,
}

MASS_ASSIGNMENT: dict[str, tuple[str, dict]] = {
    "POST /participants/{id}/leaves": (
        "facilitator",
        {"id": NEW_ID, "participant_id": PARTICIPANT_B1, "created_by_id": ADMIN_B, "paid": True},
    ),
    "PUT /attendance/{id}": (
        "facilitator",
        {
            "id": NEW_ID,
            "organisation_id": ORG_B,
            "department_id": DEPT_A2,
            "created_by_id": ADMIN_B,
            "version": 99,
            "approved": True,
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
