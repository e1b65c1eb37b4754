"""Participants through HTTP: create, find, read, change with If-Match, end."""

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from server import clock
from server.database import db
from server.models import ChangeRecord
from tests.conftest import expect
from tests.factories import ParticipantFactory


@pytest.fixture
def api(world, as_user):
    return as_user(world.facilitator)


def new_participant(world, **extra):
    return {
        "first_name": "Åse",
        "last_name": "Ødegård",
        "department_id": str(world.dept_a1.id),
        "gender": "female",
        "birth_year": 1991,
        "start_date": "2026-03-02",
        "consent_nav_reporting": True,
        "phone": "+47 912 34 567",
        **extra,
    }


def test_create_and_read(api, world):
    created = api.post("/participants", json=new_participant(world, nav_office="NAV Kristiansand"))
    assert created.status_code == 201
    body = created.json
    assert body["status"] == "active"
    assert body["phone"] == "+4791234567"
    assert body["nav_office"] == "NAV Kristiansand"
    assert created.headers["ETag"]
    read = api.get(f"/participants/{body['id']}")
    assert read.status_code == 200
    assert read.json == body
    assert read.headers["ETag"] == created.headers["ETag"]
    assert read.headers["Cache-Control"] == "no-store"


def test_list_filters_search_and_pagination(api, world):
    for name in ("Ærlig", "Øystein", "Åsmund", "Bjørn"):
        ParticipantFactory(department=world.dept_a1, first_name=name, last_name="Øvreås")
    ParticipantFactory(department=world.dept_a1, first_name="Pål", status="paused")

    def names(response):
        return [p["first_name"] for p in response.json]

    assert names(api.get("/participants", query_string={"q": "øYSt"})) == ["Øystein"]
    assert sorted(names(api.get("/participants", query_string={"q": "ØVREÅS"}))) == sorted(
        ["Ærlig", "Øystein", "Åsmund", "Bjørn"]
    )
    assert names(api.get("/participants", query_string={"status": "paused"})) == ["Pål"]
    assert names(api.get("/participants", query_string={"q": "%"})) == []

    first = api.get("/participants", query_string={"page_size": 2})
    pagination = json.loads(first.headers["X-Pagination"])
    assert pagination["total"] == 6 and pagination["total_pages"] == 3
    assert len(first.json) == 2
    assert api.get("/participants", query_string={"page_size": 101}).status_code == 422


def test_department_filter(world, as_user):
    admin = as_user(world.admin)
    response = admin.get("/participants", query_string={"department_id": str(world.dept_a2.id)})
    assert [p["id"] for p in response.json] == [str(world.participant_a2.id)]


def test_patch_needs_if_match_and_refuses_stale(api, world):
    path = f"/participants/{world.participant_a1.id}"
    etag = api.get(path).headers["ETag"]
    missing = api.patch(path, json={"nav_contact": "Kari i NAV"})
    assert missing.status_code == 428
    changed = api.patch(path, json={"nav_contact": "Kari i NAV"}, headers={"If-Match": etag})
    assert changed.status_code == 200
    assert changed.json["nav_contact"] == "Kari i NAV"
    assert changed.headers["ETag"] != etag
    stale = api.patch(path, json={"nav_contact": "Per i NAV"}, headers={"If-Match": etag})
    assert stale.status_code == 412
    assert stale.json["code"] == 412
    assert api.get(path).json["nav_contact"] == "Kari i NAV"


def test_patch_keeps_history_of_what_was_there(api, world):
    path = f"/participants/{world.participant_a1.id}"
    etag = api.get(path).headers["ETag"]
    paused = {"last_name": "Berg", "status": "paused"}
    expect(api.patch(path, json=paused, headers={"If-Match": etag}), 200)
    record = db.session.scalars(
        select(ChangeRecord).where(ChangeRecord.entity_id == world.participant_a1.id)
    ).one()
    assert record.user_id == world.facilitator.id
    assert record.changes == {"last_name": ["Hansen", "Berg"], "status": ["active", "paused"]}


def test_patch_cannot_end_a_participant(api, world):
    path = f"/participants/{world.participant_a1.id}"
    etag = api.get(path).headers["ETag"]
    response = api.patch(path, json={"status": "ended"}, headers={"If-Match": etag})
    assert response.status_code == 422
    assert "status" in response.json["errors"]["json"]


def test_end_with_outcome(api, world):
    path = f"/participants/{world.participant_a1.id}"
    today = clock.local_today("Europe/Oslo")
    response = api.post(f"{path}/end", json={"end_date": today.isoformat(), "outcome": "education"})
    assert response.status_code == 200
    assert response.json["status"] == "ended"
    assert response.json["outcome"] == "education"
    assert response.json["end_date"] == today.isoformat()
    again = api.post(f"{path}/end", json={"end_date": today.isoformat(), "outcome": "other"})
    assert again.status_code == 409
    etag = api.get(path).headers["ETag"]
    reopen = api.patch(path, json={"status": "active"}, headers={"If-Match": etag})
    assert reopen.status_code == 409


def test_end_date_rules(api, world):
    path = f"/participants/{world.participant_a1.id}/end"
    tomorrow = clock.local_today("Europe/Oslo") + timedelta(days=1)
    future = api.post(path, json={"end_date": tomorrow.isoformat(), "outcome": "other"})
    assert future.status_code == 422
    early = api.post(path, json={"end_date": "2025-12-31", "outcome": "other"})
    assert early.status_code == 422
    assert (
        api.post(path, json={"end_date": "2026-02-01", "outcome": "dropped_out"}).status_code == 200
    )


def test_facilitator_can_move_within_own_departments_only(world, as_user, client):
    world.facilitator.departments.append(world.dept_a2)
    db.session.commit()
    api = as_user(world.facilitator)
    path = f"/participants/{world.participant_a1.id}"
    etag = api.get(path).headers["ETag"]
    moved = api.patch(
        path, json={"department_id": str(world.dept_a2.id)}, headers={"If-Match": etag}
    )
    assert moved.status_code == 200
    etag = moved.headers["ETag"]
    refused = api.patch(
        path, json={"department_id": str(world.dept_b1.id)}, headers={"If-Match": etag}
    )
    assert refused.status_code == 422
    assert "department_id" in refused.json["errors"]["json"]


def test_concurrent_edit_with_same_etag_only_one_wins(api, world):
    path = f"/participants/{world.participant_a1.id}"
    etag = api.get(path).headers["ETag"]
    first = api.patch(path, json={"first_name": "En"}, headers={"If-Match": etag})
    second = api.patch(path, json={"first_name": "To"}, headers={"If-Match": etag})
    assert (first.status_code, second.status_code) == (200, 412)


def test_if_match_star_is_not_a_way_around_the_etag(api, world):
    path = f"/participants/{world.participant_a1.id}"
    response = api.patch(path, json={"nav_contact": "X"}, headers={"If-Match": "*"})
    assert response.status_code == 428
