"""The work lists: every role reads them, for its own departments.

The rules and the tables: ``tests/server/resources/authorization.py``."""

from collections.abc import Callable

import pytest

from tests.server.resources.authorization import (
    ANY,
    Call,
    Scene,
    check_rows,
    rows_of,
)

ENDPOINTS: dict[str, Callable[[Scene, str], Call]] = {
    "GET /worklists/upcoming-meetings": lambda s, w: Call("GET", "/worklists/upcoming-meetings"),
    "GET /worklists/overdue-actions": lambda s, w: Call("GET", "/worklists/overdue-actions"),
    "GET /worklists/no-recent-followup": lambda s, w: Call("GET", "/worklists/no-recent-followup"),
}

# fmt: off
MATRIX = [
    # endpoint                                        where         admin leader facilitator
    # The work lists take only optional filters, and list the caller's departments
    ("GET /worklists/upcoming-meetings",              ANY,          200,  200,    200),
    ("GET /worklists/overdue-actions",                ANY,          200,  200,    200),
    ("GET /worklists/no-recent-followup",             ANY,          200,  200,    200),
]
# fmt: on


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_authorisation_matrix(scene, subtests, endpoint):
    check_rows(scene, subtests, ENDPOINTS[endpoint], rows_of(MATRIX, endpoint))
