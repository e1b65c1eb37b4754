"""The per-request time budget: a request that would run past it is stopped by Spire and
answered 503 in the envelope, with nothing of it stored, long before gunicorn would kill
the worker."""

import time
import uuid

import pytest
from sqlalchemy import create_engine, text

from server.services import participants as participants_service
from server.services import sync as sync_service
from tests.conftest import POSTGRES_URL, table_counts

BUDGET = 0.5


@pytest.fixture
def config_overrides():
    return {"SPIRE_REQUEST_BUDGET_SECONDS": BUDGET}


def check_in(participant) -> dict:
    from server import clock

    return {
        "participant_id": str(participant.id),
        "date": clock.local_date(clock.now(), "Europe/Oslo").isoformat(),
        "status": "present",
    }


def assert_out_of_time(response, started: float) -> None:
    assert response.status_code == 503, response.json
    assert response.json["code"] == 503
    assert "too long" in response.json["message"]
    assert response.headers["Retry-After"] == "1"
    assert time.monotonic() - started < BUDGET + 1.5


def test_a_request_stuck_in_python_is_stopped(world, as_user, monkeypatch):
    api = as_user(world.leader)

    def stuck(*args, **kwargs):
        time.sleep(10)

    monkeypatch.setattr(participants_service, "list_participants", stuck)
    started = time.monotonic()
    response = api.get("/participants")
    assert_out_of_time(response, started)
    # The worker goes on serving: the next request has a budget of its own.
    monkeypatch.undo()
    assert api.get("/participants").status_code == 200


def test_a_request_that_has_stored_its_change_is_let_finish(world, as_user, monkeypatch):
    """A 503 always means nothing was stored: once the change is committed, running late
    (here, after the commit) ends in the ordinary answer, not in a 503 that would make the
    caller send a second participant."""
    api = as_user(world.leader)
    real_create = participants_service.create_participant

    def slow_after_commit(actor, data):
        created = real_create(actor, data)
        time.sleep(BUDGET + 0.3)
        return created

    monkeypatch.setattr(participants_service, "create_participant", slow_after_commit)
    response = api.post(
        "/participants",
        json={
            "first_name": "Sen",
            "last_name": "Svar",
            "department_id": str(world.dept_a1.id),
            "gender": "unspecified",
            "start_date": "2026-01-05",
            "consent_nav_reporting": False,
        },
    )
    assert response.status_code == 201, response.json
    assert table_counts()["participants"] == 4
    # The next request has a budget of its own, and is stopped when it runs past it.
    monkeypatch.setattr(participants_service, "list_participants", lambda *a, **k: time.sleep(10))
    assert api.get("/participants").status_code == 503


def test_a_batch_stops_in_time_and_says_which_writes_did_not_run(world, as_user, monkeypatch):
    """The write under way when time runs out is rolled back; those after it are not
    started; what ran before stays stored. Each says so, so the phone sends the rest again."""
    from server.services import attendance

    api = as_user(world.facilitator)
    monkeypatch.setattr(sync_service, "MARGIN_SECONDS", 0.05)
    real_write = attendance.write
    calls = []

    def second_write_hangs(actor, write_id, body):
        calls.append(write_id)
        if len(calls) == 2:
            time.sleep(10)
        return real_write(actor, write_id, body)

    monkeypatch.setattr(attendance, "write", second_write_hangs)
    people = [world.participant_a1]
    from tests.factories import ParticipantFactory

    people += [ParticipantFactory(department=world.dept_a1) for _ in range(2)]
    operations = [
        {"op_id": str(n), "method": "PUT", "path": f"/attendance/{uuid.uuid4()}", "body": body}
        for n, body in enumerate(check_in(p) for p in people)
    ]
    started = time.monotonic()
    response = api.post("/sync", json={"operations": operations})
    assert response.status_code == 200
    assert [r["status"] for r in response.json["results"]] == [201, 503, 503]
    assert len(calls) == 2
    assert time.monotonic() - started < BUDGET + 1.5
    assert table_counts()["attendance"] == 1
    # Sent again, the two that did not run are stored.
    monkeypatch.setattr(attendance, "write", real_write)
    again = api.post("/sync", json={"operations": operations[1:]})
    assert [r["status"] for r in again.json["results"]] == [201, 201]


def test_a_batch_with_no_time_left_runs_nothing(world, as_user, monkeypatch):
    api = as_user(world.facilitator)
    monkeypatch.setattr(sync_service, "MARGIN_SECONDS", BUDGET + 1)
    operation = {
        "op_id": "1",
        "method": "PUT",
        "path": f"/attendance/{uuid.uuid4()}",
        "body": check_in(world.participant_a1),
    }
    response = api.post("/sync", json={"operations": [operation]})
    assert response.status_code == 200
    (result,) = response.json["results"]
    assert result["status"] == 503
    assert result["body"]["code"] == 503
    assert table_counts()["attendance"] == 0


@pytest.mark.skipif(not POSTGRES_URL, reason="statement cancellation is PostgreSQL's")
@pytest.mark.parametrize("path", ["participants", "first-check-in"])
def test_a_statement_waiting_on_a_lock_is_cancelled_and_the_connection_lives(world, as_user, path):
    """A transaction left open elsewhere holds the participants table; the request waits
    for it in the database, the budget cancels its statement (on SQLAlchemy's path and on
    the driver's), and the pooled connection serves the next request."""
    api = as_user(world.facilitator)
    holder = create_engine(POSTGRES_URL)

    def send():
        if path == "participants":
            return api.get("/participants")
        return api.put(f"/attendance/{uuid.uuid4()}", json=check_in(world.participant_a1))

    with holder.connect() as blocking:
        blocking.execute(text("LOCK TABLE participants IN ACCESS EXCLUSIVE MODE"))
        started = time.monotonic()
        response = send()
        assert_out_of_time(response, started)
        blocking.rollback()
    holder.dispose()
    assert table_counts()["attendance"] == 0
    assert send().status_code == {"participants": 200, "first-check-in": 201}[path]
