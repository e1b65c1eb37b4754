"""POST /sync: the phone's outbox in one round trip, each write on its own."""

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import func, select

from server.database import db
from server.models import AccessLogEntry, Attendance, ChangeRecord, Tally, TallyActivity
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


def delete(path, op_id=None):
    return {"op_id": op_id or str(uuid.uuid4()), "method": "DELETE", "path": path}


def patch(path, body, op_id=None):
    return {"op_id": op_id or str(uuid.uuid4()), "method": "PATCH", "path": path, "body": body}


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
    not_a_method = {"op_id": "1", "method": "POST", "path": "/x", "body": {}}
    refused = api.post("/sync", json={"operations": [not_a_method]})
    assert refused.status_code == 422
    assert refused.json["errors"]["json"]["operations"]["0"]["method"]
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


def test_an_undo_travels_in_the_batch_and_the_batch_can_be_sent_again(api, world):
    """A check-in tapped by mistake and undone while offline; the phone never got the
    answer and sends the same batch again: the day stays without a record."""
    from tests.factories import ParticipantFactory

    someone = ParticipantFactory(department=world.dept_a1)
    write_id = str(uuid.uuid4())
    kept_id = str(uuid.uuid4())
    batch = {
        "operations": [
            put(f"/attendance/{write_id}", present(world.participant_a1), "tap"),
            delete(f"/attendance/{write_id}", "undo"),
            put(f"/attendance/{kept_id}", present(someone), "other"),
            delete(f"/attendance/{uuid.uuid4()}", "unknown"),
        ]
    }

    first = expect(api.post("/sync", json=batch), 200)["results"]
    again = expect(api.post("/sync", json=batch), 200)["results"]

    assert [(r["op_id"], r["status"]) for r in first] == [
        ("tap", 201),
        ("undo", 204),
        ("other", 201),
        ("unknown", 404),
    ]
    assert first[1]["body"] is None
    # The late repeat of the undone tap is told it was withdrawn; the undo is done already.
    assert [r["status"] for r in again] == [410, 204, 200, 404]
    assert again[0]["body"]["code"] == 410
    assert again[2]["body"] == first[2]["body"]
    days = db.session.scalars(select(Attendance.participant_id)).all()
    assert days == [someone.id]


def test_ticking_an_action_item_done_travels_in_the_batch(world, as_user):
    leader = as_user(world.leader)
    meeting = expect(
        leader.post(
            f"/participants/{world.participant_a1.id}/meetings",
            json={"scheduled_at": "2026-06-12T10:00:00+02:00", "members": []},
        ),
        201,
    )
    action = expect(
        leader.post(
            f"/meetings/{meeting['id']}/actions",
            json={"description": "Melde på hygienekurs", "responsible": "Tilrettelegger"},
        ),
        201,
    )
    path = f"/meetings/{meeting['id']}/actions/{action['id']}"
    facilitator = as_user(world.facilitator)
    batch = {"operations": [patch(path, {"done": True}, "tick")]}

    first = expect(facilitator.post("/sync", json=batch), 200)["results"]
    again = expect(facilitator.post("/sync", json=batch), 200)["results"]

    assert (first[0]["status"], first[0]["body"]["done"]) == (200, True)
    assert first[0]["body"]["done_by_id"] == str(world.facilitator.id)
    assert again[0] == first[0]  # ticked once: the same moment, by the same person
    changes = select(func.count()).where(ChangeRecord.entity_id == uuid.UUID(action["id"]))
    assert db.session.scalar(changes) == 1
    # Undone the same way; what a PATCH alone refuses, the batch refuses for it.
    undone = expect(
        facilitator.post("/sync", json={"operations": [patch(path, {"done": False})]}), 200
    )
    assert undone["results"][0]["body"]["done"] is False
    wrong = patch(path, {"done": "yes"}, "not-a-boolean")
    refused = expect(facilitator.post("/sync", json={"operations": [wrong]}), 200)["results"]
    assert refused[0]["status"] == 422


def an_action_item(world, as_user) -> str:
    """The path of a new open action item of a meeting of participant a1."""
    leader = as_user(world.leader)
    meeting = expect(
        leader.post(
            f"/participants/{world.participant_a1.id}/meetings",
            json={"scheduled_at": "2026-06-12T10:00:00+02:00", "members": []},
        ),
        201,
    )
    action = expect(
        leader.post(
            f"/meetings/{meeting['id']}/actions",
            json={"description": "Melde på hygienekurs", "responsible": "Tilrettelegger"},
        ),
        201,
    )
    return f"/meetings/{meeting['id']}/actions/{action['id']}"


def minutes(n: int) -> str:
    return (NOW + timedelta(minutes=n)).isoformat()


def test_ticks_of_an_action_item_arriving_out_of_order_leave_the_newest(world, as_user):
    """A phone ticked the item off at 09:40 and opened it again at 09:50; the two arrive
    the wrong way round (another phone's outbox, a retry): the item stays open."""
    path = an_action_item(world, as_user)
    action_id = uuid.UUID(path.rsplit("/", 1)[-1])
    facilitator = as_user(world.facilitator)
    opened = patch(path, {"done": False, "recorded_at": minutes(-10)}, "opened")
    ticked = patch(path, {"done": True, "recorded_at": minutes(-20)}, "ticked")

    results = expect(facilitator.post("/sync", json={"operations": [opened, ticked]}), 200)[
        "results"
    ]
    assert [(r["status"], r["body"]["done"]) for r in results] == [(200, False), (200, False)]
    changes = select(func.count()).where(ChangeRecord.entity_id == action_id)
    assert db.session.scalar(changes) == 0

    # A newer tick stands, and a PATCH alone without recorded_at is made now.
    newer = patch(path, {"done": True, "recorded_at": minutes(-5)})
    assert expect(facilitator.post("/sync", json={"operations": [newer]}), 200)["results"][0][
        "body"
    ]["done"]
    assert expect(facilitator.patch(path, json={"done": False}), 200)["done"] is False
    late = patch(path, {"done": True, "recorded_at": minutes(-1)})
    result = expect(facilitator.post("/sync", json={"operations": [late]}), 200)["results"][0]
    assert (result["status"], result["body"]["done"]) == (200, False)
    assert db.session.scalar(changes) == 2
    future = facilitator.patch(path, json={"done": True, "recorded_at": minutes(30)})
    assert expect(future, 422)["errors"]["json"]["recorded_at"]


def test_an_action_items_patch_in_a_batch_is_only_a_tick(world, as_user):
    """A leader may change the item's text by a PATCH alone (with its checks), never in a
    batch: the batch carries only a tick and when it was made."""
    path = an_action_item(world, as_user)
    leader = as_user(world.leader)
    operations = [
        patch(path, {"description": "Noe annet"}, "text"),
        patch(path, {"done": True, "description": "Noe annet"}, "tick-and-text"),
        patch(path, {"done": "yes"}, "not-a-boolean"),
        patch(path, {}, "empty"),
        {"op_id": "no-body", "method": "PATCH", "path": path},
        patch(path, {"done": True, "recorded_at": "at ten"}, "bad-time"),
        patch(path, {"done": True, "recorded_at": minutes(-1)}, "tick"),
    ]
    results = expect(leader.post("/sync", json={"operations": operations}), 200)["results"]
    assert {r["op_id"]: r["status"] for r in results} == {
        "text": 422,
        "tick-and-text": 422,
        "not-a-boolean": 422,
        "empty": 422,
        "no-body": 422,
        "bad-time": 422,
        "tick": 200,
    }
    assert "only ticked" in results[0]["body"]["message"]
    assert results[5]["body"]["errors"]["json"]["recorded_at"]
    item = results[6]["body"]
    assert (item["done"], item["description"]) == (True, "Melde på hygienekurs")


def test_each_write_goes_only_by_the_method_that_makes_it_safe(api, world):
    """An endpoint is matched for the operation's method; any other pairing is 422."""
    record_id = str(uuid.uuid4())
    expect(api.put(f"/attendance/{record_id}", json=present(world.participant_a1)), 201)
    operations = [
        patch(f"/attendance/{record_id}", {"status": "absent"}, "patch-attendance"),
        delete(f"/followups/{uuid.uuid4()}", "delete-follow-up"),
        put(f"/meetings/{uuid.uuid4()}/actions/{uuid.uuid4()}", {"done": True}, "put-action"),
        patch(f"/participants/{world.participant_a1.id}", {"phone": "91234567"}, "patch-person"),
        delete(f"/participants/{world.participant_a1.id}/leaves/{uuid.uuid4()}", "delete-leave"),
    ]

    results = expect(api.post("/sync", json={"operations": operations}), 200)["results"]

    assert {r["op_id"]: r["status"] for r in results} == {
        "patch-attendance": 422,
        "delete-follow-up": 422,
        "put-action": 422,
        "patch-person": 422,
        "delete-leave": 422,
    }
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 1


def test_a_body_missing_or_out_of_place_is_answered_as_the_write_alone_would_be(api, world):
    record_id = str(uuid.uuid4())
    expect(api.put(f"/attendance/{record_id}", json=present(world.participant_a1)), 201)
    without_body = {"op_id": "put", "method": "PUT", "path": f"/attendance/{uuid.uuid4()}"}
    undo_with_body = {**delete(f"/attendance/{record_id}", "delete"), "body": {"note": "x"}}

    results = expect(api.post("/sync", json={"operations": [without_body, undo_with_body]}), 200)[
        "results"
    ]

    alone = api.put(f"/attendance/{uuid.uuid4()}")
    assert (results[0]["status"], results[0]["body"]) == (alone.status_code, alone.json)
    assert results[0]["status"] in (415, 422)
    assert results[1]["status"] == 204
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 0


def test_tallies_and_their_undo_travel_in_the_batch(api, world):
    """A morning's tallies recorded offline, one undone on the phone after it was sent,
    another retried; the batch sent again changes nothing."""
    walk_in = db.session.scalar(
        select(TallyActivity.id).where(
            TallyActivity.organisation_id == world.org_a.id, TallyActivity.position == 1
        )
    )
    tally = {
        "department_id": str(world.dept_a1.id),
        "activity": str(walk_in),
        "who": "male",
        "date": "2026-06-15",
    }
    kept, undone = str(uuid.uuid4()), str(uuid.uuid4())
    operations = [
        put(f"/tallies/{kept}", {**tally, "first_contact": True}, "kept"),
        put(f"/tallies/{kept}", {**tally, "first_contact": True}, "retried"),
        put(f"/tallies/{undone}", {**tally, "who": "agency", "count": 3}, "undone"),
        delete(f"/tallies/{undone}", "undo"),
        put(f"/tallies/{uuid.uuid4()}", {**tally, "date": "2026-06-16"}, "tomorrow"),
    ]
    results = expect(api.post("/sync", json={"operations": operations}), 200)["results"]
    assert [(r["op_id"], r["status"]) for r in results] == [
        ("kept", 201),
        ("retried", 200),
        ("undone", 201),
        ("undo", 204),
        ("tomorrow", 422),
    ]
    assert results[0]["body"]["first_contact"] is True
    listed = expect(api.get(f"/tallies?department_id={world.dept_a1.id}"), 200)
    assert [t["id"] for t in listed] == [kept]

    again = expect(api.post("/sync", json={"operations": operations}), 200)["results"]
    assert [r["status"] for r in again] == [200, 200, 410, 204, 422]
    assert db.session.scalar(select(func.count()).select_from(Tally)) == 2
    assert expect(api.get(f"/tallies?department_id={world.dept_a1.id}"), 200) == listed
