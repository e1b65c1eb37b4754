"""Who may register, read, change, end and export participants; that lists and filters
show no one outside the caller's departments; and who may move a participant between
departments.

The rules and the tables: ``tests/server/resources/authorization.py``."""

from collections.abc import Callable

import pytest

from tests.conftest import Api, table_counts
from tests.factories import UserFactory
from tests.server.resources.authorization import (
    ANY,
    DEPT_A2,
    NEW_ID,
    NOWHERE,
    ORG_B,
    Call,
    Scene,
    check_mass_assignment,
    check_rows,
    listed,
    participant_path,
    rows_of,
)


def new_participant(department_id: str) -> dict:
    return {
        "first_name": "Ola",
        "last_name": "Nordmann",
        "department_id": department_id,
        "gender": "male",
        "start_date": "2026-03-02",
        "consent_nav_reporting": True,
    }


ENDPOINTS: dict[str, Callable[[Scene, str], Call]] = {
    "GET /participants": lambda s, w: Call("GET", "/participants"),
    "POST /participants": lambda s, w: Call(
        "POST", "/participants", new_participant(s.department_id(w))
    ),
    "GET /participants/{id}": lambda s, w: Call("GET", participant_path(s, w)),
    "PATCH /participants/{id}": lambda s, w: Call(
        "PATCH",
        participant_path(s, w),
        {"nav_office": "NAV Vennesla"},
        {"If-Match": s.etag(w)},
    ),
    # Ending happens once: each call ends a participant of its own in that department.
    "POST /participants/{id}/end": lambda s, w: Call(
        "POST",
        f"/participants/{s.fresh_participant_id(w)}/end",
        {"end_date": "2026-06-30", "outcome": "ordinary_work"},
    ),
    "GET /participants/{id}/export": lambda s, w: Call(
        "GET", participant_path(s, w, "/export?reason=Innsyn")
    ),
    "GET /participants/{id}/overview": lambda s, w: Call(
        "GET", participant_path(s, w, "/overview")
    ),
}

# fmt: off
MATRIX = [
    # endpoint                                        where         admin leader facilitator
    ("GET /participants",                             ANY,          200,  200,    200),
    # where = the department in the body; one the caller cannot see is an unknown one
    ("POST /participants",                            "own",        201,  201,    201),
    ("POST /participants",                            "other_dept", 201,  422,    422),
    ("POST /participants",                            "other_org",  422,  422,    422),
    ("GET /participants/{id}",                        "own",        200,  200,    200),
    ("GET /participants/{id}",                        "other_dept", 200,  404,    404),
    ("GET /participants/{id}",                        "other_org",  404,  404,    404),
    ("PATCH /participants/{id}",                      "own",        200,  200,    200),
    ("PATCH /participants/{id}",                      "other_dept", 200,  404,    404),
    ("PATCH /participants/{id}",                      "other_org",  404,  404,    404),
    ("POST /participants/{id}/end",                   "own",        200,  200,    200),
    ("POST /participants/{id}/end",                   "other_dept", 200,  404,    404),
    ("POST /participants/{id}/end",                   "other_org",  404,  404,    404),
    ("GET /participants/{id}/export",                 "own",        200,  200,    403),
    ("GET /participants/{id}/export",                 "other_dept", 200,  404,    404),
    ("GET /participants/{id}/export",                 "other_org",  404,  404,    404),
    ("GET /participants/{id}/overview",               "own",        200,  200,    200),
    ("GET /participants/{id}/overview",               "other_dept", 200,  404,    404),
    ("GET /participants/{id}/overview",               "other_org",  404,  404,    404),
]
# fmt: on

READ_BACK: dict[str, Callable[[Scene, Call], str] | None] = {
    "POST /participants": lambda s, c: "/participants",
    "PATCH /participants/{id}": lambda s, c: c.path,
    "POST /participants/{id}/end": lambda s, c: c.path.removesuffix("/end"),
}

MASS_ASSIGNMENT: dict[str, tuple[str, dict]] = {
    "POST /participants": (
        "facilitator",
        {
            "id": NEW_ID,
            "organisation_id": ORG_B,
            "status": "ended",
            "role": "admin",
            "version": 99,
            "national_id": "01019012345",
        },
    ),
    "PATCH /participants/{id}": (
        "facilitator",
        {
            "id": NEW_ID,
            "organisation_id": ORG_B,
            "role": "admin",
            "version": 99,
            "outcome": "education",
            "national_id": "01019012345",
        },
    ),
    "POST /participants/{id}/end": (
        "facilitator",
        {"id": NEW_ID, "status": "active", "department_id": DEPT_A2, "comment": "x"},
    ),
}


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_authorisation_matrix(scene, subtests, endpoint):
    check_rows(scene, subtests, ENDPOINTS[endpoint], rows_of(MATRIX, endpoint))


@pytest.mark.parametrize("endpoint", list(MASS_ASSIGNMENT))
def test_mass_assignment_is_refused(scene, subtests, endpoint):
    role, fields = MASS_ASSIGNMENT[endpoint]
    check_mass_assignment(scene, subtests, ENDPOINTS[endpoint], READ_BACK[endpoint], role, fields)


# fmt: off
VISIBLE = {
    # caller        participants listed          departments listed
    "admin":       ({"PersonA1", "PersonA2"},    {"Songdalen", "Arendal"}),
    "leader":      ({"PersonA1"},                {"Songdalen"}),
    "facilitator": ({"PersonA1"},                {"Songdalen"}),
    "admin_b":     ({"PersonB1"},                {"Bergen"}),
}
# fmt: on


def who(world, name: str):
    return world.admin_b if name == "admin_b" else world.user(name)


def test_lists_show_only_the_callers_participants_and_departments(scene, subtests):
    for caller, (participants, departments) in VISIBLE.items():
        with subtests.test(f"as {caller}"):
            api = scene.as_user(who(scene.world, caller))
            assert listed(api.get("/participants"), "first_name") == participants
            assert listed(api.get("/departments"), "name") == departments
            # A name search sees no further than the list: every participant is a "Person".
            assert listed(api.get("/participants?q=person"), "first_name") == participants
            assert listed(api.get("/participants?q=PersonB"), "first_name") <= {"PersonB1"}
            assert listed(api.get("/participants?q=PersonA2"), "first_name") <= participants


# fmt: off
FILTERED_PARTICIPANTS = [
    # caller         department_id= the department ...   visible (None: 404)
    ("admin",        "own",                               {"PersonA1"}),
    ("admin",        "other_dept",                        {"PersonA2"}),
    ("admin",        "other_org",                         None),
    ("leader",       "other_dept",                        None),
    ("leader",       "other_org",                         None),
    ("facilitator",  "own",                               {"PersonA1"}),
    ("facilitator",  "other_dept",                        None),
    ("facilitator",  "other_org",                         None),
]
# fmt: on


def test_department_filter_does_not_reach_past_scope(scene, subtests):
    """A filter on a department the caller cannot see is 404, as the department is
    everywhere else it is named, and never the department's participants or notices."""
    for caller, where, visible in FILTERED_PARTICIPANTS:
        for path in ("/participants", "/notifications"):
            with subtests.test(f"{path} as {caller}, department_id={where}"):
                api = scene.as_role(caller)
                response = api.get(f"{path}?department_id={scene.department_id(where)}")
                if visible is None:
                    assert response.status_code == 404, response.json
                    assert response.json["message"] == "Department not found."
                elif path == "/participants":
                    assert listed(response, "first_name") == visible
                else:
                    assert response.status_code == 200, response.json


def move(scene: Scene, api: Api, department_id: str):
    return api.patch(
        participant_path(scene, "own"),
        json={"department_id": department_id},
        headers={"If-Match": scene.etag("own")},
    )


# fmt: off
REFUSED_MOVES = [  # "nowhere": a department id nobody has
    # caller         moves the A1 participant into
    ("facilitator",  "other_dept"),
    ("facilitator",  "other_org"),
    ("facilitator",  NOWHERE),
    ("leader",       "other_dept"),
    ("leader",       "other_org"),
    ("admin",        "other_org"),
    ("admin",        NOWHERE),
]
# fmt: on


def test_participant_cannot_move_outside_the_callers_departments(scene, subtests):
    """Each refused move: 422 on department_id, worded as for a department nobody has,
    nothing stored, the participant still in A1."""
    path = participant_path(scene, "own")
    for caller, target in REFUSED_MOVES:
        with subtests.test(f"{caller} into {target}"):
            api = scene.as_role(caller)
            before = api.get(path).get_json()
            etag = scene.etag("own")
            counts = table_counts()

            move_to = {"department_id": scene.department_id(target)}

            response = api.patch(path, json=move_to, headers={"If-Match": etag})

            assert response.status_code == 422, response.get_json()
            assert "department_id" in response.get_json()["errors"]["json"]
            assert table_counts() == counts
            after = api.get(path).get_json()
            assert after == before
            assert after["department_id"] == scene.department_id("own")
            nowhere = {"department_id": scene.department_id(NOWHERE)}
            unknown = api.patch(path, json=nowhere, headers={"If-Match": etag})
            assert unknown.get_json() == response.get_json()


def test_admin_moves_a_participant_within_the_organisation(scene):
    admin = scene.as_role("admin")

    response = move(scene, admin, scene.department_id("other_dept"))

    assert response.status_code == 200, response.get_json()
    assert response.get_json()["department_id"] == scene.department_id("other_dept")
    assert admin.get(participant_path(scene, "own")).get_json()["department_id"] == (
        scene.department_id("other_dept")
    )
    # The participant now belongs to A2's staff, and no longer to A1's.
    assert scene.as_role("facilitator").get(participant_path(scene, "own")).status_code == 404
    colleague = scene.as_user(scene.world.facilitator_a2)
    assert colleague.get(participant_path(scene, "own")).status_code == 200


def test_admin_of_another_organisation_cannot_pull_a_participant_in(scene):
    admin_b = scene.as_user(scene.world.admin_b)
    response = admin_b.patch(
        participant_path(scene, "other_org"),
        json={"department_id": scene.department_id("own")},
        headers={"If-Match": scene.etag("other_org")},
    )
    assert response.status_code == 422, response.get_json()
    assert "department_id" in response.get_json()["errors"]["json"]


def test_staff_of_two_departments_may_move_between_them(scene):
    world = scene.world
    both = UserFactory(
        organisation=world.org_a,
        username="facilitator-a1-a2",
        departments=[world.dept_a1, world.dept_a2],
    )
    api = scene.as_user(both)

    response = move(scene, api, scene.department_id("other_dept"))

    assert response.status_code == 200, response.get_json()
    assert response.get_json()["department_id"] == scene.department_id("other_dept")
