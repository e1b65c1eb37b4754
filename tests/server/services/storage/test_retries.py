"""Many phones writing the same participant's day (or the same follow-up) at once end in
exactly one record, with no error to any of them. Needs PostgreSQL (real concurrent
transactions)."""

import threading
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import func, select

from server import clock
from server.database import db
from server.models import (
    Attendance,
    AttendanceWrite,
    ChangeRecord,
    FollowUp,
    GroupMember,
    Meeting,
)
from shared import attendance_rule
from tests.conftest import login

pytestmark = pytest.mark.postgres(reason="concurrent transactions are tested on PostgreSQL")


@pytest.fixture(autouse=True)
def mid_morning():
    """A fixed day, well away from midnight (the test subtracts minutes from now)."""
    with time_machine.travel(datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Europe/Oslo"))):
        yield


def at_once(app, token: str, count: int, method, path, body) -> list[tuple[int, dict]]:
    """``count`` phones sending one request each, released at the same moment; their
    answers. ``path`` and ``body`` are functions of the phone's number, and so may
    ``method`` be."""
    results = []
    barrier = threading.Barrier(count)

    def phone(n: int):
        client = app.test_client()
        barrier.wait()
        response = client.open(
            f"/api/v1{path(n)}",
            method=method(n) if callable(method) else method,
            json=body(n),
            headers={"Authorization": f"Bearer {token}"},
        )
        results.append((response.status_code, response.get_json(silent=True)))

    threads = [threading.Thread(target=phone, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_concurrent_writes_for_one_day_make_one_record(app, world):
    token = login(app.test_client(), world.facilitator.username)["access_token"]
    now = clock.now()
    local = now.astimezone(ZoneInfo("Europe/Oslo"))
    results = at_once(
        app,
        token,
        8,
        "PUT",
        lambda n: f"/attendance/{uuid.uuid4()}",
        lambda n: {
            "participant_id": str(world.participant_a1.id),
            "date": local.date().isoformat(),
            "status": "present",
            "check_in_at": (now - timedelta(minutes=n)).isoformat(),
        },
    )

    statuses = sorted(status for status, _ in results)
    assert statuses == [200] * 7 + [201], results
    ids = {body["id"] for _, body in results}
    assert len(ids) == 1
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 1
    assert db.session.scalar(select(func.count()).select_from(AttendanceWrite)) == 8
    record = db.session.scalars(select(Attendance)).one()
    earliest = now - timedelta(minutes=7)
    assert abs((record.check_in_at - earliest).total_seconds()) < 1
    assert isinstance(record.check_in_at, datetime)


def test_an_undo_and_new_taps_at_once_leave_the_new_taps(app, world):
    """One phone undoes the day's only write while five others check the participant in:
    whichever comes first, the day ends with one record made of the five, and no phone
    sees an error."""
    token = login(app.test_client(), world.facilitator.username)["access_token"]
    now = clock.now()
    day = now.astimezone(ZoneInfo("Europe/Oslo")).date().isoformat()

    def tap(minutes_ago: int) -> dict:
        return {
            "participant_id": str(world.participant_a1.id),
            "date": day,
            "status": "present",
            "check_in_at": (now - timedelta(minutes=minutes_ago)).isoformat(),
        }

    mistaken = str(uuid.uuid4())
    response = app.test_client().put(
        f"/api/v1/attendance/{mistaken}", json=tap(60), headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 201
    taps = [str(uuid.uuid4()) for _ in range(5)]

    results = at_once(
        app,
        token,
        6,
        lambda n: "DELETE" if n == 0 else "PUT",
        lambda n: f"/attendance/{mistaken if n == 0 else taps[n - 1]}",
        lambda n: None if n == 0 else tap(n),
    )

    statuses = sorted(status for status, _ in results)
    assert statuses[-1] == 204 and set(statuses[:-1]) <= {200, 201}, results
    assert statuses.count(201) <= 1
    db.session.expire_all()
    record = db.session.scalars(select(Attendance)).one()
    assert abs((record.check_in_at - (now - timedelta(minutes=5))).total_seconds()) < 1
    live = select(func.count()).where(
        AttendanceWrite.attendance_id == record.id, AttendanceWrite.withdrawn_at.is_(None)
    )
    assert db.session.scalar(live) == 5


def _withdraw_racing_merges(app, world, token: str, day) -> None:
    """One day's round: two check-ins, then one of them undone while three writes join."""
    zone = ZoneInfo("Europe/Oslo")

    def body(hour: int, minute: int = 0, times=(), **fields) -> dict:
        moment = datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)
        return {
            "participant_id": str(world.participant_a1.id),
            "date": day.isoformat(),
            "status": "present",
            **{field: moment.isoformat() for field in times},
            "recorded_at": moment.isoformat(),
            **fields,
        }

    undone, kept = str(uuid.uuid4()), str(uuid.uuid4())
    for write_id, hour in ((undone, 8), (kept, 9)):
        response = app.test_client().put(
            f"/api/v1/attendance/{write_id}",
            json=body(hour, times=["check_in_at"]),
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code in (200, 201), response.json
    joining = [
        body(9, 30, times=["check_in_at"]),
        body(15, times=["check_out_at"]),
        body(16, status="absent", absence_reason="sick"),
    ]
    results = at_once(
        app,
        token,
        4,
        lambda n: "DELETE" if n == 0 else "PUT",
        lambda n: f"/attendance/{undone if n == 0 else uuid.uuid4()}",
        lambda n: None if n == 0 else joining[n - 1],
    )

    assert sorted(status for status, _ in results) == [200, 200, 200, 204], results
    db.session.expire_all()
    record = db.session.scalars(
        select(Attendance).where(
            Attendance.participant_id == world.participant_a1.id, Attendance.date == day
        )
    ).one()
    live = db.session.execute(
        select(AttendanceWrite.id, AttendanceWrite.body, AttendanceWrite.recorded_at).where(
            AttendanceWrite.attendance_id == record.id, AttendanceWrite.withdrawn_at.is_(None)
        )
    ).all()
    assert len(live) == 4 and uuid.UUID(undone) not in {write.id for write in live}
    expected = attendance_rule.combine(live)
    assert (record.status, record.absence_reason) == ("absent", "sick")
    assert (record.check_in_at, record.check_out_at) == (
        expected.check_in_at,
        expected.check_out_at,
    )
    assert record.check_in_at.astimezone(zone).hour == 9  # the 08:00 one was undone


def test_a_withdraw_racing_merges_for_the_same_day_leaves_the_rule_of_what_is_left(app, world):
    """A day with two phones' check-ins: one is undone while three more writes join the
    day, all at once, on several days in turn. Every day ends as the one rule makes it
    of the writes left (the undone one's earlier check-in is gone), and no phone sees an
    error."""
    token = login(app.test_client(), world.facilitator.username)["access_token"]
    today = clock.now().astimezone(ZoneInfo("Europe/Oslo")).date()
    for days_ago in range(1, 6):
        _withdraw_racing_merges(app, world, token, today - timedelta(days=days_ago))


def test_the_same_undo_sent_at_once_is_done_once(app, world):
    token = login(app.test_client(), world.facilitator.username)["access_token"]
    now = clock.now()
    write_id = str(uuid.uuid4())
    response = app.test_client().put(
        f"/api/v1/attendance/{write_id}",
        json={
            "participant_id": str(world.participant_a1.id),
            "date": now.astimezone(ZoneInfo("Europe/Oslo")).date().isoformat(),
            "status": "present",
            "check_in_at": (now - timedelta(minutes=30)).isoformat(),
        },
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201

    results = at_once(app, token, 4, "DELETE", lambda n: f"/attendance/{write_id}", lambda n: None)

    assert [status for status, _ in results] == [204] * 4, results
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 0
    changes = select(func.count()).where(ChangeRecord.entity_id == uuid.UUID(write_id))
    assert db.session.scalar(changes) == 1


def test_a_follow_up_retried_at_once_from_several_phones_is_stored_once(app, world):
    """The phone's retry can overtake the first request: the same id at the same time."""
    token = login(app.test_client(), world.facilitator.username)["access_token"]
    followup_id = uuid.uuid4()
    body = {
        "participant_id": str(world.participant_a1.id),
        "kind": "phone",
        "occurred_at": (clock.now() - timedelta(minutes=5)).isoformat(),
        "note": "Ringte om morgenen.",
    }
    results = at_once(app, token, 6, "PUT", lambda n: f"/followups/{followup_id}", lambda n: body)

    assert sorted(status for status, _ in results) == [200] * 5 + [201], results
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(FollowUp)) == 1


def test_a_meeting_planned_at_once_from_several_phones_is_made_once(app, world):
    token = login(app.test_client(), world.leader.username)["access_token"]
    body = {
        "id": str(uuid.uuid4()),
        "scheduled_at": (clock.now() + timedelta(days=7)).isoformat(),
        "members": [{"name": "Kari Nordmann", "organisation": "NAV Songdalen"}],
    }
    path = f"/participants/{world.participant_a1.id}/meetings"
    results = at_once(app, token, 4, "POST", lambda n: path, lambda n: body)

    assert sorted(status for status, _ in results) == [200] * 3 + [201], results
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Meeting)) == 1
    assert db.session.scalar(select(func.count()).select_from(GroupMember)) == 1
