"""Who may read and change the organisation, and what its body may not set.

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
    "GET /organisation": lambda s, w: Call("GET", "/organisation"),
    "PATCH /organisation": lambda s, w: Call("PATCH", "/organisation", {"language": "nb"}),
}

# The path names no organisation: each caller reaches their own and no other.
# fmt: off
MATRIX = [
    # endpoint                                        where         admin leader facilitator
    ("GET /organisation",                             ANY,          200,  200,    200),
    ("PATCH /organisation",                           ANY,          200,  403,    403),
]
# fmt: on

READ_BACK: dict[str, Callable[[Scene, Call], str] | None] = {
    "PATCH /organisation": lambda s, c: "/organisation",
}

MASS_ASSIGNMENT: dict[str, tuple[str, dict]] = {
    "PATCH /organisation": (
        "admin",
        {"id": NEW_ID, "organisation_id": ORG_B, "holidays": [], "created_at": "2020-01-01"},
    ),
}


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_authorisation_matrix(scene, subtests, endpoint):
    check_rows(scene, subtests, ENDPOINTS[endpoint], rows_of(MATRIX, endpoint))


@pytest.mark.parametrize("endpoint", list(MASS_ASSIGNMENT))
def test_mass_assignment_is_refused(scene, subtests, endpoint):
    role, fields = MASS_ASSIGNMENT[endpoint]
    check_mass_assignment(scene, subtests, ENDPOINTS[endpoint], READ_BACK[endpoint], role, fields)
