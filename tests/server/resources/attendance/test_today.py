"""The day's list (GET /today), expected days, leave, holidays and attendance rates."""

import uuid
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine

from server.database import db
from server.models import Plan, ScheduleSlot
from tests.conftest import expect
from tests.factories import ParticipantFactory, make_plan
from tests.querycount import count_queries

OSLO = ZoneInfo("Europe/Oslo")
MONDAY = datetime(2026, 6, 15, 8, 0, tzinfo=OSLO)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def api(world, as_user):
    return as_user(world.facilitator)


def today(api, department, **query):
    response = api.get("/today", query_string={"department_id": str(department.id), **query})
    assert response.status_code == 200, response.json
    return response.json


def test_expected_first_with_start_times(api, world):
    late = ParticipantFactory(department=world.dept_a1, first_name="Sen", last_name="Aas")
    plan = make_plan(late, world.admin, weekdays=(1,))
    plan.schedule[0].start_time = time(11)
    tuesdays = ParticipantFactory(department=world.dept_a1, first_name="Tirs", last_name="Aas")
    make_plan(tuesdays, world.admin, weekdays=(2,))
    ParticipantFactory(department=world.dept_a1, first_name="Uten", last_name="Plan")
    ParticipantFactory(department=world.dept_a1, first_name="Slutt", status="ended")
    db.session.commit()

    day = today(api, world.dept_a1)
    assert day["date"] == "2026-06-15"
    rows = [
        (r["participant"]["first_name"], r["expected"], r["expected_start"])
        for r in day["participants"]
    ]
    assert rows == [
        ("PersonA1", True, "09:00"),
        ("Sen", True, "11:00"),
        ("Tirs", False, None),
        ("Uten", False, None),
    ]
    assert set(day["participants"][0]["participant"]) == {"id", "first_name", "last_name"}


def test_the_day_shows_attendance(api, world):
    pid = str(world.participant_a1.id)
    expect(
        api.put(
            f"/attendance/{uuid.uuid4()}",
            json={
                "participant_id": pid,
                "date": "2026-06-15",
                "status": "present",
                "check_in_at": MONDAY.isoformat(),
            },
        ),
        201,
    )
    row = today(api, world.dept_a1)["participants"][0]
    assert row["attendance"]["status"] == "present"


def test_leave_and_absence_for_leave_mean_not_expected(api, world):
    pid = world.participant_a1.id
    response = api.post(
        f"/participants/{pid}/leaves",
        json={"first_day": "2026-06-15", "last_day": "2026-06-19", "note": "Ferie"},
    )
    assert response.status_code == 201
    row = today(api, world.dept_a1)["participants"][0]
    assert (row["expected"], row["on_leave"]) == (False, True)
    overlapping = api.post(
        f"/participants/{pid}/leaves", json={"first_day": "2026-06-19", "last_day": "2026-06-20"}
    )
    assert overlapping.status_code == 422
    expect(api.request("DELETE", f"/participants/{pid}/leaves/{response.json['id']}"), 204)
    assert today(api, world.dept_a1)["participants"][0]["expected"] is True

    expect(
        api.put(
            f"/attendance/{uuid.uuid4()}",
            json={
                "participant_id": str(pid),
                "date": "2026-06-15",
                "status": "absent",
                "absence_reason": "leave",
            },
        ),
        201,
    )
    row = today(api, world.dept_a1)["participants"][0]
    assert (row["expected"], row["on_leave"]) == (False, True)


def test_public_holidays_and_paused_participants_are_not_expected(api, world):
    ascension_day, friday_after = "2026-05-14", "2026-05-15"
    assert today(api, world.dept_a1, date=ascension_day)["participants"][0]["expected"] is False
    assert today(api, world.dept_a1, date=friday_after)["participants"][0]["expected"] is True
    world.participant_a1.status = "paused"
    db.session.commit()
    assert today(api, world.dept_a1)["participants"] == []


def test_another_day_and_the_future(api, world):
    assert today(api, world.dept_a1, date="2026-06-13")["participants"][0]["expected"] is False
    future = api.get(
        "/today", query_string={"department_id": str(world.dept_a1.id), "date": "2026-06-16"}
    )
    assert future.status_code == 422


def test_other_department_is_404(api, world):
    response = api.get("/today", query_string={"department_id": str(world.dept_a2.id)})
    assert response.status_code == 404


def _fill(department, author, count):
    participants = [
        ParticipantFactory.build(department=department, first_name=f"P{n:03d}")
        for n in range(count)
    ]
    db.session.add_all(participants)
    db.session.flush()
    db.session.add_all(
        Plan(
            participant_id=p.id,
            version=1,
            valid_from=date(2026, 1, 5),
            work_areas=[],
            created_by_id=author.id,
            schedule=[
                ScheduleSlot(weekday=d, start_time=time(9), end_time=time(14))
                for d in (1, 2, 3, 4, 5)
            ],
        )
        for p in participants
    )
    db.session.commit()
    return participants


def test_query_count_does_not_grow_with_the_department(api, world):
    small = _fill(world.dept_a1, world.admin, 4)  # 5 with PersonA1
    for participant in small[:2]:
        expect(
            api.put(
                f"/attendance/{uuid.uuid4()}",
                json={
                    "participant_id": str(participant.id),
                    "date": "2026-06-15",
                    "status": "present",
                    "check_in_at": MONDAY.isoformat(),
                },
            ),
            201,
        )
    with count_queries() as few:
        assert len(today(api, world.dept_a1)["participants"]) == 5

    big = _fill(world.dept_a1, world.admin, 195)
    for participant in big[:50]:
        expect(
            api.put(
                f"/attendance/{uuid.uuid4()}",
                json={
                    "participant_id": str(participant.id),
                    "date": "2026-06-15",
                    "status": "absent",
                    "absence_reason": "sick",
                },
            ),
            201,
        )
    with count_queries() as many:
        assert len(today(api, world.dept_a1)["participants"]) == 200
    assert len(many) == len(few), "\n".join(many)
    assert len(few) <= 12, "\n".join(few)  # with the wake-up calls of the day


def test_attendance_rates(api, world, frozen_clock, as_user):
    pid = str(world.participant_a1.id)  # expected Monday to Friday
    for day, status, reason in [
        ("2026-06-01", "present", None),
        ("2026-06-02", "present", None),
        ("2026-06-03", "absent", "sick"),
        ("2026-06-04", "absent", "appointment"),
        ("2026-06-05", "absent", "sick_child"),
        ("2026-06-06", "present", None),  # a Saturday: present but not expected
    ]:
        body = {"participant_id": pid, "date": day, "status": status}
        if reason:
            body["absence_reason"] = reason
        assert api.put(f"/attendance/{uuid.uuid4()}", json=body).status_code == 201
    expect(
        api.post(
            f"/participants/{pid}/leaves",
            json={"first_day": "2026-06-08", "last_day": "2026-06-09"},
        ),
        201,
    )
    summary = api.get(
        f"/participants/{pid}/attendance-summary",
        query_string={"from": "2026-06-01", "to": "2026-06-12"},
    ).json
    assert summary == {
        "participant_id": pid,
        "participant": {"id": pid, "first_name": "PersonA1", "last_name": "Hansen"},
        "from": "2026-06-01",
        "to": "2026-06-12",
        "expected_days": 8,  # ten weekdays less two days of leave
        "present_days": 3,
        "present_on_expected_days": 2,
        "absent": {
            "sick": 1,
            "sick_child": 1,
            "appointment": 1,
            "leave": 2,  # the planned leave's two days, though nothing was recorded
            "no_show": 0,
            "other": 0,
        },
        "unregistered_expected_days": 3,
        "attendance_rate": 0.25,
        "enrolment_type": None,
        "participation": None,
        "days_per_week": None,
    }
    # The terms of the place come with the rate it is read against.
    etag = api.get(f"/participants/{pid}").headers["ETag"]
    terms = {"participation": "part_time", "days_per_week": 3}
    expect(api.patch(f"/participants/{pid}", json=terms, headers={"If-Match": etag}), 200)
    rates = api.get(
        "/attendance/rates",
        query_string={
            "department_id": str(world.dept_a1.id),
            "from": "2026-06-01",
            "to": "2026-06-12",
        },
    )
    assert [r["participant_id"] for r in rates.json] == [pid]
    assert (rates.json[0]["participation"], rates.json[0]["days_per_week"]) == ("part_time", 3)
    bad = api.get(
        f"/participants/{pid}/attendance-summary",
        query_string={"from": "2026-06-12", "to": "2026-06-01"},
    )
    assert bad.status_code == 422


def test_plan_versions_decide_expected_days(api, world, as_user):
    """A new plan version from 8 June moves the participant to Mondays only."""
    pid = str(world.participant_a1.id)
    leader = as_user(world.leader)
    expect(
        leader.put(
            f"/participants/{pid}/plan",
            json={
                "valid_from": "2026-06-08",
                "schedule": [{"weekday": 1, "start": "09:00", "end": "12:00"}],
            },
        ),
        201,
    )
    summary = api.get(
        f"/participants/{pid}/attendance-summary",
        query_string={"from": "2026-06-01", "to": "2026-06-14"},
    ).json
    assert summary["expected_days"] == 5 + 1


def test_a_participant_starts_on_the_list_on_the_start_date(api, world, frozen_clock, as_user):
    """Someone enrolled to start tomorrow is neither listed, expected nor called today."""
    starter = ParticipantFactory(
        department=world.dept_a1, first_name="Ny", start_date=date(2026, 6, 16)
    )
    make_plan(starter, world.admin)
    wakeup = api.put(
        f"/participants/{starter.id}/wakeup-schedule",
        json={"weekdays": [1, 2, 3, 4, 5], "time": "07:00", "phone": "91234567"},
    )
    assert wakeup.status_code == 201, wakeup.json

    listed = [r["participant"]["first_name"] for r in today(api, world.dept_a1)["participants"]]
    assert listed == ["PersonA1"]
    calls = api.get("/wakeups", query_string={"department_id": str(world.dept_a1.id)})
    assert calls.status_code == 200
    assert calls.json == []

    frozen_clock.move_to(datetime(2026, 6, 16, 6, 30, tzinfo=OSLO))
    api = as_user(world.facilitator)
    rows = {r["participant"]["first_name"]: r for r in today(api, world.dept_a1)["participants"]}
    assert set(rows) == {"PersonA1", "Ny"}
    assert (rows["Ny"]["expected"], rows["Ny"]["expected_start"]) == (True, "09:00")
    assert rows["Ny"]["wakeup"]["status"] == "pending"


def test_the_day_answers_304_until_it_changes(api, world):
    """The phone refreshes the day's list with the ETag it holds: while nothing on the
    list changed it gets 304 and no body; a check-in makes a new list and a new tag."""
    query = {"department_id": str(world.dept_a1.id)}
    first = api.get("/today", query_string=query)
    assert first.status_code == 200
    tag = first.headers["ETag"]
    assert tag.startswith('"') and first.headers["Cache-Control"] == "no-store"

    again = api.get("/today", query_string=query, headers={"If-None-Match": tag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == tag
    assert again.headers["Cache-Control"] == "no-store"
    for header in (f'"other", {tag}', "*", f"W/{tag}"):
        listed = api.get("/today", query_string=query, headers={"If-None-Match": header})
        assert listed.status_code == 304, header
    assert api.get("/today", query_string=query, headers={"If-None-Match": '"x"'}).json

    expect(
        api.put(
            f"/attendance/{uuid.uuid4()}",
            json={
                "participant_id": str(world.participant_a1.id),
                "date": "2026-06-15",
                "status": "present",
                "check_in_at": MONDAY.isoformat(),
            },
        ),
        201,
    )
    changed = api.get("/today", query_string=query, headers={"If-None-Match": tag})
    assert changed.status_code == 200
    assert changed.json["participants"][0]["attendance"]["status"] == "present"
    assert changed.headers["ETag"] != tag


def test_the_days_tag_differs_by_language(api, world):
    query = {"department_id": str(world.dept_a1.id)}
    tags = {
        language: api.get(
            "/today", query_string=query, headers={"Accept-Language": language}
        ).headers["ETag"]
        for language in ("nb", "da", "en")
    }
    assert len(set(tags.values())) == 3
    english = api.get(
        "/today", query_string=query, headers={"Accept-Language": "nb", "If-None-Match": tags["en"]}
    )
    assert english.status_code == 200
