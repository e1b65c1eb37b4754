"""Undoing a mistaken tap: DELETE /attendance/{id} withdraws what one client write id said,
the day is computed again from the other ids, and a late repeat of the withdrawn write
does not bring it back."""

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import func, select

from server.database import db
from server.models import AccessLogEntry, Attendance, AttendanceWrite, ChangeRecord
from tests.conftest import expect

OSLO = ZoneInfo("Europe/Oslo")
NOW = datetime(2026, 6, 15, 10, 0, tzinfo=OSLO)  # a Monday
TODAY = NOW.date().isoformat()


def at(hour, minute=0):
    return NOW.replace(hour=hour, minute=minute).isoformat()


def utc(moment: str) -> str:
    return datetime.fromisoformat(moment).astimezone(UTC).isoformat()


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def api(world, as_user):
    return as_user(world.facilitator)


@pytest.fixture
def pid(world):
    return str(world.participant_a1.id)


def check_in(pid, hour=9, minute=0, **extra):
    return {
        "participant_id": pid,
        "date": TODAY,
        "status": "present",
        "check_in_at": at(hour, minute),
        **extra,
    }


def records():
    return db.session.scalar(select(func.count()).select_from(Attendance))


def logged(pid, action):
    return db.session.scalar(
        select(func.count())
        .select_from(AccessLogEntry)
        .where(AccessLogEntry.participant_id == uuid.UUID(pid), AccessLogEntry.action == action)
    )


def day_of(api, pid):
    return api.get(
        "/attendance", query_string={"participant_id": pid, "from": TODAY, "to": TODAY}
    ).json


def test_undoing_the_days_only_write_leaves_the_day_without_a_record(api, pid, world):
    write_id = str(uuid.uuid4())
    expect(api.put(f"/attendance/{write_id}", json=check_in(pid, note="Feil person")), 201)

    undone = api.delete(f"/attendance/{write_id}")

    assert (undone.status_code, undone.data) == (204, b"")
    assert records() == 0
    assert day_of(api, pid) == []
    today = api.get("/today", query_string={"department_id": str(world.dept_a1.id)}).json
    [row] = [p for p in today["participants"] if p["participant"]["id"] == pid]
    assert row["attendance"] is None
    # What the day was goes to the history, as every correction's earlier values do.
    [change] = db.session.scalars(
        select(ChangeRecord).where(ChangeRecord.entity_id == uuid.UUID(write_id))
    ).all()
    assert change.user_id == world.facilitator.id
    assert change.changes["status"] == ["present", None]
    assert change.changes["check_in_at"] == [utc(at(9)), None]
    assert change.changes["note"] == ["Feil person", None]
    assert logged(pid, "update") == 1
    # The write id is kept, marked withdrawn, with its participant and day.
    write = db.session.get(AttendanceWrite, uuid.UUID(write_id))
    assert write.withdrawn_at is not None and write.attendance_id is None
    assert (str(write.participant_id), write.date.isoformat()) == (pid, TODAY)
    # The id no longer names a record.
    assert api.get(f"/attendance/{write_id}").status_code == 404


def test_undoing_again_is_204_and_changes_nothing(api, pid):
    write_id = str(uuid.uuid4())
    expect(api.put(f"/attendance/{write_id}", json=check_in(pid)), 201)
    expect(api.delete(f"/attendance/{write_id}"), 204)
    changes = db.session.scalar(select(func.count()).select_from(ChangeRecord))

    again = api.delete(f"/attendance/{write_id}")

    assert again.status_code == 204
    assert db.session.scalar(select(func.count()).select_from(ChangeRecord)) == changes
    assert logged(pid, "update") == 1


def test_a_late_repeat_of_the_withdrawn_write_does_not_bring_it_back(api, pid, frozen_clock):
    write_id = str(uuid.uuid4())
    tapped = check_in(pid, recorded_at=at(9))
    expect(api.put(f"/attendance/{write_id}", json=tapped), 201)
    expect(api.delete(f"/attendance/{write_id}"), 204)

    late = api.put(f"/attendance/{write_id}", json=tapped)

    assert late.status_code == 410
    assert late.json["code"] == 410 and late.json["message"]
    assert records() == 0
    # Without recorded_at, the same body is a repeat too.
    plain_id = str(uuid.uuid4())
    expect(api.put(f"/attendance/{plain_id}", json=check_in(pid, 9, 30)), 201)
    expect(api.delete(f"/attendance/{plain_id}"), 204)
    frozen_clock.shift(timedelta(minutes=5))
    assert api.put(f"/attendance/{plain_id}", json=check_in(pid, 9, 30)).status_code == 410
    # An earlier version of the withdrawn write arriving late is no newer decision.
    stale = check_in(pid, 8, 50, recorded_at=at(8, 55))
    assert api.put(f"/attendance/{write_id}", json=stale).status_code == 410
    assert records() == 0


def test_the_phone_brings_a_withdrawn_id_back_with_a_newer_decision(api, pid):
    write_id = str(uuid.uuid4())
    expect(api.put(f"/attendance/{write_id}", json=check_in(pid, recorded_at=at(9))), 201)
    expect(api.delete(f"/attendance/{write_id}"), 204)

    again = api.put(f"/attendance/{write_id}", json=check_in(pid, recorded_at=at(9, 40)))

    assert again.status_code == 201
    assert again.json["id"] == write_id
    assert again.json["check_in_at"] == utc(at(9))
    assert records() == 1
    # Another body without recorded_at is a new decision too.
    other_id = str(uuid.uuid4())
    expect(api.put(f"/attendance/{other_id}", json=check_in(pid, 9, 10)), 200)
    expect(api.delete(f"/attendance/{other_id}"), 204)
    back = api.put(f"/attendance/{other_id}", json=check_in(pid, 8, 50))
    assert (back.status_code, back.json["id"]) == (200, write_id)
    assert back.json["check_in_at"] == utc(at(8, 50))


def test_undoing_one_of_two_phones_computes_the_day_from_the_other(api, pid, world, as_user):
    phone_a, phone_b = str(uuid.uuid4()), str(uuid.uuid4())
    expect(api.put(f"/attendance/{phone_a}", json=check_in(pid, 9, 5, note="Kom med bussen")), 201)
    leader = as_user(world.leader)
    merged = {**check_in(pid, 8, 55), "check_out_at": at(9, 30), "note": "Hentet"}
    expect(leader.put(f"/attendance/{phone_b}", json=merged), 200)

    expect(leader.delete(f"/attendance/{phone_b}"), 204)

    [day] = day_of(api, pid)
    assert day["id"] == phone_a
    assert day["check_in_at"] == utc(at(9, 5))
    assert day["check_out_at"] is None
    assert day["note"] == "Kom med bussen"
    assert day["version"] == 3
    history = api.get(f"/attendance/{phone_a}").json["history"]
    assert history[-1]["user_id"] == str(world.leader.id)
    assert history[-1]["changes"]["check_out_at"] == [utc(at(9, 30)), None]
    # Undoing the first phone's write, whose id the record carries, removes the day.
    expect(api.delete(f"/attendance/{phone_a}"), 204)
    assert records() == 0
    # A new tap records the day again, with its own id.
    new_id = str(uuid.uuid4())
    fresh = expect(api.put(f"/attendance/{new_id}", json=check_in(pid, 9, 15)), 201)
    assert fresh["id"] == new_id and fresh["note"] is None
    # The withdrawn ids are not counted into it, and stay withdrawn.
    assert api.put(f"/attendance/{phone_b}", json=merged).status_code == 410
    [day] = day_of(api, pid)
    assert day["check_in_at"] == utc(at(9, 15))


def test_an_absence_undone_leaves_the_check_in_of_another_phone(api, pid):
    """Two phones: one checked the participant in, the other marked them absent by mistake
    (recorded later, so its status won). Undoing the absence brings back the presence."""
    expect(api.put(f"/attendance/{uuid.uuid4()}", json=check_in(pid, recorded_at=at(9))), 201)
    mistake = str(uuid.uuid4())
    absent = {
        "participant_id": pid,
        "date": TODAY,
        "status": "absent",
        "absence_reason": "sick_child",
        "recorded_at": at(9, 10),
    }
    marked = expect(api.put(f"/attendance/{mistake}", json=absent), 200)
    assert (marked["status"], marked["absence_reason"]) == ("absent", "sick_child")

    expect(api.delete(f"/attendance/{mistake}"), 204)

    [day] = day_of(api, pid)
    assert (day["status"], day["absence_reason"]) == ("present", None)
    assert day["check_in_at"] == utc(at(9))


def test_an_id_never_written_or_out_of_sight_is_404(api, world, as_user):
    assert api.delete(f"/attendance/{uuid.uuid4()}").status_code == 404
    elsewhere = str(uuid.uuid4())
    other_department = as_user(world.facilitator_a2)
    expect(
        other_department.put(
            f"/attendance/{elsewhere}", json=check_in(str(world.participant_a2.id))
        ),
        201,
    )
    refused = api.delete(f"/attendance/{elsewhere}")
    unknown = api.delete(f"/attendance/{uuid.uuid4()}")
    # The same answer as for an id never written: nothing says the id exists.
    assert refused.status_code == 404
    assert refused.json["message"] == unknown.json["message"]
    assert as_user(world.admin_b).delete(f"/attendance/{elsewhere}").status_code == 404
    assert records() == 1
    # The department's own staff may.
    expect(other_department.delete(f"/attendance/{elsewhere}"), 204)
    assert records() == 0


def test_a_withdrawn_id_is_not_used_for_another_participant_or_day(api, pid, world):
    write_id = str(uuid.uuid4())
    expect(api.put(f"/attendance/{write_id}", json=check_in(pid)), 201)
    expect(api.delete(f"/attendance/{write_id}"), 204)
    someone_else = check_in(str(world.participant_a1.id), recorded_at=at(9, 50))
    yesterday = {**someone_else, "date": "2026-06-12", "check_in_at": "2026-06-12T09:00:00+02:00"}
    assert api.put(f"/attendance/{write_id}", json=yesterday).status_code == 409


def test_the_withdrawn_write_is_in_the_participants_export(api, pid, world, as_user):
    write_id = str(uuid.uuid4())
    expect(api.put(f"/attendance/{write_id}", json=check_in(pid, note="Feil person")), 201)
    expect(api.delete(f"/attendance/{write_id}"), 204)
    export = as_user(world.leader).get(f"/participants/{pid}/export?reason=Innsyn").json
    assert export["attendance"] == []
    [write] = export["withdrawn_attendance_writes"]
    assert write["id"] == write_id
    assert write["body"]["note"] == "Feil person"
    assert write["withdrawn_at"]
