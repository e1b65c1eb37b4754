"""The per-request time budget: a request that would run past it is stopped by Spire and
answered 503 in the envelope, with nothing of it stored, long before gunicorn would kill
the worker."""

import time
import uuid

import pytest
from sqlalchemy import create_engine, text

from server.resources.sync import dispatch as sync_service
from server.services import participants as participants_service
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


def new_participant(world) -> dict:
    return {
        "first_name": "Sen",
        "last_name": "Svar",
        "department_id": str(world.dept_a1.id),
        "gender": "unspecified",
        "start_date": "2026-01-05",
        "consent_nav_reporting": False,
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
    response = api.post("/participants", json=new_participant(world))
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
    assert again.status_code == 200
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


@pytest.mark.postgres(reason="statement cancellation is PostgreSQL's")
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


@pytest.mark.postgres(reason="a commit that takes long is made on PostgreSQL")
def test_time_running_out_during_the_commit_does_not_deny_what_was_stored(world, as_user):
    """A deferred check makes the COMMIT itself take longer than the budget: the commit
    is never interrupted, so the answer is the ordinary 201, not a 503 that would make the
    caller register the participant twice."""
    api = as_user(world.leader)
    engine = create_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(
            text(
                "CREATE OR REPLACE FUNCTION slow_commit() RETURNS trigger AS $$ "
                "BEGIN PERFORM pg_sleep(1.0); RETURN NULL; END $$ LANGUAGE plpgsql"
            )
        )
        connection.execute(
            text(
                "CREATE CONSTRAINT TRIGGER slow_commit AFTER INSERT ON participants "
                "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION slow_commit()"
            )
        )
    try:
        response = api.post("/participants", json=new_participant(world))
        assert response.status_code == 201, response.json
        assert table_counts()["participants"] == 4
        assert api.get("/participants").status_code == 200
    finally:
        with engine.begin() as connection:
            connection.execute(text("DROP TRIGGER slow_commit ON participants"))
            connection.execute(text("DROP FUNCTION slow_commit()"))
        engine.dispose()


def test_an_error_answered_as_time_runs_out_keeps_its_own_status(world, as_user, monkeypatch):
    """Time running out while an error is answered (a 422, or a 403 with its security
    event to write) changes nothing: the error is answered as it is, never a 500."""
    import server.web.errors as errors
    from server.services.common.errors import Invalid

    api = as_user(world.leader)
    real_envelope = errors.envelope

    def slow_envelope(*args, **kwargs):
        time.sleep(BUDGET + 0.2)
        return real_envelope(*args, **kwargs)

    def refused(*args, **kwargs):
        raise Invalid({"q": "Not like that."})

    monkeypatch.setattr(participants_service, "list_participants", refused)
    monkeypatch.setattr(errors, "envelope", slow_envelope)
    response = api.get("/participants")
    assert response.status_code == 422, response.json
    assert response.json["errors"]["query"] == {"q": ["Not like that."]}


def test_a_refusal_after_the_budget_is_still_a_403_in_any_thread(world, as_user, monkeypatch):
    """The threaded development server has no timer: there the budget stops a request at
    its next statement, and the refusal's security event is such a statement; it is still
    written, and the answer is the 403. (With the timer, the request is stopped while it
    is stuck, before it refuses anything: a 503.)"""
    import threading

    import server.extensions.smorest as smorest
    from server.services.common.errors import Forbidden

    api = as_user(world.facilitator)

    def slow_refusal(actor, *roles):
        time.sleep(BUDGET + 0.2)
        raise Forbidden()

    monkeypatch.setattr(smorest, "require_role", slow_refusal)
    answers = []
    worker = threading.Thread(target=lambda: answers.append(api.get("/users").status_code))
    worker.start()
    worker.join()
    answers.append(api.get("/users").status_code)
    assert answers == [403, 503]


def test_a_batch_whose_time_runs_out_between_writes_answers_each(world, as_user, monkeypatch):
    """Time running out in the batch's own code, after a write that was refused, still
    ends in the batch's answer: the writes that ran say what they did, the rest 503."""
    api = as_user(world.facilitator)
    monkeypatch.setattr(sync_service, "MARGIN_SECONDS", 0.05)
    real_run = sync_service.run_operation
    ran = []

    def slow_after_second(*args, **kwargs):
        answer = real_run(*args, **kwargs)
        ran.append(answer[0])
        if len(ran) == 2:
            time.sleep(BUDGET + 0.2)
        return answer

    monkeypatch.setattr(sync_service, "run_operation", slow_after_second)
    refused = {**check_in(world.participant_a1), "date": "2099-01-01"}
    operations = [
        {"op_id": str(n), "method": "PUT", "path": f"/attendance/{uuid.uuid4()}", "body": body}
        for n, body in enumerate([check_in(world.participant_a1), refused, refused])
    ]
    response = api.post("/sync", json={"operations": operations})
    assert response.status_code == 200, response.json
    assert [r["status"] for r in response.json["results"]] == [201, 422, 503]
    assert table_counts()["attendance"] == 1
