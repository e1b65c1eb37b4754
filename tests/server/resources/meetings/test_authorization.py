"""Who may plan, read and change responsibility-group meetings and their action items, and
that a meeting reaches no other participant's group.

The rules and the tables: ``tests/server/resources/authorization.py``."""

from collections.abc import Callable

import pytest

from tests.conftest import table_counts
from tests.server.resources.authorization import (
    ADMIN_B,
    NEW_ACTION,
    NEW_ID,
    NEW_MEETING,
    NOWHERE,
    ORG_B,
    PARTICIPANT_B1,
    Call,
    Scene,
    check_mass_assignment,
    check_rows,
    participant_path,
    rows_of,
)


def meeting_patch(s: Scene, w: str) -> Call:
    """A change to a new meeting, with its ETag (not the minutes: only the department's
    staff write those, and the admin is a member of no department)."""
    meeting_id = s.meeting_id(w)
    return Call(
        "PATCH",
        f"/meetings/{meeting_id}",
        {"location": "Songdalen kommune, møterom 2"},
        {"If-Match": s.meeting_etag(w, meeting_id)},
    )


ENDPOINTS: dict[str, Callable[[Scene, str], Call]] = {
    "GET /participants/{id}/meetings": lambda s, w: Call(
        "GET", participant_path(s, w, "/meetings")
    ),
    "POST /participants/{id}/meetings": lambda s, w: Call(
        "POST", participant_path(s, w, "/meetings"), NEW_MEETING
    ),
    "GET /participants/{id}/group-members": lambda s, w: Call(
        "GET", participant_path(s, w, "/group-members")
    ),
    "GET /meetings/{id}": lambda s, w: Call("GET", f"/meetings/{s.meeting_id(w)}"),
    "PATCH /meetings/{id}": meeting_patch,
    "GET /meetings/{id}/summary.pdf": lambda s, w: Call(
        "GET", f"/meetings/{s.meeting_id(w)}/summary.pdf"
    ),
    "POST /meetings/{id}/actions": lambda s, w: Call(
        "POST", f"/meetings/{s.meeting_id(w)}/actions", NEW_ACTION
    ),
    "PATCH /meetings/{id}/actions/{action_id}": lambda s, w: Call(
        "PATCH", s.action_path(w), {"done": True}
    ),
}

# fmt: off
MATRIX = [
    # endpoint                                        where         admin leader facilitator
    ("GET /participants/{id}/meetings",               "own",        200,  200,    200),
    ("GET /participants/{id}/meetings",               "other_dept", 200,  404,    404),
    ("GET /participants/{id}/meetings",               "other_org",  404,  404,    404),
    ("POST /participants/{id}/meetings",              "own",        201,  201,    403),
    ("POST /participants/{id}/meetings",              "other_dept", 201,  404,    404),
    ("POST /participants/{id}/meetings",              "other_org",  404,  404,    404),
    ("GET /participants/{id}/group-members",          "own",        200,  200,    200),
    ("GET /participants/{id}/group-members",          "other_dept", 200,  404,    404),
    ("GET /participants/{id}/group-members",          "other_org",  404,  404,    404),
    ("GET /meetings/{id}",                            "own",        200,  200,    200),
    ("GET /meetings/{id}",                            "other_dept", 200,  404,    404),
    ("GET /meetings/{id}",                            "other_org",  404,  404,    404),
    ("PATCH /meetings/{id}",                          "own",        200,  200,    403),
    ("PATCH /meetings/{id}",                          "other_dept", 200,  404,    404),
    ("PATCH /meetings/{id}",                          "other_org",  404,  404,    404),
    ("GET /meetings/{id}/summary.pdf",                "own",        200,  200,    200),
    ("GET /meetings/{id}/summary.pdf",                "other_dept", 200,  404,    404),
    ("GET /meetings/{id}/summary.pdf",                "other_org",  404,  404,    404),
    ("POST /meetings/{id}/actions",                   "own",        201,  201,    403),
    ("POST /meetings/{id}/actions",                   "other_dept", 201,  404,    404),
    ("POST /meetings/{id}/actions",                   "other_org",  404,  404,    404),
    # Ticking an item off is for all staff; changing it is for leaders
    ("PATCH /meetings/{id}/actions/{action_id}",      "own",        200,  200,    200),
    ("PATCH /meetings/{id}/actions/{action_id}",      "other_dept", 200,  404,    404),
    ("PATCH /meetings/{id}/actions/{action_id}",      "other_org",  404,  404,    404),
]
# fmt: on

READ_BACK: dict[str, Callable[[Scene, Call], str] | None] = {
    "POST /participants/{id}/meetings": lambda s, c: c.path,
    "PATCH /meetings/{id}": lambda s, c: c.path,
    "POST /meetings/{id}/actions": lambda s, c: c.path.removesuffix("/actions"),
    "PATCH /meetings/{id}/actions/{action_id}": lambda s, c: c.path.split("/actions/")[0],
}

MASS_ASSIGNMENT: dict[str, tuple[str, dict]] = {
    # A client may choose the meeting's and the action item's id: those are allowed.
    "POST /participants/{id}/meetings": (
        "leader",
        {
            "participant_id": PARTICIPANT_B1,
            "organisation_id": ORG_B,
            "status": "held",
            "minutes": "Skrevet før møtet.",
            "created_by_id": ADMIN_B,
            "next_meeting_id": NEW_ID,
            "version": 99,
        },
    ),
    "PATCH /meetings/{id}": (
        "leader",
        {
            "id": NEW_ID,
            "participant_id": PARTICIPANT_B1,
            "next_meeting_id": NEW_ID,
            "created_by_id": ADMIN_B,
            "updated_by_id": ADMIN_B,
            "version": 99,
        },
    ),
    "POST /meetings/{id}/actions": (
        "leader",
        {
            "meeting_id": NEW_ID,
            "done": True,
            "done_by_id": ADMIN_B,
            "created_by_id": ADMIN_B,
        },
    ),
    "PATCH /meetings/{id}/actions/{action_id}": (
        "facilitator",
        {
            "id": NEW_ID,
            "meeting_id": NEW_ID,
            "done_at": "2026-01-05T12:00:00+00:00",
            "done_by_id": ADMIN_B,
            "created_by_id": ADMIN_B,
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


@pytest.mark.parametrize(
    ("caller", "member_of"),
    [("leader", "other_dept"), ("admin", "other_dept"), ("admin", "other_org")],
)
def test_a_meeting_cannot_take_over_another_participants_group_member(scene, caller, member_of):
    """Worded as for a member id nobody has; nothing stored."""
    api = scene.as_role(caller)
    path = participant_path(scene, "own", "/meetings")
    member = {"name": "Lånt Medlem", "organisation": "NAV"}
    borrowed = {**NEW_MEETING, "members": [{**member, "id": scene.group_member_id(member_of)}]}
    unknown = {**NEW_MEETING, "members": [{**member, "id": scene.group_member_id(NOWHERE)}]}
    before = api.get(path).get_json()
    counts = table_counts()

    response = api.post(path, json=borrowed)

    assert response.status_code == 422, response.get_json()
    assert "id" in response.get_json()["errors"]["json"]["members"]["0"]
    assert api.post(path, json=unknown).get_json() == response.get_json()
    assert table_counts() == counts
    assert api.get(path).get_json() == before
