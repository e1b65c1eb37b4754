"""Departments through HTTP: made and renamed by an admin, named once per organisation,
listed as far as the caller works, and closed to new participants."""

import pytest

from tests.conftest import expect


@pytest.fixture
def admin(world, as_user):
    return as_user(world.admin)


def test_admin_creates_departments(admin):
    created = admin.post("/departments", json={"name": "  Mandal ", "timezone": "Europe/Oslo"})
    assert created.status_code == 201
    assert created.json["name"] == "Mandal"
    names = [d["name"] for d in admin.get("/departments").json]
    assert names == ["Arendal", "Mandal", "Songdalen"]
    duplicate = admin.post("/departments", json={"name": "mandal"})
    assert duplicate.status_code == 409
    renamed = admin.patch(f"/departments/{created.json['id']}", json={"name": "Lindesnes"})
    assert renamed.status_code == 200 and renamed.json["name"] == "Lindesnes"


def test_same_department_name_in_two_organisations(world, as_user):
    response = as_user(world.admin_b).post("/departments", json={"name": "Songdalen"})
    assert response.status_code == 201


def test_staff_see_only_their_departments(world, as_user):
    names = [d["name"] for d in as_user(world.facilitator).get("/departments").json]
    assert names == ["Songdalen"]


def test_closed_department_takes_no_new_participants(admin, world):
    path = f"/departments/{world.dept_a2.id}"
    assert expect(admin.patch(path, json={"active": False}), 200)["active"] is False
    open_only = admin.get("/departments", query_string={"active": "true"}).json
    assert [d["name"] for d in open_only] == ["Songdalen"]
    response = admin.post(
        "/participants",
        json={
            "first_name": "Ny",
            "last_name": "Person",
            "department_id": str(world.dept_a2.id),
            "gender": "male",
            "start_date": "2026-01-05",
            "consent_nav_reporting": False,
        },
    )
    assert response.status_code == 422
    assert response.json["errors"]["json"]["department_id"] == ["The department is closed."]
    # Its participants are still there to read.
    assert admin.get(f"/participants/{world.participant_a2.id}").status_code == 200
