"""A participant's page in one request (GET /participants/{id}/overview): what it gathers,
who may see it, that notes never reach it, what it costs and its ETag."""

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from server.database import db
from server.models import AccessLogEntry
from tests.conftest import expect
from tests.querycount import count_queries

OSLO = ZoneInfo("Europe/Oslo")
NOW = datetime(2026, 6, 17, 14, 0, tzinfo=OSLO)  # a Wednesday
NOTE = "Snakket om søvn og oppmøte."


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def api(world, as_user):
    return as_user(world.facilitator)


@pytest.fixture
def leader(world, as_user):
    return as_user(world.leader)


def at(days: int, hour: int = 10) -> str:
    day = NOW.date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, tzinfo=OSLO).isoformat()


def page(api, participant, **headers):
    return api.get(f"/participants/{participant.id}/overview", headers=headers)


def attend(api, participant, day: str, status="present", **extra):
    body = {"participant_id": str(participant.id), "date": day, "status": status, **extra}
    return expect(api.put(f"/attendance/{uuid.uuid4()}", json=body), 201)


def follow_up(api, participant, hours_ago: int, **extra):
    body = {
        "participant_id": str(participant.id),
        "kind": "conversation",
        "occurred_at": (NOW - timedelta(hours=hours_ago)).isoformat(),
        "duration_minutes": 30,
        "note": NOTE,
        **extra,
    }
    return expect(api.put(f"/followups/{uuid.uuid4()}", json=body), 201)


def meeting(leader, participant, days: int, **extra):
    body = {"scheduled_at": at(days), "location": "Kafeen", **extra}
    return expect(leader.post(f"/participants/{participant.id}/meetings", json=body), 201)


def action(leader, meeting_id, description, due_date=None):
    body = {"description": description, "responsible": "Kari", "due_date": due_date}
    return expect(leader.post(f"/meetings/{meeting_id}/actions", json=body), 201)


def written_up(leader, meeting_id, **fields):
    etag = leader.get(f"/meetings/{meeting_id}").headers["ETag"]
    changed = leader.patch(f"/meetings/{meeting_id}", json=fields, headers={"If-Match": etag})
    return expect(changed, 200)


def in_group(leader, world, participant, name="Kjøkkenet"):
    group = expect(leader.post(f"/departments/{world.dept_a1.id}/groups", json={"name": name}), 201)
    path = f"/participants/{participant.id}"
    etag = leader.get(path).headers["ETag"]
    expect(leader.patch(path, json={"group_id": group["id"]}, headers={"If-Match": etag}), 200)
    return group


def test_the_page_gathers_the_participant(api, leader, world):
    person = world.participant_a1
    group = in_group(leader, world, person)
    attend(api, person, "2026-05-29")  # last month: not on the page
    attend(api, person, "2026-06-01")
    attend(api, person, "2026-06-02")
    attend(api, person, "2026-06-03", "absent", absence_reason="sick")
    for hours_ago in range(1, 13):
        follow_up(api, person, hours_ago, duration_minutes=hours_ago)
    held = meeting(leader, person, -7)
    open_item = action(leader, held["id"], "Søke praksisplass", "2026-06-20")
    done_item = action(leader, held["id"], "Ringe NAV", "2026-06-10")
    written_up(leader, held["id"], status="held", minutes="Referat")
    ticked = api.patch(f"/meetings/{held['id']}/actions/{done_item['id']}", json={"done": True})
    expect(ticked, 200)
    cancelled = meeting(leader, person, 3)
    action(leader, cancelled["id"], "Glemt")
    written_up(leader, cancelled["id"], status="cancelled")
    later = meeting(leader, person, 30)
    undated = action(leader, later["id"], "Forberede CV")
    soon = meeting(leader, person, 7)

    response = page(api, person)
    assert response.status_code == 200
    body = response.json
    assert body["participant"] == {
        "id": str(person.id),
        "first_name": "PersonA1",
        "last_name": "Hansen",
        "department_id": str(world.dept_a1.id),
        "status": "active",
        "phone": person.phone,
        "group": {"id": group["id"], "name": "Kjøkkenet"},
    }
    assert [(g["title"], g["status"]) for g in body["goals"]] == [("Mål 1", "not_started")]
    month = body["attendance"]
    assert (month["from"], month["to"]) == ("2026-06-01", "2026-06-17")
    assert (month["present_days"], month["absent"]["sick"]) == (2, 1)
    assert month["expected_days"] == 13  # the weekdays of June up to Wednesday 17th
    followups = body["followups"]
    assert [f["duration_minutes"] for f in followups] == list(range(1, 11))  # newest ten
    assert followups[0]["author"] == {
        "id": str(world.facilitator.id),
        "full_name": world.facilitator.full_name,
    }
    assert all(f["has_note"] and "note" not in f for f in followups)
    assert NOTE not in response.get_data(as_text=True)
    assert "Referat" not in response.get_data(as_text=True)
    assert body["next_meeting"]["id"] == soon["id"]
    assert body["next_meeting"]["status"] == "planned"
    assert body["next_meeting"]["location"] == "Kafeen"
    assert [a["id"] for a in body["open_actions"]] == [open_item["id"], undated["id"]]
    assert body["open_actions"][0]["meeting_id"] == held["id"]
    assert not any(a["done"] for a in body["open_actions"])


def test_a_new_participant_has_an_empty_page(leader, world):
    created = leader.post(
        "/participants",
        json={
            "first_name": "Ny",
            "last_name": "Deltaker",
            "department_id": str(world.dept_a1.id),
            "gender": "female",
            "start_date": "2026-06-15",
            "consent_nav_reporting": False,
        },
    )
    person = expect(created, 201)
    body = expect(leader.get(f"/participants/{person['id']}/overview"), 200)
    assert body["participant"]["group"] is None
    assert body["participant"]["phone"] is None
    assert (body["goals"], body["followups"], body["open_actions"]) == ([], [], [])
    assert body["next_meeting"] is None
    assert body["attendance"]["expected_days"] == 0
    assert body["attendance"]["attendance_rate"] is None


@pytest.mark.parametrize(
    "who, whose, status",
    [
        ("facilitator", "a1", 200),
        ("leader", "a1", 200),
        ("admin", "a1", 200),
        ("admin", "a2", 200),
        ("facilitator", "a2", 404),
        ("leader", "a2", 404),
        ("facilitator_a2", "a1", 404),
        ("admin", "b1", 404),
        ("admin_b", "a1", 404),
    ],
)
def test_who_sees_the_page(world, as_user, who, whose, status):
    api = as_user(getattr(world, who))
    participant = getattr(world, f"participant_{whose}")
    response = page(api, participant)
    assert response.status_code == status
    if status == 404:
        assert response.json["code"] == 404
        rows = db.session.scalars(select(AccessLogEntry)).all()
        assert rows == []


def test_an_unknown_participant_is_404(api):
    assert api.get(f"/participants/{uuid.uuid4()}/overview").status_code == 404


def test_reading_the_page_is_one_row_in_the_access_log(api, world):
    person = world.participant_a1
    follow_up(api, person, 2)
    before = db.session.scalars(select(AccessLogEntry)).all()
    for _ in range(2):
        expect(page(api, person), 200)
    rows = db.session.scalars(select(AccessLogEntry)).all()[len(before) :]
    assert [(r.user_id, r.participant_id, r.action, r.resource) for r in rows] == [
        (world.facilitator.id, person.id, "read", "overview")
    ] * 2


def test_the_page_costs_the_same_however_much_it_holds(api, leader, world):
    person = world.participant_a1

    def measure():
        with count_queries() as seen:
            body = expect(page(api, person), 200)
        return len(seen), body

    in_group(leader, world, person)
    follow_up(api, person, 1)
    held = meeting(leader, person, -7)
    action(leader, held["id"], "En")
    meeting(leader, person, 7)
    few, small = measure()
    for hours_ago in range(2, 30):
        follow_up(api, person, hours_ago)
    for n in range(15):
        action(leader, held["id"], f"Oppgave {n}")
    for day in ("2026-06-01", "2026-06-02", "2026-06-03", "2026-06-04"):
        attend(api, person, day)
    many, big = measure()
    assert (len(small["followups"]), len(big["followups"])) == (1, 10)
    assert (len(small["open_actions"]), len(big["open_actions"])) == (1, 16)
    assert many == few
    assert few <= 14, few


def test_the_page_answers_304_until_it_changes(api, world):
    person = world.participant_a1
    first = page(api, person)
    assert first.status_code == 200
    tag = first.headers["ETag"]
    unchanged = page(api, person, **{"If-None-Match": tag})
    assert (unchanged.status_code, unchanged.data) == (304, b"")
    assert unchanged.headers["ETag"] == tag
    assert unchanged.headers["Cache-Control"] == "no-store"

    attend(api, person, "2026-06-17", check_in_at=NOW.isoformat())
    changed = page(api, person, **{"If-None-Match": tag})
    assert changed.status_code == 200
    assert changed.json["attendance"]["present_days"] == 1
    assert changed.headers["ETag"] != tag
    again = page(api, person, **{"If-None-Match": changed.headers["ETag"]})
    assert again.status_code == 304
    danish = page(
        api, person, **{"If-None-Match": changed.headers["ETag"], "Accept-Language": "da"}
    )
    assert danish.status_code == 200
