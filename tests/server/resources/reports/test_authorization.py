"""Who may make the reports: leaders of the department and the organisation's admins.
A facilitator is refused (403) in their own department; a department or participant the
caller does not see is 404, as if it did not exist.

The rules and the tables: ``tests/server/resources/authorization.py``."""

from collections.abc import Callable

import pytest

from tests.server.resources.authorization import Call, Scene, check_rows, rows_of

# The first Monday of the world's participants (they start on 5 January 2026).
PERIOD_START = "2026-01-05"

ENDPOINTS: dict[str, Callable[[Scene, str], Call]] = {
    "GET /reports/attendance": lambda s, w: Call(
        "GET",
        f"/reports/attendance?department_id={s.department_id(w)}&from=2026-01-01&to=2026-01-31",
    ),
    "GET /reports/meldeperiode": lambda s, w: Call(
        "GET",
        f"/reports/meldeperiode?participant_id={s.participant_id(w)}&period_start={PERIOD_START}",
    ),
    "GET /reports/participants/{id}/progress": lambda s, w: Call(
        "GET", f"/reports/participants/{s.participant_id(w)}/progress"
    ),
    # Without a department (an admin's whole organisation, a leader's own departments):
    # tests/server/resources/reports/test_statistics.py.
    "GET /reports/statistics": lambda s, w: Call(
        "GET", f"/reports/statistics?year=2025&department_id={s.department_id(w)}"
    ),
}

# fmt: off
MATRIX = [
    # endpoint                                        where         admin leader facilitator
    ("GET /reports/attendance",                       "own",        200,  200,    403),
    ("GET /reports/attendance",                       "other_dept", 200,  404,    404),
    ("GET /reports/attendance",                       "other_org",  404,  404,    404),
    ("GET /reports/meldeperiode",                     "own",        200,  200,    403),
    ("GET /reports/meldeperiode",                     "other_dept", 200,  404,    404),
    ("GET /reports/meldeperiode",                     "other_org",  404,  404,    404),
    ("GET /reports/participants/{id}/progress",       "own",        200,  200,    403),
    ("GET /reports/participants/{id}/progress",       "other_dept", 200,  404,    404),
    ("GET /reports/participants/{id}/progress",       "other_org",  404,  404,    404),
    ("GET /reports/statistics",                       "own",        200,  200,    403),
    ("GET /reports/statistics",                       "other_dept", 200,  404,    404),
    ("GET /reports/statistics",                       "other_org",  404,  404,    404),
]
# fmt: on


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_authorisation_matrix(scene, subtests, endpoint):
    check_rows(scene, subtests, ENDPOINTS[endpoint], rows_of(MATRIX, endpoint))
