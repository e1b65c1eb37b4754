"""Bad input to the department writes, and department names that clash.

The cases and the checks: ``tests/server/resources/bad_input.py``."""

import uuid

import pytest

from tests.factories import DepartmentFactory
from tests.server.resources.bad_input import (
    NOT_UUID,
    Endpoint,
    accepts_its_body,
    body_with,
    case,
    read,
    refused,
    run_cases,
)

ENDPOINTS = {
    "create-department": Endpoint(
        "POST",
        lambda c: "/departments",
        lambda c: {"name": "Kristiansand", "timezone": "Europe/Oslo"},
        lambda c: read(c, "/departments?page_size=100"),
        201,
        required=("name",),
    ),
    "update-department": Endpoint(
        "PATCH",
        lambda c: f"/departments/{c.world.dept_a1.id}",
        lambda c: {"name": "Songdalen Vest", "timezone": "Europe/Oslo"},
        lambda c: read(c, f"/departments/{c.world.dept_a1.id}"),
        200,
    ),
}


@pytest.mark.parametrize("name", ENDPOINTS)
def test_valid_body_is_accepted(ctx, name):
    accepts_its_body(ctx, ENDPOINTS[name])


SCHEMA_CASES = {
    "create-department": [
        case("name-number", {"name": 42}, "name"),
        case("name-null", {"name": None}, "name"),
        case("name-list", {"name": ["Kristiansand"]}, "name"),
        case("name-empty", {"name": ""}, "name"),
        case("name-blank", {"name": "   "}, "name"),
        case("name-too-long", {"name": "x" * 121}, "name"),
        case("timezone-number", {"timezone": 1}, "timezone"),
        case("timezone-object", {"timezone": {"name": "UTC"}}, "timezone"),
        case("read-only-id", {"id": str(uuid.uuid4())}, "id"),
        case("unknown-field", {"organisation_id": NOT_UUID}, "organisation_id"),
    ],
    "update-department": [
        case("name-null", {"name": None}, "name"),
        case("name-number", {"name": 7}, "name"),
        case("name-blank", {"name": " "}, "name"),
        case("timezone-bool", {"timezone": True}, "timezone"),
        case("read-only-id", {"id": str(uuid.uuid4())}, "id"),
    ],
}


@pytest.mark.parametrize("name", SCHEMA_CASES)
def test_wrong_type_or_value_is_refused(ctx, subtests, name):
    run_cases(ctx, subtests, ENDPOINTS[name], SCHEMA_CASES[name])


RULE_CASES = {
    "create-department": [
        case("unknown-timezone", {"timezone": "Mars/Olympus_Mons"}, "timezone"),
        case("timezone-path", {"timezone": "../../etc/passwd"}, "timezone"),
    ],
    "update-department": [
        case("unknown-timezone", {"timezone": "Europe/Kristiansand"}, "timezone"),
    ],
}


@pytest.mark.parametrize("name", RULE_CASES)
def test_rule_violation_is_refused(ctx, subtests, name):
    run_cases(ctx, subtests, ENDPOINTS[name], RULE_CASES[name])


def test_department_names_clash_regardless_of_case_in_norwegian_letters(ctx):
    DepartmentFactory(organisation=ctx.world.org_a, name="Ålesund")
    refused(ctx, ENDPOINTS["create-department"], 409, ("name",), json={"name": "ÅLESUND"})


CONFLICT_CASES = [
    ("create-department", case("same-name", {"name": "Songdalen"}, "name", status=409)),
    (
        "create-department",
        case("same-name-other-case", {"name": " songdalen "}, "name", status=409),
    ),
    ("update-department", case("rename-to-sibling", {"name": "ARENDAL"}, "name", status=409)),
]


def test_duplicate_is_a_conflict(ctx, subtests):
    for name, c in CONFLICT_CASES:
        endpoint = ENDPOINTS[name]
        with subtests.test(f"{name}: {c.id}"):
            refused(ctx, endpoint, c.status, c.fields, json=body_with(ctx, endpoint, c.changes))
