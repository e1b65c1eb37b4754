"""Staff accounts, managed by an admin."""

import pytest

from tests.conftest import expect, login


@pytest.fixture
def admin(world, as_user):
    return as_user(world.admin)


def test_admin_creates_staff_in_several_departments(admin, world, client):
    body = {
        "username": "Nina.Berg",
        "full_name": "Nina Berg",
        "role": "facilitator",
        "department_ids": [str(world.dept_a1.id), str(world.dept_a2.id)],
        "password": "Gul-Sykkel-Morgen-42",
    }
    created = admin.post("/users", json=body)
    assert created.status_code == 201
    assert "password" not in created.json
    assert created.json["username"] == "nina.berg"
    assert sorted(created.json["department_ids"]) == sorted(body["department_ids"])
    assert created.json["active"] is True
    user = login(client, "nina.berg", "Gul-Sykkel-Morgen-42")["user"]
    assert user["role"] == "facilitator"
    assert admin.post("/users", json={**body, "username": "NINA.BERG"}).status_code == 409


@pytest.mark.parametrize(
    "password",
    [
        "kort-pw",
        "password123",
        "qwertyuiop",
        "1234567890",
        "Passord123",
        "aaaaaaaaaaaa",
        "nina.berg-2026",
    ],
)
def test_weak_passwords_are_refused(admin, world, password):
    response = admin.post(
        "/users",
        json={
            "username": "nina.berg",
            "full_name": "Nina Berg",
            "role": "leader",
            "password": password,
        },
    )
    assert response.status_code == 422
    assert "password" in response.json["errors"]["json"]


def test_user_departments_must_be_in_the_organisation(admin, world):
    response = admin.post(
        "/users",
        json={
            "username": "ole",
            "full_name": "Ole",
            "role": "leader",
            "department_ids": [str(world.dept_b1.id)],
            "password": "Gul-Sykkel-Morgen-42",
        },
    )
    assert response.status_code == 422
    assert "department_ids" in response.json["errors"]["json"]


def test_deactivate_and_reactivate(admin, world, client):
    path = f"/users/{world.facilitator.id}"
    assert expect(admin.patch(path, json={"active": False}), 200)["active"] is False
    listed = admin.get("/users", query_string={"active": "false"}).json
    assert [u["username"] for u in listed] == ["facilitator-a1"]
    assert expect(admin.patch(path, json={"active": True}), 200)["active"] is True
    assert login(client, world.facilitator.username)


def test_admin_cannot_lock_themselves_out(admin, world):
    path = f"/users/{world.admin.id}"
    assert admin.patch(path, json={"active": False}).status_code == 409
    assert admin.patch(path, json={"role": "leader"}).status_code == 409


def test_users_filter_by_role_and_department(admin, world):
    leaders = admin.get("/users", query_string={"role": "leader"}).json
    assert [u["username"] for u in leaders] == ["leader-a1"]
    in_a2 = admin.get("/users", query_string={"department_id": str(world.dept_a2.id)}).json
    assert [u["username"] for u in in_a2] == ["facilitator-a2"]


NEEDS_DEPARTMENT = ["A leader or facilitator must work in at least one department."]


@pytest.mark.parametrize("role", ["leader", "facilitator"])
@pytest.mark.parametrize("departments", [None, []], ids=["left-out", "empty"])
def test_staff_other_than_admins_need_a_department(admin, world, role, departments):
    body = {
        "username": "uten.avdeling",
        "full_name": "Uten Avdeling",
        "role": role,
        "password": "Gul-Sykkel-Morgen-42",
    }
    if departments is not None:
        body["department_ids"] = departments
    before = admin.get("/users", query_string={"page_size": 100})
    assert before.status_code == 200
    response = admin.post("/users", json=body)
    assert response.status_code == 422
    assert response.json["code"] == 422
    assert response.json["errors"]["json"] == {"department_ids": NEEDS_DEPARTMENT}
    assert admin.get("/users", query_string={"page_size": 100}).json == before.json
    # An admin sees the whole organisation and needs none.
    as_admin = admin.post("/users", json={**body, "role": "admin"})
    assert as_admin.status_code == 201, as_admin.json
    assert as_admin.json["department_ids"] == []


def test_a_weak_password_and_no_department_are_both_named(admin):
    response = admin.post(
        "/users",
        json={
            "username": "nina.berg",
            "full_name": "Nina Berg",
            "role": "facilitator",
            "password": "password123",
        },
    )
    assert response.status_code == 422
    assert set(response.json["errors"]["json"]) == {"department_ids", "password"}


def test_a_change_may_not_leave_staff_without_a_department(admin, world):
    path = f"/users/{world.facilitator.id}"
    emptied = admin.patch(path, json={"department_ids": []})
    assert emptied.status_code == 422
    assert emptied.json["errors"]["json"] == {"department_ids": NEEDS_DEPARTMENT}
    unchanged = admin.get(path)
    assert unchanged.status_code == 200
    assert unchanged.json["department_ids"] == [str(world.dept_a1.id)]

    created = admin.post(
        "/users",
        json={
            "username": "ny.admin",
            "full_name": "Ny Admin",
            "role": "admin",
            "password": "Gul-Sykkel-Morgen-42",
        },
    )
    assert created.status_code == 201, created.json
    other_admin = f"/users/{created.json['id']}"
    demoted = admin.patch(other_admin, json={"role": "leader"})
    assert demoted.status_code == 422
    assert demoted.json["errors"]["json"] == {"department_ids": NEEDS_DEPARTMENT}
    assert admin.get(other_admin).json["role"] == "admin"
    with_department = admin.patch(
        other_admin, json={"role": "leader", "department_ids": [str(world.dept_a2.id)]}
    )
    assert with_department.status_code == 200, with_department.json
    assert (with_department.json["role"], with_department.json["department_ids"]) == (
        "leader",
        [str(world.dept_a2.id)],
    )
    # Promoted to admin, the departments may go.
    promoted = admin.patch(path, json={"role": "admin", "department_ids": []})
    assert promoted.status_code == 200, promoted.json
