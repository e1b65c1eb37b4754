"""Authorisation across every endpoint group: each group's tables together cover every
route, and no endpoint but the public ones opens without a token (the rules of the house:
``tests/server/resources/authorization.py``)."""

import re
import uuid

import jwt as pyjwt

from tests.conftest import Api, login, table_counts
from tests.factories import PASSWORD
from tests.server.resources import each_group
from tests.server.resources.authorization import ANY, PLACES, assert_unauthorised

# Each group's test_authorization module, by group: the blueprint its endpoints belong to.
GROUPS = each_group("test_authorization")
ENDPOINTS = {
    endpoint: call for module in GROUPS.values() for endpoint, call in module.ENDPOINTS.items()
}

# Answer without a token.
PUBLIC = {
    "GET /health",
    "GET /api/openapi.json",
    "GET /docs",
    "GET /docs/assets/{id}",
    "GET /static/{id}",
    "GET /favicon.ico",
    "POST /auth/login",
    # Answering a survey: participants never log in.
    "POST /public/survey-lookup",
    "POST /public/survey-responses",
}


def route_name(rule) -> str:
    """``/api/v1/participants/<uuid:participant_id>/plan/goals/<uuid:goal_id>`` ->
    ``/participants/{id}/plan/goals/{goal_id}``: the resource's own id is ``{id}``."""
    path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule, count=1)
    path = re.sub(r"{\w+}", "{id}", path, count=1)
    path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", path)
    return path.removeprefix("/api/v1")


def routes(app) -> dict[str, str]:
    """Every route of the API, with the blueprint (the endpoint group) that serves it. The
    office's pages have their own (tests/server/office/test_every_page.py), and the survey
    page is public (tests/server/survey_page/)."""
    return {
        f"{method} {route_name(rule)}": rule.endpoint.split(".")[0]
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
        if not rule.endpoint.startswith(("office.", "survey_page."))
    }


def test_matrix_covers_every_endpoint(app):
    """A new endpoint must be added to its group's ENDPOINTS and MATRIX (or to PUBLIC)."""
    protected = {
        endpoint: group for endpoint, group in routes(app).items() if endpoint not in PUBLIC
    }
    listed = {endpoint: group for group, module in GROUPS.items() for endpoint in module.ENDPOINTS}
    assert listed == protected
    assert len(ENDPOINTS) == sum(len(module.ENDPOINTS) for module in GROUPS.values())
    for group, module in GROUPS.items():
        matrix = module.MATRIX
        assert {endpoint for endpoint, *_ in matrix} == set(module.ENDPOINTS), group
        rows = [(endpoint, where) for endpoint, where, *_ in matrix]
        assert len(rows) == len(set(rows)), f"{group}: a row is listed twice"
        for endpoint in module.ENDPOINTS:
            places = sorted(where for e, where, *_ in matrix if e == endpoint)
            assert places in ([ANY], sorted(PLACES)), endpoint


def test_mass_assignment_table_covers_every_write():
    for group, module in GROUPS.items():
        writes = {
            endpoint
            for endpoint in vars(module).get("WRITES", module.ENDPOINTS)
            if endpoint.split()[0] in {"POST", "PUT", "PATCH"}
        }
        writes.discard("POST /auth/refresh")  # takes no body
        assert set(vars(module).get("MASS_ASSIGNMENT", {})) == writes, group
        assert set(vars(module).get("READ_BACK", {})) == writes, group


# --------------------------------------------------------------------------------------
# No token, no entry.


def test_every_endpoint_needs_a_token(anonymous, subtests):
    """401 comes before everything else: the ids name nothing (no 404) and the body is
    empty (no 422). Nothing is stored."""
    counts = table_counts()
    for endpoint in sorted(ENDPOINTS):
        with subtests.test(endpoint):
            method, template = endpoint.split(" ")
            path = re.sub(r"{\w+}", lambda _: str(uuid.uuid4()), template)
            body = {} if method in ("POST", "PUT", "PATCH") else None

            assert_unauthorised(anonymous.request(method, path, json=body))
    assert table_counts() == counts


def test_a_token_the_server_did_not_sign_is_no_token(client, world, subtests):
    """A real token's claims, re-signed with another key or with no signature at all."""
    claims = pyjwt.decode(
        login(client, world.admin.username)["access_token"], options={"verify_signature": False}
    )
    tokens = {
        "garbage": "not-a-jwt",
        "wrong key": pyjwt.encode(claims, "another-secret-key-that-is-long-enough", "HS256"),
        "alg none": pyjwt.encode(claims, None, algorithm="none"),
    }
    for name, token in tokens.items():
        with subtests.test(name):
            assert_unauthorised(Api(client, token).get("/participants"))


def test_a_refresh_token_does_not_open_the_api(client, world):
    tokens = login(client, world.admin.username)
    response = Api(client, tokens["refresh_token"]).get("/participants")
    assert_unauthorised(response)
    refresh_with_access = Api(client, tokens["access_token"]).post("/auth/refresh")
    assert_unauthorised(refresh_with_access)


def test_public_endpoints_need_no_token(anonymous, world):
    assert anonymous.get("/health").status_code == 200
    assert anonymous.get("/api/openapi.json").status_code == 200
    assert anonymous.client.get("/docs").status_code == 200
    login = anonymous.post(
        "/auth/login", json={"username": world.admin.username, "password": PASSWORD}
    )
    assert login.status_code == 200
