"""The reminder dispatcher against a real HTTP SMS gateway stand-in on loopback that
records what it receives and can fail or hang."""

import json
import logging
import threading
import time as wall
import uuid
from datetime import date, datetime, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from server.database import db
from server.models import Message, WakeupSchedule
from server.services.jobs.dispatch import dispatch
from tests.conftest import expect

OSLO = ZoneInfo("Europe/Oslo")
MONDAY = date(2026, 6, 15)


def oslo(hour, minute=0, day=MONDAY):
    return datetime.combine(day, time(hour, minute), OSLO)


class Gateway:
    """An SMS gateway stand-in: ``mode`` is "ok", "fail" (HTTP 500) or "hang"."""

    def __init__(self):
        self.mode = "ok"
        self.received: list[dict] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                gateway.received.append(
                    {"headers": dict(self.headers), "body": body, "mode": gateway.mode}
                )
                if gateway.mode == "hang":
                    wall.sleep(1.5)
                status = 500 if gateway.mode == "fail" else 202
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/sms"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def delivered(self) -> list[dict]:
        return [r for r in self.received if r["mode"] == "ok"]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway():
    stand_in = Gateway()
    yield stand_in
    stand_in.close()


@pytest.fixture
def config_overrides(gateway):
    return {
        "SPIRE_SMS_URL": gateway.url,
        "SPIRE_SMS_TOKEN": "hemmelig-token",
        "SPIRE_SMS_SENDER": "Kafeen",
        "SPIRE_SMS_TIMEOUT": 0.5,
    }


@pytest.fixture
def clock():
    with time_machine.travel(oslo(6, 0), tick=False) as traveller:
        yield traveller


@pytest.fixture
def morning(world, clock):
    """Two participants with a 07:00 call, one of them wanting an SMS."""
    for participant, sms in ((world.participant_a1, True), (world.participant_a2, False)):
        participant.phone = "+4791234567" if sms else "+4799887766"
        db.session.add(
            WakeupSchedule(
                participant_id=participant.id,
                weekdays=[1, 2, 3, 4, 5],
                time=time(7),
                sms=sms,
                updated_by_id=world.admin.id,
            )
        )
    db.session.commit()
    return world


def queue_everything():
    """What a dispatcher does before sending: make the day's calls and queue what is due."""
    from server.models import Department
    from server.services.jobs.dispatch import queue_due
    from server.services.wakeups import calls as wakeups

    for department in db.session.scalars(select(Department)):
        wakeups.ensure_calls(department, MONDAY)
    queue_due()
    db.session.commit()


def messages(**where):
    stmt = select(Message).order_by(Message.created_at, Message.kind)
    for field, value in where.items():
        stmt = stmt.where(getattr(Message, field) == value)
    return db.session.scalars(stmt).all()


def test_nothing_before_the_calls_are_due(morning, gateway):
    report = dispatch("one")
    assert (report.queued, report.sent) == (0, 0)
    assert gateway.received == []


def test_due_calls_send_one_sms_and_staff_notices(morning, gateway, clock, as_user):
    clock.move_to(oslo(7, 0))
    report = dispatch("one")
    assert report.sent == 3  # one SMS, two staff notices
    [sms] = gateway.delivered()
    assert sms["body"]["to"] == "+4791234567"
    assert sms["body"]["from"] == "Kafeen"
    assert sms["body"]["text"].startswith("God morgen, PersonA1!")
    assert sms["headers"]["Authorization"] == "Bearer hemmelig-token"
    assert sms["headers"]["Idempotency-Key"] == sms["body"]["reference"]

    api = as_user(morning.facilitator)
    notices = api.get("/notifications", headers={"Accept-Language": "nb"}).json
    assert [n["kind"] for n in notices] == ["call_due"]
    assert notices[0]["text"] == "Vekking: ring PersonA1 Hansen nå (+4791234567)."
    # The same notice, read by someone who reads Danish or English, in their words.
    for language, text in (
        ("da", "Vækkeopkald: ring til PersonA1 Hansen nu (+4791234567)."),
        ("en", "Wake-up: call PersonA1 Hansen now (+4791234567)."),
    ):
        [notice] = api.get("/notifications", headers={"Accept-Language": language}).json
        assert notice["text"] == text

    # The next minute's run sends nothing again.
    clock.move_to(oslo(7, 1))
    assert dispatch("one").sent == 0
    assert len(gateway.received) == 1


def three_unanswered_tries(morning, clock, as_user) -> None:
    """From 07:00: the call is due, nobody answers at 07:01, 07:16 and 07:31, and the
    dispatcher runs 15 minutes after each try."""
    clock.move_to(oslo(7, 0))
    dispatch("one")
    api = as_user(morning.facilitator)
    [call] = api.get("/wakeups", query_string={"department_id": str(morning.dept_a1.id)}).json
    for minute in (1, 16, 31):
        clock.move_to(oslo(7, minute))
        api = as_user(morning.facilitator)  # a token lives 15 minutes
        tried = api.put(
            f"/wakeups/{call['id']}/attempts/{uuid.uuid4()}",
            json={"outcome": "no_answer", "at": oslo(7, minute).isoformat()},
        )
        expect(tried, 201)
        clock.move_to(oslo(7, minute + 15))
        dispatch("one")


def test_no_answer_brings_a_new_notice_and_escalation_a_home_visit(morning, clock, as_user):
    three_unanswered_tries(morning, clock, as_user)
    kinds = [m.kind for m in messages(department_id=morning.dept_a1.id, channel="staff")]
    assert kinds == ["call_due", "call_due", "call_due", "home_visit"]
    texts = [m.text for m in messages(kind="home_visit")]
    assert texts == ["PersonA1 Hansen har ikke svart på 3 vekkingsforsøk. Vurder hjemmebesøk."]
    notices = as_user(morning.facilitator).get("/notifications", headers={"Accept-Language": ""})
    assert expect(notices, 200)[0]["text"] == texts[0]  # the user's language: the org's


def test_a_failing_gateway_is_retried_later_and_delivers_once(morning, gateway, clock):
    clock.move_to(oslo(7, 0))
    gateway.mode = "fail"
    report = dispatch("one")
    assert (report.sent, report.deferred) == (2, 1)  # staff notices went out anyway
    [sms] = messages(channel="sms")
    assert sms.status == "pending" and sms.tries == 1
    assert sms.next_attempt_at > datetime.now(OSLO)
    assert "500" in sms.last_error

    gateway.mode = "ok"
    assert dispatch("one").sent == 0  # not yet: it waits its pause
    clock.move_to(oslo(7, 2))
    assert dispatch("one").sent == 1
    assert len(gateway.delivered()) == 1
    assert messages(channel="sms")[0].status == "sent"


def test_a_hanging_gateway_times_out_and_blocks_nothing(morning, gateway, clock, world):
    # A second SMS participant: after the first hangs, the second waits for the next run.
    world.participant_a2.phone = "+4799887766"
    schedule = db.session.scalars(
        select(WakeupSchedule).where(WakeupSchedule.participant_id == world.participant_a2.id)
    ).one()
    schedule.sms = True
    db.session.commit()
    clock.move_to(oslo(7, 0))
    gateway.mode = "hang"
    started = wall.perf_counter()
    report = dispatch("one")
    assert wall.perf_counter() - started < 1.4  # one timeout, not one per message
    assert report.sent == 2 and report.deferred == 2
    assert len(gateway.received) == 1
    gateway.mode = "ok"
    clock.move_to(oslo(7, 5))
    assert dispatch("one").sent == 2
    references = [r["body"]["reference"] for r in gateway.delivered()]
    assert len(references) == len(set(references)) == 2


def test_without_a_gateway_sms_go_to_the_log_without_personal_data(morning, clock, app, caplog):
    app.config["SPIRE_SMS_URL"] = None
    clock.move_to(oslo(7, 0))
    with caplog.at_level(logging.INFO, logger="spire.messages"):
        assert dispatch("one").sent == 3
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "***67" in logged
    assert "91234567" not in logged and "PersonA1" not in logged


def test_the_command_line(morning, clock, runner):
    clock.move_to(oslo(7, 0))
    result = runner.invoke(args=["wakeups", "dispatch"])
    assert result.exit_code == 0, result.output
    assert "sent 3" in result.output


@pytest.mark.postgres(reason="concurrent dispatchers are tested on PostgreSQL")
def test_two_dispatchers_at_once_send_each_message_once(morning, gateway, clock, app):
    """Many SMS due at once, two dispatchers racing over them."""
    from tests.factories import ParticipantFactory

    for n in range(30):
        person = ParticipantFactory(department=morning.dept_a1, phone=f"+479000{n:04d}")
        db.session.add(
            WakeupSchedule(
                participant_id=person.id,
                weekdays=[1, 2, 3, 4, 5],
                time=time(7),
                sms=True,
                updated_by_id=morning.admin.id,
            )
        )
    db.session.commit()
    clock.move_to(oslo(7, 0))
    queue_everything()
    reports = []
    barrier = threading.Barrier(2)

    def run(name):
        with app.app_context():
            barrier.wait()
            reports.append(dispatch(name))
            db.session.remove()

    threads = [threading.Thread(target=run, args=(name,)) for name in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    references = [r["body"]["reference"] for r in gateway.delivered()]
    assert len(references) == 31
    assert len(set(references)) == 31
    assert sum(r.sent for r in reports) == 31 + 32  # and the staff notices
    assert all(r.sent > 0 for r in reports), "both dispatchers did work"
    assert {m.status for m in messages()} == {"sent"}


def test_stale_claims_are_released(morning, clock):
    clock.move_to(oslo(7, 0))
    queue_everything()
    assert len(messages()) == 3
    for message in messages():
        message.status, message.claimed_at, message.claimed_by = (
            "sending",
            datetime.now(OSLO),
            "died",
        )
    db.session.commit()
    clock.move_to(oslo(7, 5))
    assert dispatch("one").sent == 0
    clock.move_to(oslo(7, 11))
    assert dispatch("one").sent == 3


def test_nothing_is_sent_for_someone_who_already_checked_in(morning, gateway, clock, as_user):
    clock.move_to(oslo(6, 40))
    api = as_user(morning.facilitator)
    checked_in = api.put(
        f"/attendance/{uuid.uuid4()}",
        json={
            "participant_id": str(morning.participant_a1.id),
            "date": "2026-06-15",
            "status": "present",
            "check_in_at": oslo(6, 40).isoformat(),
        },
    )
    expect(checked_in, 201)
    clock.move_to(oslo(7, 0))
    assert dispatch("one").sent == 1  # only participant A2's call, a staff notice
    assert gateway.received == []


def test_a_held_back_sms_is_not_sent_once_the_call_is_answered(morning, gateway, clock, as_user):
    clock.move_to(oslo(7, 0))
    gateway.mode = "fail"
    dispatch("one")
    api = as_user(morning.facilitator)
    [call, *_] = api.get("/wakeups", query_string={"department_id": str(morning.dept_a1.id)}).json
    answered = api.put(
        f"/wakeups/{call['id']}/attempts/{uuid.uuid4()}",
        json={"outcome": "answered_coming", "at": oslo(7, 0).isoformat()},
    )
    expect(answered, 201)
    gateway.mode = "ok"
    clock.move_to(oslo(7, 5))
    dispatch("one")
    assert gateway.delivered() == []
    assert [m.status for m in messages(channel="sms")] == ["cancelled"]


def test_sms_sent_attempt_brings_a_new_notice_when_due_again(morning, clock, as_user):
    clock.move_to(oslo(7, 0))
    dispatch("one")
    api = as_user(morning.facilitator)
    [call] = api.get("/wakeups", query_string={"department_id": str(morning.dept_a1.id)}).json
    texted = api.put(
        f"/wakeups/{call['id']}/attempts/{uuid.uuid4()}",
        json={"outcome": "sms_sent", "at": oslo(7, 1).isoformat()},
    )
    expect(texted, 201)
    clock.move_to(oslo(7, 20))
    dispatch("one")
    notices = messages(department_id=morning.dept_a1.id, channel="staff")
    assert [m.kind for m in notices] == ["call_due", "call_due"]


def test_yesterdays_calls_are_not_queued_again(morning, clock):
    clock.move_to(oslo(7, 0))
    dispatch("one")
    clock.move_to(oslo(6, 0, day=date(2026, 6, 16)))
    assert dispatch("one").queued == 0


def test_a_garbled_gateway_answer_defers_the_message(morning, clock, app):
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)

    def answer_garbage():
        conn, _ = listener.accept()
        conn.recv(65536)
        conn.sendall(b"garbage\r\n\r\n")
        conn.close()

    thread = threading.Thread(target=answer_garbage, daemon=True)
    thread.start()
    app.config["SPIRE_SMS_URL"] = f"http://127.0.0.1:{listener.getsockname()[1]}/sms"
    clock.move_to(oslo(7, 0))
    report = dispatch("one")
    thread.join(timeout=5)
    listener.close()
    assert report.deferred == 1 and report.sent == 2
    assert messages(channel="sms")[0].status == "pending"


def test_reading_notices_is_in_the_access_log(morning, clock, as_user):
    from server.models import AccessLogEntry

    clock.move_to(oslo(7, 0))
    dispatch("one")
    as_user(morning.facilitator).get("/notifications")
    rows = db.session.scalars(
        select(AccessLogEntry).where(AccessLogEntry.resource == "notification")
    ).all()
    assert [r.participant_id for r in rows] == [morning.participant_a1.id]


def test_notices_answer_304_until_a_new_one_is_sent(morning, clock, as_user):
    clock.move_to(oslo(7, 0))
    dispatch("one")
    api = as_user(morning.facilitator)
    first = api.get("/notifications")
    tag = first.headers["ETag"]
    assert [n["kind"] for n in first.json] == ["call_due"]
    assert first.json[0]["participant"] == {
        "id": str(morning.participant_a1.id),
        "first_name": "PersonA1",
        "last_name": "Hansen",
    }
    unchanged = api.get("/notifications", headers={"If-None-Match": tag})
    assert (unchanged.status_code, unchanged.data) == (304, b"")
    assert unchanged.headers["ETag"] == tag
    # The same notices read in another language are another answer.
    danish = api.get("/notifications", headers={"If-None-Match": tag, "Accept-Language": "da"})
    assert danish.status_code == 200

    # Nobody answers at 07:01; 15 minutes on the call is due again: a new notice.
    call_id = api.get("/wakeups", query_string={"department_id": str(morning.dept_a1.id)}).json[0][
        "id"
    ]
    tried = api.put(
        f"/wakeups/{call_id}/attempts/{uuid.uuid4()}",
        json={"outcome": "no_answer", "at": oslo(7, 1).isoformat()},
    )
    expect(tried, 201)
    clock.move_to(oslo(7, 16))
    dispatch("one")
    api = as_user(morning.facilitator)
    renewed = api.get("/notifications", headers={"If-None-Match": tag})
    assert renewed.status_code == 200
    assert [n["kind"] for n in renewed.json] == ["call_due", "call_due"]
    assert renewed.headers["ETag"] != tag


def test_a_phone_catches_up_on_notices_oldest_first_by_since(morning, clock, as_user):
    three_unanswered_tries(morning, clock, as_user)
    api = as_user(morning.facilitator)
    newest_first = api.get("/notifications").json
    assert [n["kind"] for n in newest_first] == ["home_visit", "call_due", "call_due", "call_due"]
    since = newest_first[-1]["sent_at"]  # the first notice: the phone has that one
    caught_up = api.get("/notifications", query_string={"since": since}).json
    assert [n["kind"] for n in caught_up] == ["call_due", "call_due", "home_visit"]
    assert [n["sent_at"] for n in caught_up] == sorted(n["sent_at"] for n in caught_up)


def test_an_early_unanswered_try_brings_no_notice_before_the_call_is_due(morning, clock, as_user):
    api = as_user(morning.facilitator)
    listed = api.get("/wakeups", query_string={"department_id": str(morning.dept_a1.id)})
    assert listed.status_code == 200
    [call] = listed.json
    clock.move_to(oslo(6, 30))
    api = as_user(morning.facilitator)
    tried = api.put(
        f"/wakeups/{call['id']}/attempts/{uuid.uuid4()}",
        json={"outcome": "no_answer", "at": oslo(6, 30).isoformat()},
    )
    assert tried.status_code == 201, tried.json
    clock.move_to(oslo(6, 50))
    dispatch("one")
    assert messages(department_id=morning.dept_a1.id, channel="staff") == []
    clock.move_to(oslo(7, 0))
    dispatch("one")
    [notice] = messages(department_id=morning.dept_a1.id, channel="staff")
    assert notice.kind == "call_due"
