"""Who may read and change departments, and what a department's body may not set.

The rules and the tables: ``tests/server/resources/authorization.py``."""

from collections.abc import Callable

import pytest

from tests.server.resources.authorization import (
    ANY,
    NEW_ID,
    ORG_B,
    Call,
    Scene,
    check_mass_assignment,
    check_rows,
    rows_of,
)

ENDPOINTS: dict[str, Callable[[Scene, str], Call]] = {
    "GET /departments": lambda s, w: Call("GET", "/departments"),
    "POST /departments": lambda s, w: Call("POST", "/departments", {"name": "Lillesand"}),
    "GET /departments/{id}": lambda s, w: Call("GET", f"/departments/{s.department_id(w)}"),
    "PATCH /departments/{id}": lambda s, w: Call(
        "PATCH", f"/departments/{s.department_id(w)}", {"timezone": "Europe/Oslo"}
    ),
}

# fmt: off
MATRIX = [
    # endpoint                                        where         admin leader facilitator
    ("GET /departments",                              ANY,          200,  200,    200),
    ("POST /departments",                             ANY,          201,  403,    403),
    ("GET /departments/{id}",                         "own",        200,  200,    200),
    ("GET /departments/{id}",                         "other_dept", 200,  404,    404),
    ("GET /departments/{id}",                         "other_org",  404,  404,    404),
    ("PATCH /departments/{id}",                       "own",        200,  403,    403),
    ("PATCH /departments/{id}",                       "other_dept", 200,  404,    404),
    ("PATCH /departments/{id}",                       "other_org",  404,  404,    404),
]
# fmt: on

READ_BACK: dict[str, Callable[[Scene, Call], str] | None] = {
    "POST /departments": lambda s, c: "/departments",
    "PATCH /departments/{id}": lambda s, c: c.path,
}

MASS_ASSIGNMENT: dict[str, tuple[str, dict]] = {
    "POST /departments": (
        "admin",
        {"id": NEW_ID, "organisation_id": ORG_B, "is_public": True},
    ),
    "PATCH /departments/{id}": (
        "admin",
        {"id": NEW_ID, "organisation_id": ORG_B, "is_public": True},
    ),
}


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_authorisation_matrix(scene, subtests, endpoint):
    check_rows(scene, subtests, ENDPOINTS[endpoint], rows_of(MATRIX, endpoint))


@pytest.mark.parametrize("endpoint", list(MASS_ASSIGNMENT))
def test_mass_assignment_is_refused(scene, subtests, endpoint):
    role, fields = MASS_ASSIGNMENT[endpoint]
    check_mass_assignment(scene, subtests, ENDPOINTS[endpoint], READ_BACK[endpoint], role, fields)
