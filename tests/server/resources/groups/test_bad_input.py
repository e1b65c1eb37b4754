"""Bad input to the group writes, and group names that clash in a department.

The cases and the checks: ``tests/server/resources/bad_input.py``."""

import uuid

import pytest

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


def songdalen_groups(c) -> str:
    return f"/departments/{c.world.dept_a1.id}/groups"


def group_path(c) -> str:
    """A group of A1 (made once per test) to change."""
    if not hasattr(c, "_group_path"):
        response = c.admin.post(songdalen_groups(c), json={"name": "Kjøkkenet"})
        assert response.status_code == 201, response.json
        c._group_path = f"/groups/{response.json['id']}"
    return c._group_path


ENDPOINTS = {
    "create-group": Endpoint(
        "POST",
        songdalen_groups,
        lambda c: {"name": "Verkstedet", "responsible_user_id": str(c.world.facilitator.id)},
        lambda c: read(c, f"{songdalen_groups(c)}?page_size=100"),
        201,
        required=("name",),
    ),
    "update-group": Endpoint(
        "PATCH",
        group_path,
        lambda c: {"name": "Kafeen", "responsible_user_id": str(c.world.leader.id)},
        lambda c: read(c, group_path(c)),
        200,
    ),
}


@pytest.mark.parametrize("name", ENDPOINTS)
def test_valid_body_is_accepted(ctx, name):
    accepts_its_body(ctx, ENDPOINTS[name])


SCHEMA_CASES = {
    "create-group": [
        case("name-number", {"name": 42}, "name"),
        case("name-null", {"name": None}, "name"),
        case("name-blank", {"name": "  "}, "name"),
        case("name-too-long", {"name": "x" * 81}, "name"),
        case("responsible-not-uuid", {"responsible_user_id": NOT_UUID}, "responsible_user_id"),
        case("active-string", {"active": "yes"}, "active"),
        case("read-only-id", {"id": str(uuid.uuid4())}, "id"),
        case("read-only-department", {"department_id": str(uuid.uuid4())}, "department_id"),
    ],
    "update-group": [
        case("name-null", {"name": None}, "name"),
        case("name-list", {"name": ["Kafeen"]}, "name"),
        case("responsible-number", {"responsible_user_id": 7}, "responsible_user_id"),
        case("active-null", {"active": None}, "active"),
        case("unknown-field", {"members": []}, "members"),
    ],
}


@pytest.mark.parametrize("name", SCHEMA_CASES)
def test_wrong_type_or_value_is_refused(ctx, subtests, name):
    run_cases(ctx, subtests, ENDPOINTS[name], SCHEMA_CASES[name])


def staff_of(where: str):
    """A staff member who may not be responsible for a group of A1: one of A2, the admin of
    organisation B, the admin of A (a member of no department), a user nobody has."""
    return {
        "other-department": lambda c: str(c.world.facilitator_a2.id),
        "other-organisation": lambda c: str(c.world.admin_b.id),
        "admin-of-no-department": lambda c: str(c.world.admin.id),
        "nobody": lambda c: str(uuid.uuid4()),
    }[where]


RULE_CASES = {
    name: [
        case(where, {"responsible_user_id": staff_of(where)}, "responsible_user_id")
        for where in ("other-department", "other-organisation", "admin-of-no-department", "nobody")
    ]
    for name in ENDPOINTS
}


@pytest.mark.parametrize("name", RULE_CASES)
def test_responsible_must_be_staff_of_the_department(ctx, subtests, name):
    run_cases(ctx, subtests, ENDPOINTS[name], RULE_CASES[name])


def test_names_clash_in_a_department_regardless_of_case(ctx, subtests):
    group_path(ctx)  # "Kjøkkenet" in A1
    for name, changes in [
        ("create-group", {"name": "KJØKKENET"}),
        ("create-group", {"name": " kjøkkenet "}),
    ]:
        endpoint = ENDPOINTS[name]
        with subtests.test(f"{name}: {changes['name']!r}"):
            refused(ctx, endpoint, 409, ("name",), json=body_with(ctx, endpoint, changes))
    other = ctx.admin.post(songdalen_groups(ctx), json={"name": "Kafeen"})
    assert other.status_code == 201, other.json
    with subtests.test("update-group: rename to a sibling"):
        refused(ctx, ENDPOINTS["update-group"], 409, ("name",), json={"name": "KAFEEN"})
    with subtests.test("same name in another department is fine"):
        response = ctx.admin.post(
            f"/departments/{ctx.world.dept_a2.id}/groups", json={"name": "Kjøkkenet"}
        )
        assert response.status_code == 201, response.json
