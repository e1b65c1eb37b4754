"""Bad input to the staff account writes, and an admin who would lock themselves out.

The cases and the checks: ``tests/server/resources/bad_input.py``."""

import uuid

import pytest

from tests.server.resources.bad_input import (
    NOT_UUID,
    OTHER_ORG_DEPARTMENT,
    Endpoint,
    accepts_its_body,
    body_with,
    case,
    read,
    refused,
    run_cases,
)

ENDPOINTS = {
    "create-user": Endpoint(
        "POST",
        lambda c: "/users",
        lambda c: {
            "username": "new.user",
            "full_name": "Kari Nordmann",
            "role": "facilitator",
            "department_ids": [str(c.world.dept_a1.id)],
            "active": True,
            "password": "Lang-Og-Sikker-Frase-7",
        },
        lambda c: read(c, "/users?page_size=100"),
        201,
        required=("username", "full_name", "role", "password"),
    ),
    "update-user": Endpoint(
        "PATCH",
        lambda c: f"/users/{c.world.facilitator.id}",
        lambda c: {
            "full_name": "Ansatt Omdøpt",
            "role": "leader",
            "department_ids": [str(c.world.dept_a2.id)],
            "active": False,
            "password": "Et-Nytt-Passord-42",
        },
        # The account, and whether its login still works (a password change ends it).
        lambda c: (
            read(c, f"/users/{c.world.facilitator.id}"),
            c.facilitator.get("/me").status_code,
        ),
        200,
    ),
}


@pytest.mark.parametrize("name", ENDPOINTS)
def test_valid_body_is_accepted(ctx, name):
    accepts_its_body(ctx, ENDPOINTS[name])


SCHEMA_CASES = {
    "create-user": [
        case("username-number", {"username": 12345}, "username"),
        case("username-null", {"username": None}, "username"),
        case("username-too-short", {"username": "ab"}, "username"),
        case("username-with-space", {"username": "kari nordmann"}, "username"),
        case("username-leading-dot", {"username": ".kari"}, "username"),
        case("full-name-number", {"full_name": 5}, "full_name"),
        case("full-name-blank", {"full_name": "  "}, "full_name"),
        case("role-invalid", {"role": "superuser"}, "role"),
        case("role-upper-case", {"role": "ADMIN"}, "role"),
        case("role-null", {"role": None}, "role"),
        case("department-ids-string", {"department_ids": NOT_UUID}, "department_ids"),
        case("department-ids-object", {"department_ids": {}}, "department_ids"),
        case("department-id-invalid", {"department_ids": [NOT_UUID]}, "department_ids.0"),
        case("department-id-number", {"department_ids": [1]}, "department_ids.0"),
        case("active-string", {"active": "maybe"}, "active"),
        case("active-null", {"active": None}, "active"),
        case("password-number", {"password": 12345678901}, "password"),
        case("password-null", {"password": None}, "password"),
        case("read-only-id", {"id": str(uuid.uuid4())}, "id"),
        case("read-only-created-at", {"created_at": "2026-01-01T00:00:00Z"}, "created_at"),
        case("unknown-field", {"is_superuser": True}, "is_superuser"),
    ],
    "update-user": [
        case("full-name-null", {"full_name": None}, "full_name"),
        case("full-name-list", {"full_name": ["Kari"]}, "full_name"),
        case("role-invalid", {"role": "king"}, "role"),
        case("department-ids-string", {"department_ids": "a1"}, "department_ids"),
        case("department-id-invalid", {"department_ids": [NOT_UUID]}, "department_ids.0"),
        case("active-string", {"active": "maybe"}, "active"),
        case("password-number", {"password": 1234567890123}, "password"),
        case("username-is-read-only", {"username": "renamed"}, "username"),
        case("read-only-id", {"id": str(uuid.uuid4())}, "id"),
    ],
}


@pytest.mark.parametrize("name", SCHEMA_CASES)
def test_wrong_type_or_value_is_refused(ctx, subtests, name):
    run_cases(ctx, subtests, ENDPOINTS[name], SCHEMA_CASES[name])


RULE_CASES = {
    "create-user": [
        case(
            "department-of-other-organisation",
            {"department_ids": lambda c: [OTHER_ORG_DEPARTMENT(c)]},
            "department_ids",
        ),
        case("department-unknown", {"department_ids": [str(uuid.uuid4())]}, "department_ids"),
        case("password-9-characters", {"password": "Kort-Pw-1"}, "password"),
        case("password-common-password123", {"password": "password123"}, "password"),
        case("password-common-qwertyuiop1", {"password": "qwertyuiop1"}, "password"),
        case("password-common-passord123", {"password": "passord123"}, "password"),
        case("password-common-upper-case", {"password": "PASSWORD123"}, "password"),
        case("password-one-letter-repeated", {"password": "aaaaaaaaaaaa"}, "password"),
        case("password-has-username", {"password": "New.User-Sikker-77"}, "password"),
        case("password-has-name", {"password": "Nordmann-Sikker-77"}, "password"),
        case("password-too-long", {"password": "Ab1-" * 65}, "password"),
    ],
    "update-user": [
        case(
            "department-of-other-organisation",
            {"department_ids": lambda c: [OTHER_ORG_DEPARTMENT(c)]},
            "department_ids",
        ),
        case("password-9-characters", {"password": "Kort-Pw-1"}, "password"),
        case("password-common-password123", {"password": "password123"}, "password"),
        case("password-common-qwertyuiop1", {"password": "qwertyuiop1"}, "password"),
        case("password-has-username", {"password": "facilitator-a1-2026"}, "password"),
    ],
}


@pytest.mark.parametrize("name", RULE_CASES)
def test_rule_violation_is_refused(ctx, subtests, name):
    run_cases(ctx, subtests, ENDPOINTS[name], RULE_CASES[name])


def test_admin_cannot_lock_themselves_out(ctx, subtests):
    path = f"/users/{ctx.world.admin.id}"
    for case_id, changes in [("deactivate", {"active": False}), ("demote", {"role": "leader"})]:
        with subtests.test(case_id):
            refused(
                ctx,
                ENDPOINTS["update-user"],
                409,
                path=path,
                state=lambda c: read(c, path),
                json=changes,
            )


CONFLICT_CASES = [
    ("create-user", case("same-username", {"username": "leader-a1"}, "username", status=409)),
    (
        "create-user",
        case("same-username-other-case", {"username": "Leader-A1"}, "username", status=409),
    ),
    (
        "create-user",
        case("username-of-other-organisation", {"username": "admin-b"}, "username", status=409),
    ),
]


def test_duplicate_is_a_conflict(ctx, subtests):
    for name, c in CONFLICT_CASES:
        endpoint = ENDPOINTS[name]
        with subtests.test(f"{name}: {c.id}"):
            refused(ctx, endpoint, c.status, c.fields, json=body_with(ctx, endpoint, c.changes))
