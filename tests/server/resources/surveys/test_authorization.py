"""Who may make, change, copy and read surveys, make their codes and send the kiosk's
answers: every member of staff sees the surveys of their departments and of the whole
organisation; leaders and admins make and change them and read the results; a
facilitator makes codes (for the kiosk) and sends the kiosk's answers.

The rules and the tables: ``tests/server/resources/authorization.py``."""

import uuid
from collections.abc import Callable

import pytest

from tests.server.resources.authorization import (
    ADMIN_B,
    ANY,
    NEW_ID,
    NOWHERE,
    ORG_B,
    Call,
    Scene,
    check_mass_assignment,
    check_rows,
    rows_of,
)
from tests.server.resources.surveys.helpers import answers, days, make_survey, new_code, survey_body


def survey(scene: Scene, where: str):
    """A new open survey of the department ``where``, made by its organisation's admin."""
    creator = scene.world.admin_b if where == "other_org" else scene.world.admin
    return make_survey(creator, scene.world.department(where))


def survey_id(scene: Scene, where: str) -> str:
    return str(uuid.uuid4()) if where == NOWHERE else str(survey(scene, where).id)


def kiosk_batch(scene: Scene, where: str) -> Call:
    if where == NOWHERE:
        body = {"responses": [{"code": "ABCD-EFGH", "answers": {str(uuid.uuid4()): 3}}]}
        return Call("POST", f"/surveys/{uuid.uuid4()}/kiosk-responses", body)
    made = survey(scene, where)
    body = {"responses": [{"code": new_code(made), "answers": answers(made)}]}
    return Call("POST", f"/surveys/{made.id}/kiosk-responses", body)


ENDPOINTS: dict[str, Callable[[Scene, str], Call]] = {
    "GET /surveys": lambda s, w: Call("GET", f"/surveys?department_id={s.department_id(w)}"),
    "POST /surveys": lambda s, w: Call("POST", "/surveys", survey_body(s.department_id(w))),
    "GET /survey-templates/work-training": lambda s, w: Call(
        "GET", "/survey-templates/work-training"
    ),
    "GET /surveys/{id}": lambda s, w: Call("GET", f"/surveys/{survey_id(s, w)}"),
    "PATCH /surveys/{id}": lambda s, w: Call(
        "PATCH", f"/surveys/{survey_id(s, w)}", {"title": "Brukerundersøkelse vår"}
    ),
    "POST /surveys/{id}/copy": lambda s, w: Call(
        "POST", f"/surveys/{survey_id(s, w)}/copy", {"opens_on": days(30), "closes_on": days(60)}
    ),
    "POST /surveys/{id}/codes": lambda s, w: Call(
        "POST", f"/surveys/{survey_id(s, w)}/codes", {"count": 12}
    ),
    "GET /surveys/{id}/codes.pdf": lambda s, w: Call(
        "GET", f"/surveys/{survey_id(s, w)}/codes.pdf?count=10"
    ),
    "POST /surveys/{id}/kiosk-responses": kiosk_batch,
    "GET /surveys/{id}/results": lambda s, w: Call("GET", f"/surveys/{survey_id(s, w)}/results"),
}

# fmt: off
MATRIX = [
    # endpoint                                   where         admin leader facilitator
    ("GET /surveys",                             "own",        200,  200,    200),
    ("GET /surveys",                             "other_dept", 200,  404,    404),
    ("GET /surveys",                             "other_org",  404,  404,    404),
    # The department named in the body: one the caller cannot see is 422.
    ("POST /surveys",                            "own",        201,  201,    403),
    ("POST /surveys",                            "other_dept", 201,  422,    403),
    ("POST /surveys",                            "other_org",  422,  422,    403),
    ("GET /survey-templates/work-training",      ANY,          200,  200,    403),
    ("GET /surveys/{id}",                        "own",        200,  200,    200),
    ("GET /surveys/{id}",                        "other_dept", 200,  404,    404),
    ("GET /surveys/{id}",                        "other_org",  404,  404,    404),
    ("PATCH /surveys/{id}",                      "own",        200,  200,    403),
    ("PATCH /surveys/{id}",                      "other_dept", 200,  404,    404),
    ("PATCH /surveys/{id}",                      "other_org",  404,  404,    404),
    ("POST /surveys/{id}/copy",                  "own",        201,  201,    403),
    ("POST /surveys/{id}/copy",                  "other_dept", 201,  404,    404),
    ("POST /surveys/{id}/copy",                  "other_org",  404,  404,    404),
    # A facilitator makes codes of an open survey, for the kiosk.
    ("POST /surveys/{id}/codes",                 "own",        201,  201,    201),
    ("POST /surveys/{id}/codes",                 "other_dept", 201,  404,    404),
    ("POST /surveys/{id}/codes",                 "other_org",  404,  404,    404),
    ("GET /surveys/{id}/codes.pdf",              "own",        200,  200,    403),
    ("GET /surveys/{id}/codes.pdf",              "other_dept", 200,  404,    404),
    ("GET /surveys/{id}/codes.pdf",              "other_org",  404,  404,    404),
    ("POST /surveys/{id}/kiosk-responses",       "own",        200,  200,    200),
    ("POST /surveys/{id}/kiosk-responses",       "other_dept", 200,  404,    404),
    ("POST /surveys/{id}/kiosk-responses",       "other_org",  404,  404,    404),
    ("GET /surveys/{id}/results",                "own",        200,  200,    403),
    ("GET /surveys/{id}/results",                "other_dept", 200,  404,    404),
    ("GET /surveys/{id}/results",                "other_org",  404,  404,    404),
]
# fmt: on


def survey_path(scene: Scene, call: Call) -> str:
    return "/".join(call.path.split("/")[:3])


READ_BACK: dict[str, Callable[[Scene, Call], str] | None] = {
    "POST /surveys": lambda s, c: f"/surveys?department_id={s.department_id('own')}",
    "PATCH /surveys/{id}": survey_path,
    "POST /surveys/{id}/copy": lambda s, c: f"/surveys?department_id={s.department_id('own')}",
    "POST /surveys/{id}/codes": survey_path,
    "POST /surveys/{id}/kiosk-responses": survey_path,
}

MASS_ASSIGNMENT: dict[str, tuple[str, dict]] = {
    "POST /surveys": (
        "leader",
        {
            "id": NEW_ID,
            "organisation_id": ORG_B,
            "created_by_id": ADMIN_B,
            "previous_id": NEW_ID,
            "status": "closed",
            "responses": 40,
        },
    ),
    "PATCH /surveys/{id}": (
        "leader",
        {"id": NEW_ID, "organisation_id": ORG_B, "created_by_id": ADMIN_B, "codes_made": 9},
    ),
    "POST /surveys/{id}/copy": (
        "leader",
        {"department_id": NEW_ID, "previous_id": NEW_ID, "questions": []},
    ),
    "POST /surveys/{id}/codes": ("leader", {"survey_id": NEW_ID, "codes": ["ABCD-EFGH"]}),
    "POST /surveys/{id}/kiosk-responses": ("facilitator", {"survey_id": NEW_ID, "round_on": "x"}),
}


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_authorisation_matrix(scene, subtests, endpoint):
    check_rows(scene, subtests, ENDPOINTS[endpoint], rows_of(MATRIX, endpoint))


@pytest.mark.parametrize("endpoint", list(MASS_ASSIGNMENT))
def test_mass_assignment_is_refused(scene, subtests, endpoint):
    role, fields = MASS_ASSIGNMENT[endpoint]
    check_mass_assignment(scene, subtests, ENDPOINTS[endpoint], READ_BACK[endpoint], role, fields)
