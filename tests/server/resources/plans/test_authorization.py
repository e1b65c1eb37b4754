"""Who may read and write individual plans and goals, and that a plan reaches no other
participant's goals.

The rules and the tables: ``tests/server/resources/authorization.py``."""

from collections.abc import Callable

import pytest

from tests.conftest import table_counts
from tests.server.resources.authorization import (
    ADMIN_B,
    DEPT_A2,
    NEW_ID,
    ORG_B,
    PARTICIPANT_B1,
    Call,
    Scene,
    check_mass_assignment,
    check_rows,
    participant_path,
    resolve,
    rows_of,
)

NEW_PLAN = {
    "valid_from": "2026-02-02",
    "goals": [{"title": "Møte presis tre dager i uka"}],
    "work_areas": ["vedproduksjon"],
    "schedule": [{"weekday": 1, "start": "09:00", "end": "14:00"}],
}


ENDPOINTS: dict[str, Callable[[Scene, str], Call]] = {
    "GET /participants/{id}/plan": lambda s, w: Call("GET", participant_path(s, w, "/plan")),
    "PUT /participants/{id}/plan": lambda s, w: Call(
        "PUT", participant_path(s, w, "/plan"), NEW_PLAN
    ),
    "GET /participants/{id}/plan/versions": lambda s, w: Call(
        "GET", participant_path(s, w, "/plan/versions")
    ),
    "PATCH /participants/{id}/plan/goals/{goal_id}": lambda s, w: Call(
        "PATCH",
        participant_path(s, w, f"/plan/goals/{s.goal_id(w)}"),
        {"status": "in_progress", "progress_note": "Godt i gang."},
    ),
}

# fmt: off
MATRIX = [
    # endpoint                                        where         admin leader facilitator
    ("GET /participants/{id}/plan",                   "own",        200,  200,    200),
    ("GET /participants/{id}/plan",                   "other_dept", 200,  404,    404),
    ("GET /participants/{id}/plan",                   "other_org",  404,  404,    404),
    ("PUT /participants/{id}/plan",                   "own",        201,  201,    403),
    ("PUT /participants/{id}/plan",                   "other_dept", 201,  404,    404),
    ("PUT /participants/{id}/plan",                   "other_org",  404,  404,    404),
    ("GET /participants/{id}/plan/versions",          "own",        200,  200,    200),
    ("GET /participants/{id}/plan/versions",          "other_dept", 200,  404,    404),
    ("GET /participants/{id}/plan/versions",          "other_org",  404,  404,    404),
    ("PATCH /participants/{id}/plan/goals/{goal_id}", "own",        200,  200,    200),
    ("PATCH /participants/{id}/plan/goals/{goal_id}", "other_dept", 200,  404,    404),
    ("PATCH /participants/{id}/plan/goals/{goal_id}", "other_org",  404,  404,    404),
]
# fmt: on

READ_BACK: dict[str, Callable[[Scene, Call], str] | None] = {
    "PUT /participants/{id}/plan": lambda s, c: f"{c.path}/versions",
    "PATCH /participants/{id}/plan/goals/{goal_id}": lambda s, c: participant_path(
        s, "own", "/plan/versions"
    ),
}

MASS_ASSIGNMENT: dict[str, tuple[str, dict]] = {
    "PUT /participants/{id}/plan": (
        "leader",
        {
            "id": NEW_ID,
            "participant_id": PARTICIPANT_B1,
            "department_id": DEPT_A2,
            "organisation_id": ORG_B,
            "version": 99,
            "created_by_id": ADMIN_B,
            "approved": True,
        },
    ),
    "PATCH /participants/{id}/plan/goals/{goal_id}": (
        "facilitator",
        {"id": NEW_ID, "participant_id": PARTICIPANT_B1, "user_id": ADMIN_B, "title": "Nytt"},
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
    ("part", "field", "value"),
    [
        ("goals", "participant_id", PARTICIPANT_B1),
        ("goals", "goal_id", NEW_ID),
        ("schedule", "department_id", DEPT_A2),
    ],
)
def test_mass_assignment_inside_a_plan_is_refused(scene, part, field, value):
    api = scene.as_role("leader")
    path = participant_path(scene, "own", "/plan")
    body = {**NEW_PLAN, part: [{**NEW_PLAN[part][0], field: resolve(scene, value)}]}
    before = api.get(f"{path}/versions").get_json()
    counts = table_counts()

    response = api.put(path, json=body)

    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["errors"]["json"][part]["0"]
    assert table_counts() == counts
    assert api.get(f"{path}/versions").get_json() == before


@pytest.mark.parametrize(
    ("caller", "goal_of"),
    [("leader", "other_dept"), ("admin", "other_dept"), ("admin", "other_org")],
)
def test_a_plan_cannot_take_over_another_participants_goal(scene, caller, goal_of):
    api = scene.as_role(caller)
    versions = participant_path(scene, "own", "/plan/versions")
    before = api.get(versions).get_json()
    goal = {"id": scene.goal_id(goal_of), "title": "Lånt mål"}
    counts = table_counts()

    response = api.put(participant_path(scene, "own", "/plan"), json={**NEW_PLAN, "goals": [goal]})

    assert response.status_code == 422, response.get_json()
    assert "goals" in response.get_json()["errors"]["json"]
    assert table_counts() == counts
    assert api.get(versions).get_json() == before


def test_goals_and_leave_are_only_reached_through_their_own_participant(scene, subtests):
    """Own participant in the path, someone else's goal or leave after it: 404."""
    admin = scene.as_role("admin")
    for of in ("other_dept", "other_org"):
        goal_path = participant_path(scene, "own", f"/plan/goals/{scene.goal_id(of)}")
        leave_path = participant_path(scene, "own", f"/leaves/{scene.leave_id(of)}")
        counts = table_counts()
        with subtests.test(f"goal of {of}"):
            response = admin.patch(goal_path, json={"status": "achieved"})
            assert response.status_code == 404, response.get_json()
        with subtests.test(f"leave of {of}"):
            response = admin.request("DELETE", leave_path)
            assert response.status_code == 404, response.get_json()
        assert table_counts() == counts
