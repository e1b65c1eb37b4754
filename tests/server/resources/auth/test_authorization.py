"""Who the session endpoints serve, and that a logout ends only the caller's own login.

The rules and the tables: ``tests/server/resources/authorization.py``."""

from collections.abc import Callable

import pytest

from tests.conftest import Api, login
from tests.factories import PASSWORD
from tests.server.resources.authorization import (
    ADMIN_B,
    ANY,
    Call,
    Scene,
    check_mass_assignment,
    check_rows,
    rows_of,
)

ENDPOINTS: dict[str, Callable[[Scene, str], Call]] = {
    "GET /me": lambda s, w: Call("GET", "/me"),
    "PATCH /me": lambda s, w: Call("PATCH", "/me", {"language": "da"}),
    "POST /auth/logout": lambda s, w: Call(
        "POST", "/auth/logout", {"refresh_token": s.refresh_token}
    ),
    "POST /auth/refresh": lambda s, w: Call(
        "POST", "/auth/refresh", headers={"Authorization": f"Bearer {s.refresh_token}"}
    ),
}

# fmt: off
MATRIX = [
    # endpoint                                        where         admin leader facilitator
    ("GET /me",                                       ANY,          200,  200,    200),
    ("PATCH /me",                                     ANY,          200,  200,    200),
    ("POST /auth/logout",                             ANY,          204,  204,    204),
    ("POST /auth/refresh",                            ANY,          200,  200,    200),
]
# fmt: on

WRITES: dict[str, Callable[[Scene, str], Call]] = {
    **ENDPOINTS,
    "POST /auth/login": lambda s, w: Call(
        "POST", "/auth/login", {"username": s.world.admin.username, "password": PASSWORD}
    ),
}

READ_BACK: dict[str, Callable[[Scene, Call], str] | None] = {
    "POST /auth/logout": lambda s, c: "/me",  # the token still works
    "POST /auth/login": None,
    "PATCH /me": lambda s, c: "/me",
}

MASS_ASSIGNMENT: dict[str, tuple[str, dict]] = {
    "POST /auth/logout": ("facilitator", {"user_id": ADMIN_B}),
    "POST /auth/login": ("facilitator", {"role": "admin"}),
    # A user chooses their own language, nothing else of their account.
    "PATCH /me": ("facilitator", {"role": "admin", "department_ids": [], "active": False}),
}


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_authorisation_matrix(scene, subtests, endpoint):
    check_rows(scene, subtests, ENDPOINTS[endpoint], rows_of(MATRIX, endpoint))


@pytest.mark.parametrize("endpoint", list(MASS_ASSIGNMENT))
def test_mass_assignment_is_refused(scene, subtests, endpoint):
    role, fields = MASS_ASSIGNMENT[endpoint]
    check_mass_assignment(scene, subtests, WRITES[endpoint], READ_BACK[endpoint], role, fields)


def test_logout_cannot_end_someone_elses_login(scene):
    leader_tokens = login(scene.client, scene.world.leader.username)
    facilitator = scene.as_role("facilitator")

    response = facilitator.post(
        "/auth/logout", json={"refresh_token": leader_tokens["refresh_token"]}
    )

    assert response.status_code == 204
    assert facilitator.get("/me").status_code == 401
    leader = Api(scene.client, leader_tokens["access_token"])
    assert leader.get("/me").status_code == 200
    refresh = Api(scene.client, leader_tokens["refresh_token"]).post("/auth/refresh")
    assert refresh.status_code == 200, refresh.get_json()
