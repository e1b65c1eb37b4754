"""POST /sync: the phone's outbox in one round trip, each write on its own."""

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import func, select

from server.database import db
from server.models import AccessLogEntry, Attendance
from tests.conftest import expect

NOW = datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Europe/Oslo"))


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def api(world, as_user):
    return as_user(world.facilitator)


def put(path, body, op_id=None):
    return {"op_id": op_id or str(uuid.uuid4()), "method": "PUT", "path": path, "body": body}


def present(participant, day="2026-06-15"):
    return {
        "participant_id": str(participant.id),
        "date": day,
        "status": "present",
        "check_in_at": NOW.isoformat(),
    }


def test_mix_of_good_and_bad_writes(api, world):
    good_id = str(uuid.uuid4())
    operations = [
        put(f"/attendance/{good_id}", present(world.participant_a1), "good"),
        put(f"/attendance/{uuid.uuid4()}", present(world.participant_a1, "2099-01-01"), "future"),
        put(f"/attendance/{uuid.uuid4()}", present(world.participant_a2), "not-mine"),
        put(f"/attendance/{uuid.uuid4()}", {"participant_id": "x"}, "malformed"),
        put(f"/participants/{world.participant_a1.id}", {"first_name": "X"}, "not-syncable"),
        put("/nowhere", {}, "unknown-path"),
        put(f"/attendance/{good_id}", present(world.participant_a1), "repeat"),
    ]
    response = api.post("/sync", json={"operations": operations})
    assert response.status_code == 200
    results = response.json["results"]
    assert [(r["op_id"], r["status"]) for r in results] == [
        ("good", 201),
        ("future", 422),
        ("not-mine", 404),
        ("malformed", 422),
        ("not-syncable", 422),
        ("unknown-path", 422),
        ("repeat", 200),
    ]
    assert results[0]["body"]["id"] == good_id
    assert results[6]["body"] == results[0]["body"]
    assert results[1]["body"]["errors"]["json"]["date"]
    assert results[3]["body"]["code"] == 422
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 1


def test_each_result_is_what_the_write_alone_answers(api, world):
    body = present(world.participant_a1)
    batch = {"operations": [put(f"/attendance/{uuid.uuid4()}", body)]}
    synced = expect(api.post("/sync", json=batch), 200)["results"][0]
    alone = api.put(f"/attendance/{uuid.uuid4()}", json=body)
    assert (alone.status_code, alone.json) == (200, synced["body"])


def test_a_morning_offline_syncs_in_one_round_trip(api, world):
    """Check-ins for a whole department written offline, with retries in the queue."""
    from tests.factories import ParticipantFactory

    people = [ParticipantFactory(department=world.dept_a1) for _ in range(20)]
    operations = []
    for person in people:
        write_id = str(uuid.uuid4())
        operations.append(put(f"/attendance/{write_id}", present(person)))
        operations.append(put(f"/attendance/{write_id}", present(person)))  # a retry
    results = expect(api.post("/sync", json={"operations": operations}), 200)["results"]
    assert [r["status"] for r in results] == [201, 200] * 20
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 20
    logged = db.session.scalar(select(func.count()).select_from(AccessLogEntry))
    assert logged == 40


def test_batch_limits_and_shape(api, world):
    too_many = [put(f"/attendance/{uuid.uuid4()}", present(world.participant_a1))] * 501
    assert api.post("/sync", json={"operations": too_many}).status_code == 422
    assert (
        api.post(
            "/sync",
            json={"operations": [{"op_id": "1", "method": "DELETE", "path": "/x", "body": {}}]},
        ).status_code
        == 422
    )
    assert api.post("/sync", json={}).status_code == 422


def test_sync_needs_a_token_and_each_write_is_authorised(client, world):
    response = client.post("/api/v1/sync", json={"operations": []})
    assert response.status_code == 401


def test_a_path_the_router_would_redirect_is_refused_alone(api, world):
    operations = [
        put(f"/attendance/{uuid.uuid4()}", present(world.participant_a1), "good"),
        put(f"//attendance/{uuid.uuid4()}", present(world.participant_a1), "double-slash"),
    ]
    response = api.post("/sync", json={"operations": operations})
    assert response.status_code == 200
    assert [r["status"] for r in response.json["results"]] == [201, 422]


def test_a_full_batch_for_one_day_stops_at_the_days_bound(api, world):
    """500 writes with distinct ids for one participant and day: the day gathers at most
    MAX_WRITES_PER_DAY of them; each one past the bound is a clear 422, and the record is
    computed from those it holds."""
    from datetime import timedelta

    from server.models import AttendanceWrite
    from server.services.attendance.records import MAX_WRITES_PER_DAY

    operations = []
    for minute in range(500):
        body = present(world.participant_a1)
        body["check_in_at"] = (NOW - timedelta(minutes=minute % 300, seconds=1)).isoformat()
        operations.append(put(f"/attendance/{uuid.uuid4()}", body, str(minute)))

    response = api.post("/sync", json={"operations": operations})

    assert response.status_code == 200
    results = response.json["results"]
    statuses = [r["status"] for r in results]
    assert statuses == [201] + [200] * (MAX_WRITES_PER_DAY - 1) + [422] * (500 - MAX_WRITES_PER_DAY)
    assert "date" in results[-1]["body"]["errors"]["json"]
    assert db.session.scalar(select(func.count()).select_from(AttendanceWrite)) == (
        MAX_WRITES_PER_DAY
    )
    earliest = NOW - timedelta(minutes=MAX_WRITES_PER_DAY - 1, seconds=1)
    assert datetime.fromisoformat(results[MAX_WRITES_PER_DAY - 1]["body"]["check_in_at"]) == (
        earliest
    )
    # A correction of an id the day holds is still taken.
    again = {**operations[0], "op_id": "again", "body": {**operations[0]["body"], "note": "Buss"}}
    corrected = expect(api.post("/sync", json={"operations": [again]}), 200)["results"][0]
    assert (corrected["status"], corrected["body"]["note"]) == (200, "Buss")
