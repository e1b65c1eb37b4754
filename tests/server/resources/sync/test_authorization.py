"""POST /sync answers each write exactly as the write alone would be answered.

The rules and the tables: ``tests/server/resources/authorization.py``."""

import uuid
from collections.abc import Callable

import pytest

from tests.conftest import table_counts
from tests.server.resources.authorization import (
    ADMIN_B,
    ANY,
    NOWHERE,
    PLACES,
    Call,
    Scene,
    attendance_of,
    check_mass_assignment,
    check_rows,
    new_attendance,
    rows_of,
)


def sync_operation(participant_id: str, day: str) -> dict:
    return {
        "op_id": "op-1",
        "method": "PUT",
        "path": f"/attendance/{uuid.uuid4()}",
        "body": new_attendance(participant_id, day),
    }


ENDPOINTS: dict[str, Callable[[Scene, str], Call]] = {
    # One queued attendance write for the caller's own participant.
    "POST /sync": lambda s, w: Call(
        "POST", "/sync", {"operations": [sync_operation(s.participant_id("own"), s.next_day())]}
    ),
}

# fmt: off
MATRIX = [
    # endpoint                                        where         admin leader facilitator
    ("POST /sync",                                    ANY,          200,  200,    200),
]
# fmt: on

READ_BACK: dict[str, Callable[[Scene, Call], str] | None] = {
    "POST /sync": lambda s, c: attendance_of(s, "own").path,
}

MASS_ASSIGNMENT: dict[str, tuple[str, dict]] = {
    "POST /sync": ("facilitator", {"user_id": ADMIN_B, "device": "phone-7"}),
}


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_authorisation_matrix(scene, subtests, endpoint):
    check_rows(scene, subtests, ENDPOINTS[endpoint], rows_of(MATRIX, endpoint))


@pytest.mark.parametrize("endpoint", list(MASS_ASSIGNMENT))
def test_mass_assignment_is_refused(scene, subtests, endpoint):
    role, fields = MASS_ASSIGNMENT[endpoint]
    check_mass_assignment(scene, subtests, ENDPOINTS[endpoint], READ_BACK[endpoint], role, fields)


def test_sync_cannot_reach_past_the_callers_departments(scene):
    facilitator = scene.as_role("facilitator")
    operations = [
        {**sync_operation(scene.participant_id(where), scene.next_day()), "op_id": where}
        for where in (*PLACES, NOWHERE)
    ]
    attendance_rows = table_counts()["attendance"]

    response = facilitator.post("/sync", json={"operations": operations})

    assert response.status_code == 200, response.get_json()
    results = {result["op_id"]: result for result in response.get_json()["results"]}
    assert {op: result["status"] for op, result in results.items()} == {
        "own": 201,
        "other_dept": 404,
        "other_org": 404,
        NOWHERE: 404,
    }
    assert results["other_dept"]["body"] == results[NOWHERE]["body"]
    assert results["other_org"]["body"] == results[NOWHERE]["body"]
    assert table_counts()["attendance"] == attendance_rows + 1


def test_sync_refuses_what_a_write_alone_refuses(scene):
    facilitator = scene.as_role("facilitator")
    smuggled = sync_operation(scene.participant_id("own"), scene.next_day())
    smuggled["body"]["organisation_id"] = str(scene.world.org_b.id)
    with_headers = {**smuggled, "headers": {"Authorization": "Bearer someone-else"}}
    counts = table_counts()

    inner = facilitator.post("/sync", json={"operations": [smuggled]})
    outer = facilitator.post("/sync", json={"operations": [with_headers]})

    assert inner.status_code == 200, inner.get_json()
    (result,) = inner.get_json()["results"]
    assert result["status"] == 422
    assert "organisation_id" in result["body"]["errors"]["json"]
    assert outer.status_code == 422, outer.get_json()
    assert "headers" in outer.get_json()["errors"]["json"]["operations"]["0"]
    assert table_counts() == counts
