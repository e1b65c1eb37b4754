"""Who may read and change staff accounts, in which organisation, and what an account's
body may not set.

The rules and the tables: ``tests/server/resources/authorization.py``."""

from collections.abc import Callable

import pytest

from tests.conftest import table_counts
from tests.factories import PASSWORD
from tests.server.resources.authorization import (
    ANY,
    DEPT_A2,
    DEPT_B1,
    NEW_ID,
    NOWHERE,
    ORG_A_STAFF,
    ORG_B,
    Call,
    Scene,
    check_mass_assignment,
    check_rows,
    listed,
    rows_of,
)

NEW_USER = {
    "username": "kari.nordmann",
    "full_name": "Kari Nordmann",
    "role": "facilitator",
    "password": PASSWORD,
}


ENDPOINTS: dict[str, Callable[[Scene, str], Call]] = {
    "GET /users": lambda s, w: Call("GET", "/users"),
    "POST /users": lambda s, w: Call(
        "POST", "/users", {**NEW_USER, "department_ids": [s.department_id("own")]}
    ),
    "GET /users/{id}": lambda s, w: Call("GET", f"/users/{s.user_id(w)}"),
    "PATCH /users/{id}": lambda s, w: Call(
        "PATCH", f"/users/{s.user_id(w)}", {"full_name": "Nytt Navn"}
    ),
}

# fmt: off
MATRIX = [
    # endpoint                                        where         admin leader facilitator
    ("GET /users",                                    ANY,          200,  403,    403),
    ("POST /users",                                   ANY,          201,  403,    403),
    # where = a colleague in A1, a staff member of A2, the admin of organisation B
    ("GET /users/{id}",                               "own",        200,  403,    403),
    ("GET /users/{id}",                               "other_dept", 200,  403,    403),
    ("GET /users/{id}",                               "other_org",  404,  403,    403),
    ("PATCH /users/{id}",                             "own",        200,  403,    403),
    ("PATCH /users/{id}",                             "other_dept", 200,  403,    403),
    ("PATCH /users/{id}",                             "other_org",  404,  403,    403),
]
# fmt: on

READ_BACK: dict[str, Callable[[Scene, Call], str] | None] = {
    "POST /users": lambda s, c: "/users",
    "PATCH /users/{id}": lambda s, c: c.path,
}

MASS_ASSIGNMENT: dict[str, tuple[str, dict]] = {
    "POST /users": (
        "admin",
        {"id": NEW_ID, "organisation_id": ORG_B, "department_id": DEPT_B1, "is_superuser": True},
    ),
    "PATCH /users/{id}": (
        "admin",
        {
            "id": NEW_ID,
            "organisation_id": ORG_B,
            "username": "admin-b",
            "department_id": DEPT_A2,
            "is_superuser": True,
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


def test_user_list_shows_only_the_callers_organisation(scene):
    api = scene.as_role("admin")
    assert listed(api.get("/users"), "username") == ORG_A_STAFF
    assert listed(api.get("/users?role=admin"), "username") == {"admin-a"}
    own = api.get(f"/users?department_id={scene.department_id('own')}")
    assert listed(own, "username") == {"leader-a1", "facilitator-a1"}
    other_org = api.get(f"/users?department_id={scene.department_id('other_org')}")
    assert other_org.status_code == 404, other_org.json

    api_b = scene.as_user(scene.world.admin_b)
    assert listed(api_b.get("/users"), "username") == {"admin-b"}


@pytest.mark.parametrize("where", ["other_org", NOWHERE])
def test_staff_can_only_be_placed_in_the_organisations_departments(scene, where):
    admin = scene.as_role("admin")
    department_ids = [scene.department_id("own"), scene.department_id(where)]
    user_path = f"/users/{scene.user_id('own')}"
    before = admin.get(user_path).get_json()
    counts = table_counts()

    created = admin.post("/users", json={**NEW_USER, "department_ids": department_ids})
    changed = admin.patch(user_path, json={"department_ids": department_ids})

    for response in (created, changed):
        assert response.status_code == 422, response.get_json()
        assert "department_ids" in response.get_json()["errors"]["json"]
    assert table_counts() == counts
    assert admin.get(user_path).get_json() == before
