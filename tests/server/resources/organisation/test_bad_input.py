"""Bad input to PATCH /organisation: each is refused with 422 and changes nothing.

The cases and the checks: ``tests/server/resources/bad_input.py``."""

import uuid

import pytest

from tests.server.resources.bad_input import Endpoint, accepts_its_body, case, read, run_cases

ENDPOINTS = {
    "update-organisation": Endpoint(
        "PATCH",
        lambda c: "/organisation",
        lambda c: {
            "name": "Kafé Songdalen",
            "country": "NO",
            "language": "nb",
            "timezone": "Europe/Oslo",
        },
        lambda c: read(c, "/organisation"),
        200,
    ),
}


@pytest.mark.parametrize("name", ENDPOINTS)
def test_valid_body_is_accepted(ctx, name):
    accepts_its_body(ctx, ENDPOINTS[name])


SCHEMA_CASES = {
    "update-organisation": [
        case("name-null", {"name": None}, "name"),
        case("name-empty", {"name": ""}, "name"),
        case("name-blank", {"name": "   "}, "name"),
        case("name-number", {"name": 7}, "name"),
        case("name-too-long", {"name": "x" * 121}, "name"),
        case("country-unknown", {"country": "SE"}, "country"),
        case("country-lower-case", {"country": "dk"}, "country"),
        case("country-name", {"country": "Denmark"}, "country"),
        case("country-null", {"country": None}, "country"),
        case("language-english", {"language": "en"}, "language"),
        case("language-tag", {"language": "da-DK"}, "language"),
        case("language-nynorsk", {"language": "nn"}, "language"),
        case("language-number", {"language": 1}, "language"),
        case("timezone-null", {"timezone": None}, "timezone"),
        case("timezone-bool", {"timezone": True}, "timezone"),
        case("read-only-id", {"id": str(uuid.uuid4())}, "id"),
        case("unknown-field", {"currency": "DKK"}, "currency"),
    ],
}


@pytest.mark.parametrize("name", SCHEMA_CASES)
def test_wrong_type_or_value_is_refused(ctx, subtests, name):
    run_cases(ctx, subtests, ENDPOINTS[name], SCHEMA_CASES[name])


RULE_CASES = {
    "update-organisation": [
        case("unknown-timezone", {"timezone": "Europe/Kristiansand"}, "timezone"),
        case("timezone-path", {"timezone": "../../etc/passwd"}, "timezone"),
        case("timezone-offset", {"timezone": "+01:00"}, "timezone"),
    ],
}


@pytest.mark.parametrize("name", RULE_CASES)
def test_rule_violation_is_refused(ctx, subtests, name):
    run_cases(ctx, subtests, ENDPOINTS[name], RULE_CASES[name])
