"""Who may read the access log and the security events, and that they show only the
caller's organisation.

The rules and the tables: ``tests/server/resources/authorization.py``."""

import json as jsonlib
from collections.abc import Callable

import pytest

from tests.server.resources.authorization import (
    ANY,
    ORG_A_STAFF,
    PLACES,
    Call,
    Scene,
    check_rows,
    listed,
    participant_path,
    rows_of,
)

ENDPOINTS: dict[str, Callable[[Scene, str], Call]] = {
    "GET /participants/{id}/access-log": lambda s, w: Call(
        "GET", participant_path(s, w, "/access-log")
    ),
    "GET /audit": lambda s, w: Call("GET", "/audit"),
    "GET /security-events": lambda s, w: Call("GET", "/security-events"),
}

# fmt: off
MATRIX = [
    # endpoint                                        where         admin leader facilitator
    ("GET /participants/{id}/access-log",             "own",        200,  200,    403),
    ("GET /participants/{id}/access-log",             "other_dept", 200,  404,    404),
    ("GET /participants/{id}/access-log",             "other_org",  404,  404,    404),
    ("GET /audit",                                    ANY,          200,  403,    403),
    ("GET /security-events",                          ANY,          200,  403,    403),
]
# fmt: on


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_authorisation_matrix(scene, subtests, endpoint):
    check_rows(scene, subtests, ENDPOINTS[endpoint], rows_of(MATRIX, endpoint))


def test_audit_shows_only_the_callers_organisation(scene):
    world = scene.world
    # Activity in both organisations: each admin and the facilitator read a participant.
    for where in ("own", "other_dept", "other_org"):
        assert scene.org_admin(where).get(participant_path(scene, where)).status_code == 200
    facilitator = scene.as_role("facilitator")
    assert facilitator.get(participant_path(scene, "own")).status_code == 200

    api = scene.as_role("admin")
    response = api.get("/audit?page_size=100")
    entries = response.get_json()
    assert response.status_code == 200
    assert entries, "the organisation's own reads are in the log"
    org_a_participants = {scene.participant_id("own"), scene.participant_id("other_dept")}
    assert {entry["participant_id"] for entry in entries} == org_a_participants
    assert {entry["user"]["username"] for entry in entries} <= ORG_A_STAFF
    assert jsonlib.loads(response.headers["X-Pagination"])["total"] == len(entries)

    by_participant = api.get(f"/audit?participant_id={scene.participant_id('other_org')}")
    assert listed(by_participant, "id") == set()
    by_user = api.get(f"/audit?user_id={world.admin_b.id}")
    assert listed(by_user, "id") == set()


def test_access_log_of_a_participant_shows_only_that_participant(scene):
    for where in PLACES:
        assert scene.org_admin(where).get(participant_path(scene, where)).status_code == 200
    leader = scene.as_role("leader")
    response = leader.get(participant_path(scene, "own", "/access-log"))
    entries = response.get_json()
    assert response.status_code == 200
    assert entries
    assert {entry["participant_id"] for entry in entries} == {scene.participant_id("own")}
