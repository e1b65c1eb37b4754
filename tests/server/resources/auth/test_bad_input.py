"""Bad input to logging in and out.

The cases and the checks: ``tests/server/resources/bad_input.py``."""

import pytest

from tests.factories import PASSWORD
from tests.server.resources.bad_input import (
    DROP,
    Endpoint,
    accepts_its_body,
    case,
    read,
    refused,
    run_cases,
)

ENDPOINTS = {
    "login": Endpoint(
        "POST",
        lambda c: "/auth/login",
        lambda c: {"username": "admin-a", "password": PASSWORD},
        lambda c: read(c, f"/users/{c.world.admin.id}"),
        200,
        required=("username", "password"),
        anonymous=True,
    ),
    "logout": Endpoint(
        "POST",
        lambda c: "/auth/logout",
        lambda c: {"refresh_token": "not-a-token-of-this-login"},
        # Still logged in: a refused logout ends nothing.
        lambda c: read(c, "/me"),
        204,
    ),
}


@pytest.mark.parametrize("name", ENDPOINTS)
def test_valid_body_is_accepted(ctx, name):
    accepts_its_body(ctx, ENDPOINTS[name])


SCHEMA_CASES = {
    "login": [
        case("username-number", {"username": 123}, "username"),
        case("username-null", {"username": None}, "username"),
        case("username-object", {"username": {"name": "admin-a"}}, "username"),
        case("username-too-long", {"username": "a" * 65}, "username"),
        case("password-list", {"password": [PASSWORD]}, "password"),
        case("password-null", {"password": None}, "password"),
        case("password-empty", {"password": ""}, "password"),
        case("password-too-long", {"password": "x" * 257}, "password"),
        case("password-missing", {"password": DROP}, "password"),
        case("unknown-field", {"remember_me": True}, "remember_me"),
    ],
    "logout": [
        case("refresh-token-number", {"refresh_token": 123}, "refresh_token"),
        case("refresh-token-null", {"refresh_token": None}, "refresh_token"),
        case("refresh-token-list", {"refresh_token": ["a"]}, "refresh_token"),
        case("refresh-token-too-long", {"refresh_token": "x" * 4097}, "refresh_token"),
        case("unknown-field", {"everywhere": True}, "everywhere"),
    ],
}


@pytest.mark.parametrize("name", SCHEMA_CASES)
def test_wrong_type_or_value_is_refused(ctx, subtests, name):
    run_cases(ctx, subtests, ENDPOINTS[name], SCHEMA_CASES[name])


def test_nul_character_in_login_username_is_refused(ctx):
    body = {"username": "admin-a\x00", "password": PASSWORD}
    refused(ctx, ENDPOINTS["login"], 422, ("username",), json=body)
