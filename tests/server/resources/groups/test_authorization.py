"""Who may read, make and change a department's groups, and read a participant's groups;
what a group's body may not set.

The rules and the tables: ``tests/server/resources/authorization.py``."""

import uuid
from collections.abc import Callable

import pytest

from tests.server.resources.authorization import (
    DEPT_A2,
    NEW_ID,
    NOWHERE,
    ORG_B,
    Call,
    Scene,
    check_mass_assignment,
    check_rows,
    participant_path,
    rows_of,
)


def group_id(scene: Scene, where: str) -> str:
    """A new group of the department in ``where``, made by its organisation's admin."""
    if where == NOWHERE:
        return str(uuid.uuid4())
    response = scene.org_admin(where).post(
        f"/departments/{scene.department_id(where)}/groups",
        json={"name": f"Gruppe {uuid.uuid4().hex[:8]}"},
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def department_groups(scene: Scene, where: str) -> str:
    return f"/departments/{scene.department_id(where)}/groups"


ENDPOINTS: dict[str, Callable[[Scene, str], Call]] = {
    "GET /departments/{id}/groups": lambda s, w: Call("GET", department_groups(s, w)),
    # Each call names a group of its own: names are unique in a department.
    "POST /departments/{id}/groups": lambda s, w: Call(
        "POST", department_groups(s, w), {"name": f"Kafé {uuid.uuid4().hex[:8]}"}
    ),
    "GET /groups/{id}": lambda s, w: Call("GET", f"/groups/{group_id(s, w)}"),
    "PATCH /groups/{id}": lambda s, w: Call(
        "PATCH", f"/groups/{group_id(s, w)}", {"name": f"Verksted {uuid.uuid4().hex[:8]}"}
    ),
    "GET /participants/{id}/groups": lambda s, w: Call("GET", participant_path(s, w, "/groups")),
}

# fmt: off
MATRIX = [
    # endpoint                                        where         admin leader facilitator
    ("GET /departments/{id}/groups",                  "own",        200,  200,    200),
    ("GET /departments/{id}/groups",                  "other_dept", 200,  404,    404),
    ("GET /departments/{id}/groups",                  "other_org",  404,  404,    404),
    ("POST /departments/{id}/groups",                 "own",        201,  201,    403),
    ("POST /departments/{id}/groups",                 "other_dept", 201,  404,    404),
    ("POST /departments/{id}/groups",                 "other_org",  404,  404,    404),
    ("GET /groups/{id}",                              "own",        200,  200,    200),
    ("GET /groups/{id}",                              "other_dept", 200,  404,    404),
    ("GET /groups/{id}",                              "other_org",  404,  404,    404),
    ("PATCH /groups/{id}",                            "own",        200,  200,    403),
    ("PATCH /groups/{id}",                            "other_dept", 200,  404,    404),
    ("PATCH /groups/{id}",                            "other_org",  404,  404,    404),
    ("GET /participants/{id}/groups",                 "own",        200,  200,    200),
    ("GET /participants/{id}/groups",                 "other_dept", 200,  404,    404),
    ("GET /participants/{id}/groups",                 "other_org",  404,  404,    404),
]
# fmt: on

READ_BACK: dict[str, Callable[[Scene, Call], str] | None] = {
    "POST /departments/{id}/groups": lambda s, c: c.path,
    "PATCH /groups/{id}": lambda s, c: c.path,
}

MASS_ASSIGNMENT: dict[str, tuple[str, dict]] = {
    "POST /departments/{id}/groups": (
        "leader",
        {"id": NEW_ID, "organisation_id": ORG_B, "department_id": DEPT_A2, "name_key": "x"},
    ),
    "PATCH /groups/{id}": (
        "leader",
        {"id": NEW_ID, "organisation_id": ORG_B, "department_id": DEPT_A2, "name_key": "x"},
    ),
}


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_authorisation_matrix(scene, subtests, endpoint):
    check_rows(scene, subtests, ENDPOINTS[endpoint], rows_of(MATRIX, endpoint))


@pytest.mark.parametrize("endpoint", list(MASS_ASSIGNMENT))
def test_mass_assignment_is_refused(scene, subtests, endpoint):
    role, fields = MASS_ASSIGNMENT[endpoint]
    check_mass_assignment(scene, subtests, ENDPOINTS[endpoint], READ_BACK[endpoint], role, fields)
