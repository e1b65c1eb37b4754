"""Attendance through HTTP: idempotent writes by client id, corrections with history,
merging of two phones' writes, the local date, and the rules a write must keep."""

import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import func, select

from server.database import db
from server.models import AccessLogEntry, Attendance, AttendanceWrite, ChangeRecord
from server.services.common import access_log
from tests.conftest import expect
from tests.querycount import count_queries

OSLO = ZoneInfo("Europe/Oslo")
# A Monday in summer time.
NOW = datetime(2026, 6, 15, 10, 0, tzinfo=OSLO)
TODAY = NOW.date()


def at(hour, minute=0, day=TODAY):
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=OSLO).isoformat()


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
        "date": NOW.date().isoformat(),
        "status": "present",
        "check_in_at": at(hour, minute),
        **extra,
    }


def rows_for(pid):
    return db.session.scalar(
        select(func.count()).select_from(Attendance).where(Attendance.participant_id == pid)
    )


def test_create_then_repeat_is_harmless(api, pid):
    write_id = str(uuid.uuid4())
    first = api.put(f"/attendance/{write_id}", json=check_in(pid))
    assert first.status_code == 201
    assert first.json["id"] == write_id
    assert first.json["status"] == "present"
    repeat = api.put(f"/attendance/{write_id}", json=check_in(pid))
    assert repeat.status_code == 200
    assert repeat.json == first.json
    assert rows_for(uuid.UUID(pid)) == 1


def test_same_id_with_another_body_is_a_correction_with_history(api, pid, world):
    write_id = str(uuid.uuid4())
    expect(api.put(f"/attendance/{write_id}", json=check_in(pid)), 201)
    corrected = api.put(
        f"/attendance/{write_id}",
        json={
            "participant_id": pid,
            "date": NOW.date().isoformat(),
            "status": "absent",
            "absence_reason": "sick",
            "note": "Ringte inn syk",
        },
    )
    assert corrected.status_code == 200
    assert corrected.json["status"] == "absent"
    assert corrected.json["absence_reason"] == "sick"
    assert corrected.json["check_in_at"] is None
    assert corrected.json["version"] == 2

    detail = api.get(f"/attendance/{write_id}").json
    assert len(detail["history"]) == 1
    change = detail["history"][0]
    assert change["user_id"] == str(world.facilitator.id)
    assert change["changes"]["status"] == ["present", "absent"]
    assert change["changes"]["check_in_at"][1] is None


def test_two_phones_merge_into_one_record(api, pid, world, as_user):
    phone_a, phone_b = str(uuid.uuid4()), str(uuid.uuid4())
    expect(api.put(f"/attendance/{phone_a}", json=check_in(pid, 9, 5, note="Kom med bussen")), 201)
    other = as_user(world.leader)
    merged = other.put(
        f"/attendance/{phone_b}",
        json={**check_in(pid, 8, 55), "check_out_at": at(9, 30), "note": "Hentet"},
    )
    assert merged.status_code == 200
    body = merged.json
    assert body["id"] == phone_a  # the surviving record
    assert body["check_in_at"] == datetime.fromisoformat(at(8, 55)).astimezone(UTC).isoformat()
    assert body["check_out_at"] == datetime.fromisoformat(at(9, 30)).astimezone(UTC).isoformat()
    assert sorted(body["note"].split("\n")) == ["Hentet", "Kom med bussen"]
    assert rows_for(uuid.UUID(pid)) == 1
    # Phone B retrying its write gets the same surviving record, not a second one.
    again = other.put(
        f"/attendance/{phone_b}",
        json={**check_in(pid, 8, 55), "check_out_at": at(9, 30), "note": "Hentet"},
    )
    assert again.status_code == 200 and again.json["id"] == phone_a
    # And the merged-in id reads as the surviving record.
    assert api.get(f"/attendance/{phone_b}").json["id"] == phone_a


def test_newest_status_wins_whatever_the_arrival_order(api, pid):
    """Phone B marked "no show" at 08:30 while offline; phone A checked in at 09:00 and
    synced first. B's older decision arriving later does not undo the check-in."""
    expect(
        api.put(
            f"/attendance/{uuid.uuid4()}", json={**check_in(pid, 9, 0), "recorded_at": at(9, 0)}
        ),
        201,
    )
    late = api.put(
        f"/attendance/{uuid.uuid4()}",
        json={
            "participant_id": pid,
            "date": NOW.date().isoformat(),
            "status": "absent",
            "absence_reason": "no_show",
            "recorded_at": at(8, 30),
        },
    )
    assert late.status_code == 200, late.json  # merged into the day's record
    assert late.json["status"] == "present"
    assert late.json["absence_reason"] is None
    newer = api.put(
        f"/attendance/{uuid.uuid4()}",
        json={
            "participant_id": pid,
            "date": NOW.date().isoformat(),
            "status": "absent",
            "absence_reason": "sick",
            "recorded_at": at(9, 45),
            "note": "Dro hjem syk",
        },
    )
    assert newer.status_code == 200, newer.json
    assert newer.json["status"] == "absent"
    assert newer.json["absence_reason"] == "sick"
    assert newer.json["check_in_at"] is not None  # the check-in still happened


def test_correction_by_one_phone_keeps_what_another_merged_in(api, pid):
    phone_a, phone_b = str(uuid.uuid4()), str(uuid.uuid4())
    expect(api.put(f"/attendance/{phone_a}", json=check_in(pid, 9, 0)), 201)
    expect(
        api.put(
            f"/attendance/{phone_b}", json={**check_in(pid, 9, 0), "note": "Glemte nøkkelkort"}
        ),
        200,
    )
    # Phone A checks out: it resends its record with the check-out added.
    out = api.put(f"/attendance/{phone_a}", json={**check_in(pid, 9, 0), "check_out_at": at(9, 55)})
    assert out.status_code == 200, out.json
    assert out.json["check_out_at"] is not None
    assert out.json["note"] == "Glemte nøkkelkort"


def test_an_id_cannot_move_to_another_day(api, pid):
    write_id = str(uuid.uuid4())
    expect(api.put(f"/attendance/{write_id}", json=check_in(pid)), 201)
    yesterday = (NOW.date() - timedelta(days=1)).isoformat()
    moved = api.put(
        f"/attendance/{write_id}",
        json={
            **check_in(pid),
            "date": yesterday,
            "check_in_at": at(9, day=NOW.date() - timedelta(days=1)),
        },
    )
    assert moved.status_code == 409


@pytest.mark.parametrize(
    "change, field",
    [
        ({"date": "2026-06-16", "check_in_at": None}, "date"),
        ({"check_out_at": at(8, 0)}, "check_out_at"),
        ({"status": "absent", "check_in_at": None}, "absence_reason"),
        ({"absence_reason": "sick"}, "absence_reason"),
        ({"check_in_at": at(11, 0)}, "check_in_at"),  # an hour ahead of now
        ({"check_in_at": at(9, day=date(2026, 6, 14))}, "check_in_at"),  # another day
        ({"date": "2025-12-31", "check_in_at": None}, "date"),  # before the start
        ({"recorded_at": at(12, 0)}, "recorded_at"),
    ],
    ids=[
        "future-date",
        "out-before-in",
        "absent-without-reason",
        "present-with-reason",
        "future-check-in",
        "check-in-on-other-day",
        "before-start",
        "future-recorded-at",
    ],
)
def test_rule_violations_are_422_and_write_nothing(api, pid, change, field):
    response = api.put(f"/attendance/{uuid.uuid4()}", json={**check_in(pid), **change})
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]["json"]
    assert rows_for(uuid.UUID(pid)) == 0


def test_participant_not_in_programme_that_day(api, world, pid, as_user):
    leader = as_user(world.leader)
    expect(
        leader.post(
            f"/participants/{pid}/end", json={"end_date": "2026-06-12", "outcome": "ordinary_work"}
        ),
        200,
    )
    response = api.put(f"/attendance/{uuid.uuid4()}", json=check_in(pid))
    assert response.status_code == 422
    assert "date" in response.json["errors"]["json"]
    earlier = api.put(
        f"/attendance/{uuid.uuid4()}",
        json={**check_in(pid), "date": "2026-06-12", "check_in_at": at(9, day=date(2026, 6, 12))},
    )
    assert earlier.status_code == 201


def test_other_departments_participant_is_404(api, world):
    response = api.put(f"/attendance/{uuid.uuid4()}", json=check_in(str(world.participant_a2.id)))
    assert response.status_code == 404


class TestLocalDate:
    def test_check_in_at_0030_local_in_summer_belongs_to_that_local_day(
        self, world, as_user, pid, frozen_clock
    ):
        frozen_clock.move_to(datetime(2026, 6, 16, 0, 45, tzinfo=OSLO))
        api = as_user(world.facilitator)
        check_in_utc = "2026-06-15T22:30:00+00:00"  # 00:30 in Oslo on 16 June
        on_16th = api.put(
            f"/attendance/{uuid.uuid4()}",
            json={
                "participant_id": pid,
                "date": "2026-06-16",
                "status": "present",
                "check_in_at": check_in_utc,
            },
        )
        assert on_16th.status_code == 201
        on_15th = api.put(
            f"/attendance/{uuid.uuid4()}",
            json={
                "participant_id": pid,
                "date": "2026-06-15",
                "status": "present",
                "check_in_at": check_in_utc,
            },
        )
        assert on_15th.status_code == 422

    def test_today_is_the_local_date_just_after_midnight(self, world, as_user, frozen_clock):
        frozen_clock.move_to(datetime(2026, 6, 15, 22, 10, tzinfo=UTC))  # 00:10 on the 16th
        api = as_user(world.facilitator)
        day = api.get("/today", query_string={"department_id": str(world.dept_a1.id)}).json
        assert day["date"] == "2026-06-16"

    @pytest.mark.parametrize(
        "moment, local_day",
        [
            ("2026-03-29T00:30:00+00:00", "2026-03-29"),  # 01:30 CET, before the change
            ("2026-03-29T01:30:00+00:00", "2026-03-29"),  # 03:30 CEST, after it
            ("2026-10-24T22:30:00+00:00", "2026-10-25"),  # 00:30 CEST on the day back
            ("2026-10-25T01:30:00+00:00", "2026-10-25"),  # 02:30 CET, the repeated hour
            ("2026-10-25T23:30:00+00:00", "2026-10-26"),  # 00:30 CET the next day
        ],
    )
    def test_daylight_saving_days(self, world, as_user, pid, frozen_clock, moment, local_day):
        frozen_clock.move_to(datetime(2026, 10, 27, 12, 0, tzinfo=UTC))
        api = as_user(world.facilitator)
        response = api.put(
            f"/attendance/{uuid.uuid4()}",
            json={
                "participant_id": pid,
                "date": local_day,
                "status": "present",
                "check_in_at": moment,
            },
        )
        assert response.status_code == 201, response.json


def test_lists_by_department_day_and_by_participant_period(api, world, pid):
    for day in (date(2026, 6, 10), date(2026, 6, 11), NOW.date()):
        expect(
            api.put(
                f"/attendance/{uuid.uuid4()}",
                json={**check_in(pid), "date": day.isoformat(), "check_in_at": at(9, day=day)},
            ),
            201,
        )
    by_day = api.get(
        "/attendance", query_string={"department_id": str(world.dept_a1.id), "date": "2026-06-11"}
    )
    assert [r["date"] for r in by_day.json] == ["2026-06-11"]
    by_period = api.get(
        "/attendance",
        query_string={"participant_id": pid, "from": "2026-06-11", "to": "2026-06-15"},
    )
    assert [r["date"] for r in by_period.json] == ["2026-06-11", "2026-06-15"]
    department_period = api.get(
        "/attendance",
        query_string={
            "department_id": str(world.dept_a1.id),
            "from": "2026-06-11",
            "to": "2026-06-15",
        },
    )
    assert [r["date"] for r in department_period.json] == ["2026-06-11", "2026-06-15"]
    assert api.get("/attendance").status_code == 422
    only_from = {"department_id": str(world.dept_a1.id), "from": "2026-06-11"}
    assert api.get("/attendance", query_string=only_from).status_code == 422
    a_year_and_more = {**only_from, "to": "2027-06-12"}
    assert api.get("/attendance", query_string=a_year_and_more).status_code == 422
    both = {**only_from, "to": "2026-06-15", "date": "2026-06-11"}
    assert api.get("/attendance", query_string=both).json["errors"]["query"] == {
        "date": ["Give either date, or from and to, not both."]
    }
    other = api.get(
        "/attendance", query_string={"department_id": str(world.dept_a2.id), "date": "2026-06-11"}
    )
    assert other.status_code == 404


def test_corrections_are_in_the_change_records(api, pid):
    write_id = str(uuid.uuid4())
    expect(api.put(f"/attendance/{write_id}", json=check_in(pid, 9, 0)), 201)
    expect(api.put(f"/attendance/{write_id}", json=check_in(pid, 9, 15)), 200)
    expect(
        api.put(
            f"/attendance/{write_id}", json={**check_in(pid, 9, 15), "check_out_at": at(9, 50)}
        ),
        200,
    )
    records = db.session.scalars(
        select(ChangeRecord).where(ChangeRecord.entity == "attendance").order_by(ChangeRecord.at)
    ).all()
    assert [sorted(r.changes) for r in records] == [["check_in_at"], ["check_out_at"]]


def test_a_correction_keeps_another_phones_earlier_check_in(api, pid):
    phone_a, phone_b = str(uuid.uuid4()), str(uuid.uuid4())
    expect(api.put(f"/attendance/{phone_a}", json=check_in(pid, 9, 30)), 201)
    expect(api.put(f"/attendance/{phone_b}", json=check_in(pid, 8, 0)), 200)
    corrected = expect(api.put(f"/attendance/{phone_a}", json=check_in(pid, 9, 35)), 200)
    assert corrected["check_in_at"] == datetime.fromisoformat(at(8, 0)).astimezone(UTC).isoformat()


def test_an_older_offline_edit_does_not_beat_a_newer_status(api, pid):
    phone_a, phone_b = str(uuid.uuid4()), str(uuid.uuid4())
    absent = {
        "participant_id": pid,
        "date": TODAY.isoformat(),
        "status": "absent",
        "absence_reason": "sick",
    }
    expect(api.put(f"/attendance/{phone_a}", json={**absent, "recorded_at": at(7, 0)}), 201)
    expect(
        api.put(f"/attendance/{phone_b}", json={**check_in(pid, 9, 0), "recorded_at": at(9, 0)}),
        200,
    )
    edited = expect(
        api.put(
            f"/attendance/{phone_a}",
            json={**absent, "absence_reason": "appointment", "recorded_at": at(8, 0)},
        ),
        200,
    )
    assert (edited["status"], edited["absence_reason"]) == ("present", None)


def test_the_record_does_not_depend_on_the_order_writes_arrive(api, world):
    from tests.factories import ParticipantFactory

    writes = [
        (
            "a",
            {
                "status": "present",
                "check_in_at": at(9, 10),
                "recorded_at": at(9, 10),
                "note": "Buss",
            },
        ),
        (
            "b",
            {
                "status": "absent",
                "absence_reason": "no_show",
                "check_in_at": None,
                "recorded_at": at(8, 50),
            },
        ),
        (
            "c",
            {
                "status": "present",
                "check_in_at": at(8, 55),
                "check_out_at": at(9, 40),
                "recorded_at": at(9, 40),
                "note": "Hentet",
            },
        ),
        (
            "a",
            {
                "status": "present",
                "check_in_at": at(9, 12),
                "recorded_at": at(9, 15),
                "note": "Buss",
            },
        ),
    ]
    results = []
    for order in (writes, list(reversed(writes[:3])) + [writes[3]]):
        person = str(ParticipantFactory(department=world.dept_a1).id)
        ids = {name: str(uuid.uuid4()) for name in "abc"}
        for position, (name, body) in enumerate(order):
            response = api.put(
                f"/attendance/{ids[name]}",
                json={"participant_id": person, "date": TODAY.isoformat(), **body},
            )
            # The first write makes the day's record; the others merge into it.
            assert response.status_code == (200 if position else 201), response.json
        final = response.json
        results.append(
            {k: final[k] for k in ("status", "absence_reason", "check_in_at", "check_out_at")}
        )
        assert set(final["note"].split("\n")) == {"Buss", "Hentet"}
    assert results[0] == results[1]
    assert results[0]["status"] == "present"


def test_resending_with_a_newer_recorded_at_makes_it_the_newest(api, pid):
    x, y = str(uuid.uuid4()), str(uuid.uuid4())
    expect(api.put(f"/attendance/{x}", json={**check_in(pid, 9, 0), "recorded_at": at(9, 0)}), 201)
    expect(
        api.put(
            f"/attendance/{y}",
            json={
                "participant_id": pid,
                "date": TODAY.isoformat(),
                "status": "absent",
                "absence_reason": "sick",
                "recorded_at": at(9, 30),
            },
        ),
        200,
    )
    again = api.put(f"/attendance/{x}", json={**check_in(pid, 9, 0), "recorded_at": at(9, 50)})
    assert again.status_code == 200, again.json
    assert again.json["status"] == "present"


@pytest.mark.parametrize(
    ("first", "refused_field"), [("out", "check_in_at"), ("in", "check_out_at")]
)
def test_a_check_out_before_another_writes_check_in_is_refused_in_either_order(
    api, pid, first, refused_field
):
    """The same pair in one body is 422; sent as two writes, the second is 422 too, and
    the record keeps the first unchanged."""
    out = {
        "participant_id": pid,
        "date": TODAY.isoformat(),
        "status": "present",
        "check_out_at": at(9, 30),
        "recorded_at": at(9, 30),
    }
    came = {**check_in(pid, 9, 50), "recorded_at": at(9, 50)}
    earlier, later = (out, came) if first == "out" else (came, out)
    stored = api.put(f"/attendance/{uuid.uuid4()}", json=earlier)
    assert stored.status_code == 201, stored.json
    before = api.get(f"/attendance/{stored.json['id']}").json

    refused = api.put(f"/attendance/{uuid.uuid4()}", json=later)

    assert refused.status_code == 422, refused.json
    assert list(refused.json["errors"]["json"]) == [refused_field]
    after = api.get(f"/attendance/{stored.json['id']}").json
    assert after["history"] == before["history"] == []
    assert {k: after[k] for k in ("check_in_at", "check_out_at", "version")} == {
        k: before[k] for k in ("check_in_at", "check_out_at", "version")
    }


def test_a_check_out_in_its_own_write_after_the_check_in_joins_the_record(api, pid):
    came = api.put(f"/attendance/{uuid.uuid4()}", json=check_in(pid, 9, 0))
    assert came.status_code == 201, came.json
    left = api.put(
        f"/attendance/{uuid.uuid4()}",
        json={
            "participant_id": pid,
            "date": TODAY.isoformat(),
            "status": "present",
            "check_out_at": at(9, 30),
        },
    )
    assert left.status_code == 200, left.json
    assert left.json["id"] == came.json["id"]
    left_at = datetime.fromisoformat(at(9, 30)).astimezone(UTC)
    assert left.json["check_out_at"] == left_at.isoformat()


def test_the_days_first_write_is_the_record_its_write_and_the_access_log_row(api, pid, world):
    write_id = uuid.uuid4()
    on_driver = []
    with count_queries(lambda direct: on_driver.append(direct.driver.autocommit)) as sent:
        response = api.put(f"/attendance/{write_id}", json=check_in(pid))
    assert response.status_code == 201
    assert db.session.get(Attendance, write_id).check_in_at is not None
    assert db.session.get(AttendanceWrite, write_id).attendance_id == write_id
    logged = db.session.scalars(
        select(AccessLogEntry).where(AccessLogEntry.participant_id == world.participant_a1.id)
    ).all()
    assert [(e.action, e.resource, e.user_id) for e in logged] == [
        ("create", "attendance", world.facilitator.id)
    ]
    if db.engine.dialect.name == "postgresql":
        # The token check, the lookup and one insert for all three rows, all of them run
        # on the driver and committed by themselves: no transaction, no BEGIN and COMMIT.
        assert len(sent) == 3, sent
        assert sent[2].lstrip().startswith("WITH")
        assert on_driver == [True, True, True]


def test_a_first_write_that_fails_half_way_leaves_nothing(api, pid, world, monkeypatch):
    """The access-log row is the last of the three; when it cannot be written, neither is
    the record nor the write (in one statement on PostgreSQL, one transaction elsewhere)."""
    real = access_log.entry
    monkeypatch.setattr(access_log, "entry", lambda *args: {**real(*args), "participant_id": None})
    write_id = uuid.uuid4()
    response = api.put(f"/attendance/{write_id}", json=check_in(pid))
    # The database refuses the row: a clash with what is stored, as any integrity error.
    assert response.status_code == 409, response.json
    db.session.rollback()
    assert rows_for(world.participant_a1.id) == 0
    assert db.session.get(AttendanceWrite, write_id) is None
