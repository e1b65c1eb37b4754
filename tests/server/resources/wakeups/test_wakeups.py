"""Wake-up calls through HTTP with a frozen clock across a whole morning."""

import uuid
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import func, select

from server.database import db
from server.models import Attendance, Plan, ScheduleSlot, WakeupCall, WakeupSchedule
from tests.conftest import expect
from tests.factories import ParticipantFactory
from tests.querycount import count_queries

OSLO = ZoneInfo("Europe/Oslo")


def oslo(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), OSLO)


MONDAY = date(2026, 6, 15)


@pytest.fixture
def clock():
    with time_machine.travel(oslo(MONDAY, 6, 0), tick=False) as traveller:
        yield traveller


@pytest.fixture
def api(world, as_user, clock):
    return as_user(world.facilitator)


def schedule(api, participant, expected=201, **extra):
    """Set the participant's schedule: 201 when they had none, 200 when it is changed."""
    body = {"weekdays": [1, 2, 3, 4, 5], "time": "07:00", "phone": "91234567", **extra}
    response = api.put(f"/participants/{participant.id}/wakeup-schedule", json=body)
    assert response.status_code == expected, response.json
    return response


def calls(api, world, **query):
    response = api.get("/wakeups", query_string={"department_id": str(world.dept_a1.id), **query})
    assert response.status_code == 200, response.json
    return response.json


def check_in(api, participant, moment):
    response = api.put(
        f"/attendance/{uuid.uuid4()}",
        json={
            "participant_id": str(participant.id),
            "date": moment.date().isoformat(),
            "status": "present",
            "check_in_at": moment.isoformat(),
        },
    )
    assert response.status_code == 201, response.json  # the day's first record


def attempt(api, call_id, outcome, at, attempt_id=None, **extra):
    return api.put(
        f"/wakeups/{call_id}/attempts/{attempt_id or uuid.uuid4()}",
        json={"outcome": outcome, "at": at.isoformat(), **extra},
    )


def test_schedule_is_set_read_and_changed_with_history(api, world):
    created = schedule(api, world.participant_a1)
    assert created.status_code == 201
    assert created.json["weekdays"] == [1, 2, 3, 4, 5]
    assert created.json["phone"] == "+4791234567"
    changed = schedule(api, world.participant_a1, 200, time="06:45", active=False)
    assert changed.status_code == 200
    read = api.get(f"/participants/{world.participant_a1.id}/wakeup-schedule").json
    assert (read["time"], read["active"]) == ("06:45", False)
    bad = api.put(
        f"/participants/{world.participant_a1.id}/wakeup-schedule",
        json={"weekdays": [1, 1], "time": "07:00"},
    )
    assert bad.status_code == 422


def test_a_whole_morning(api, world, clock, as_user):
    schedule(api, world.participant_a1)
    [call] = calls(api, world)
    assert call["status"] == "pending"
    assert call["due_at"] == oslo(MONDAY, 7).astimezone(UTC).isoformat()
    assert call["participant"]["first_name"] == "PersonA1"
    assert call["phone"] == "+4791234567"
    # Asking again (another phone) makes no second call.
    assert [c["id"] for c in calls(api, world)] == [call["id"]]

    # 07:02 no answer: due again at 07:17.
    clock.move_to(oslo(MONDAY, 7, 2))
    api = as_user(world.facilitator)
    first_try = uuid.uuid4()
    response = attempt(api, call["id"], "no_answer", oslo(MONDAY, 7, 2), first_try)
    assert response.status_code == 201
    assert response.json["next_due_at"] == oslo(MONDAY, 7, 17).astimezone(UTC).isoformat()
    assert response.json["unanswered"] == 1
    # The phone retries the same request: nothing doubles.
    again = attempt(api, call["id"], "no_answer", oslo(MONDAY, 7, 2), first_try)
    assert again.status_code == 200
    assert len(again.json["attempts"]) == 1

    # Two more unanswered tries: flagged for a home visit.
    clock.move_to(oslo(MONDAY, 7, 33))
    api = as_user(world.facilitator)
    expect(attempt(api, call["id"], "no_answer", oslo(MONDAY, 7, 17)), 201)
    flagged = expect(attempt(api, call["id"], "no_answer", oslo(MONDAY, 7, 32)), 201)
    assert flagged["unanswered"] == 3
    assert flagged["home_visit"] is True
    assert flagged["status"] == "pending"

    # The participant turns up and is checked in: the call completes by itself.
    clock.move_to(oslo(MONDAY, 9, 5))
    api = as_user(world.facilitator)
    check_in(api, world.participant_a1, oslo(MONDAY, 9, 5))
    [done] = calls(api, world)
    assert done["status"] == "done"
    today = api.get("/today", query_string={"department_id": str(world.dept_a1.id)}).json
    assert today["participants"][0]["wakeup"]["status"] == "done"


def test_answered_coming_and_picked_up_complete_the_call(api, world):
    schedule(api, world.participant_a1)
    [call] = calls(api, world)
    done = expect(attempt(api, call["id"], "answered_coming", oslo(MONDAY, 5, 59)), 201)
    assert (done["status"], done["outcome"]) == ("done", "answered_coming")


def test_answered_not_coming_records_the_absence(api, world):
    schedule(api, world.participant_a1)
    [call] = calls(api, world)
    missing_reason = attempt(api, call["id"], "answered_not_coming", oslo(MONDAY, 5, 59))
    assert missing_reason.status_code == 422
    attempt_id = uuid.uuid4()
    response = attempt(
        api,
        call["id"],
        "answered_not_coming",
        oslo(MONDAY, 5, 59),
        attempt_id,
        absence_reason="sick",
        note="Feber",
    )
    assert response.status_code == 201, response.json
    assert response.json["status"] == "done"
    record = db.session.scalars(select(Attendance)).one()
    assert (record.status, record.absence_reason, record.note) == ("absent", "sick", "Feber")
    # Repeating the attempt does not write the absence twice.
    repeated = attempt(
        api,
        call["id"],
        "answered_not_coming",
        oslo(MONDAY, 5, 59),
        attempt_id,
        absence_reason="sick",
        note="Feber",
    )
    expect(repeated, 200)
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 1


def test_a_corrected_attempt_corrects_the_call(api, world):
    schedule(api, world.participant_a1)
    [call] = calls(api, world)
    attempt_id = uuid.uuid4()
    expect(attempt(api, call["id"], "answered_coming", oslo(MONDAY, 5, 59), attempt_id), 201)
    corrected = expect(attempt(api, call["id"], "no_answer", oslo(MONDAY, 5, 59), attempt_id), 200)
    assert (corrected["status"], corrected["unanswered"]) == ("pending", 1)


def test_no_call_on_holidays_leave_other_weekdays_or_when_paused(api, world, clock, as_user):
    schedule(api, world.participant_a1, weekdays=[1, 2, 3])
    assert len(calls(api, world)) == 1  # Monday
    clock.move_to(oslo(date(2026, 6, 18), 6))  # Thursday: not a wake-up day
    api = as_user(world.facilitator)
    assert calls(api, world) == []
    clock.move_to(oslo(date(2026, 5, 25), 6))  # Whit Monday
    api = as_user(world.facilitator)
    assert calls(api, world) == []
    clock.move_to(oslo(date(2026, 6, 22), 6))  # next Monday, on planned leave
    api = as_user(world.facilitator)
    leave = {"first_day": "2026-06-22", "last_day": "2026-06-24"}
    expect(api.post(f"/participants/{world.participant_a1.id}/leaves", json=leave), 201)
    assert calls(api, world) == []
    clock.move_to(oslo(date(2026, 6, 29), 6))  # a Monday after the leave, but paused
    api = as_user(world.facilitator)
    schedule(api, world.participant_a1, 200, weekdays=[1, 2, 3], active=False)
    assert calls(api, world) == []


def test_leave_registered_after_the_call_was_made_cancels_it(api, world):
    schedule(api, world.participant_a1)
    [call] = calls(api, world)
    leave = {"first_day": MONDAY.isoformat(), "last_day": MONDAY.isoformat()}
    expect(api.post(f"/participants/{world.participant_a1.id}/leaves", json=leave), 201)
    [cancelled] = calls(api, world)
    assert (cancelled["id"], cancelled["status"]) == (call["id"], "cancelled")


@pytest.mark.parametrize(
    "day, expected_utc",
    [
        (date(2026, 3, 27), "2026-03-27T06:00:00+00:00"),  # Friday before: CET
        (date(2026, 3, 30), "2026-03-30T05:00:00+00:00"),  # Monday after: CEST
        (date(2026, 10, 23), "2026-10-23T05:00:00+00:00"),  # Friday before: CEST
        (date(2026, 10, 26), "2026-10-26T06:00:00+00:00"),  # Monday after: CET
    ],
)
def test_daylight_saving_keeps_the_local_time(world, as_user, day, expected_utc):
    with time_machine.travel(oslo(day, 5, 0), tick=False):
        api = as_user(world.facilitator)
        schedule(api, world.participant_a1)
        [call] = calls(api, world)
        assert call["due_at"] == expected_utc


def test_list_is_due_first(api, world, clock, as_user):
    early = ParticipantFactory(department=world.dept_a1, first_name="Tidlig")
    late = ParticipantFactory(department=world.dept_a1, first_name="Sen")
    schedule(api, late, time="07:30")
    schedule(api, early, time="06:30")
    schedule(api, world.participant_a1, time="07:00")
    order = [c["participant"]["first_name"] for c in calls(api, world)]
    assert order == ["Tidlig", "PersonA1", "Sen"]
    [first, *_] = calls(api, world)
    expect(attempt(api, first["id"], "no_answer", oslo(MONDAY, 5, 59)), 201)  # due again 06:14
    order = [c["participant"]["first_name"] for c in calls(api, world)]
    assert order == ["Tidlig", "PersonA1", "Sen"]
    expect(attempt(api, first["id"], "answered_coming", oslo(MONDAY, 6, 0)), 201)
    order = [c["participant"]["first_name"] for c in calls(api, world)]
    assert order == ["PersonA1", "Sen", "Tidlig"]  # done last


def _fill(world, count):
    people = [ParticipantFactory.build(department=world.dept_a1) for _ in range(count)]
    db.session.add_all(people)
    db.session.flush()
    for person in people:
        db.session.add(
            WakeupSchedule(
                participant_id=person.id,
                weekdays=[1, 2, 3, 4, 5],
                time=time(7),
                phone="+4791234567",
                updated_by_id=world.admin.id,
            )
        )
        db.session.add(
            Plan(
                participant_id=person.id,
                version=1,
                valid_from=date(2026, 1, 5),
                work_areas=[],
                created_by_id=world.admin.id,
                schedule=[ScheduleSlot(weekday=1, start_time=time(9), end_time=time(14))],
            )
        )
    db.session.commit()
    return people


def test_query_count_does_not_grow_with_the_list(api, world):
    _fill(world, 5)
    calls(api, world)  # made once
    with count_queries() as few:
        assert len(calls(api, world)) == 5
    _fill(world, 195)
    calls(api, world)
    with count_queries() as many:
        assert len(calls(api, world)) == 200
    assert len(many) == len(few), "\n".join(many)
    assert db.session.scalar(select(func.count()).select_from(WakeupCall)) == 200


@pytest.mark.postgres(reason="concurrent requests are tested on PostgreSQL")
def test_phones_asking_at_once_make_each_call_once(app, world, clock):
    import threading

    from tests.conftest import login

    _fill(world, 20)
    token = login(app.test_client(), world.facilitator.username)["access_token"]
    barrier, answers = threading.Barrier(6), []

    def phone():
        client = app.test_client()
        barrier.wait()
        response = client.get(
            f"/api/v1/wakeups?department_id={world.dept_a1.id}",
            headers={"Authorization": f"Bearer {token}"},
        )
        answers.append((response.status_code, len(response.get_json())))

    threads = [threading.Thread(target=phone) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert answers == [(200, 20)] * 6
    assert db.session.scalar(select(func.count()).select_from(WakeupCall)) == 20


def test_schedule_changes_reach_calls_not_yet_tried(api, world, clock):
    schedule(api, world.participant_a1)
    [call] = calls(api, world)
    schedule(api, world.participant_a1, 200, time="09:00", phone="98765432")
    [moved] = calls(api, world)
    assert moved["id"] == call["id"]
    assert moved["due_at"] == oslo(MONDAY, 9).astimezone(UTC).isoformat()
    assert moved["phone"] == "+4798765432"
    schedule(api, world.participant_a1, 200, active=False)
    assert calls(api, world)[0]["status"] == "cancelled"
    schedule(api, world.participant_a1, 200)
    assert calls(api, world)[0]["status"] == "pending"


def test_ending_a_participant_cancels_the_days_call(api, world, as_user):
    schedule(api, world.participant_a1)
    calls(api, world)
    ended = as_user(world.leader).post(
        f"/participants/{world.participant_a1.id}/end",
        json={"end_date": "2026-06-14", "outcome": "education"},
    )
    expect(ended, 200)
    assert calls(api, world)[0]["status"] == "cancelled"


def test_removing_the_leave_brings_the_call_back(api, world):
    schedule(api, world.participant_a1)
    calls(api, world)
    leave = api.post(
        f"/participants/{world.participant_a1.id}/leaves",
        json={"first_day": MONDAY.isoformat(), "last_day": MONDAY.isoformat()},
    )
    expect(leave, 201)
    assert calls(api, world)[0]["status"] == "cancelled"
    path = f"/participants/{world.participant_a1.id}/leaves/{leave.json['id']}"
    expect(api.request("DELETE", path), 204)
    assert calls(api, world)[0]["status"] == "pending"


def test_a_checked_in_participant_sent_home_sick_keeps_the_call_done(api, world, clock, as_user):
    schedule(api, world.participant_a1)
    clock.move_to(oslo(MONDAY, 6, 40))
    api = as_user(world.facilitator)
    pid = str(world.participant_a1.id)
    check_in(api, world.participant_a1, oslo(MONDAY, 6, 40))
    clock.move_to(oslo(MONDAY, 10))
    api = as_user(world.facilitator)
    sent_home = api.put(
        f"/attendance/{uuid.uuid4()}",
        json={
            "participant_id": pid,
            "date": MONDAY.isoformat(),
            "status": "absent",
            "absence_reason": "sick",
            "note": "Dro hjem syk",
        },
    )
    expect(sent_home, 200)  # merged into the morning's check-in
    assert calls(api, world)[0]["status"] == "done"


def test_correcting_answered_not_coming_withdraws_the_absence(api, world):
    schedule(api, world.participant_a1)
    [call] = calls(api, world)
    attempt_id = uuid.uuid4()
    answered = attempt(
        api,
        call["id"],
        "answered_not_coming",
        oslo(MONDAY, 5, 59),
        attempt_id,
        absence_reason="sick",
    )
    expect(answered, 201)
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 1
    corrected = expect(attempt(api, call["id"], "no_answer", oslo(MONDAY, 5, 59), attempt_id), 200)
    assert corrected["status"] == "pending"
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 0


def test_correcting_an_attempt_back_to_not_coming_brings_the_absence_back(api, world):
    """The absence its correction withdrew comes back with the same attempt, body and all:
    a correction of the attempt is made on purpose, unlike a late repeat of a write."""
    schedule(api, world.participant_a1)
    [call] = calls(api, world)
    attempt_id = uuid.uuid4()
    not_coming = {"absence_reason": "sick_child"}
    at = oslo(MONDAY, 5, 59)
    expect(attempt(api, call["id"], "answered_not_coming", at, attempt_id, **not_coming), 201)
    expect(attempt(api, call["id"], "no_answer", at, attempt_id), 200)
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 0
    again = attempt(api, call["id"], "answered_not_coming", at, attempt_id, **not_coming)

    back = expect(again, 200)

    assert back["status"] == "done"
    record = db.session.scalars(select(Attendance)).one()
    assert (record.status, record.absence_reason) == ("absent", "sick_child")


def test_undoing_the_check_in_that_completed_a_call_makes_it_due_again(api, world, clock, as_user):
    """A check-in completes the day's call without writing to it: once the check-in is
    undone the call is what its attempts make it, here still to be made."""
    schedule(api, world.participant_a1)
    clock.move_to(oslo(MONDAY, 7, 30))
    api = as_user(world.facilitator)
    write_id = uuid.uuid4()
    tapped = expect(
        api.put(
            f"/attendance/{write_id}",
            json={
                "participant_id": str(world.participant_a1.id),
                "date": MONDAY.isoformat(),
                "status": "present",
                "check_in_at": oslo(MONDAY, 7, 25).isoformat(),
            },
        ),
        201,
    )
    assert tapped["id"] == str(write_id)
    [call] = calls(api, world)
    assert call["status"] == "done"

    expect(api.delete(f"/attendance/{write_id}"), 204)

    [call] = calls(api, world)
    assert (call["status"], call["outcome"]) == ("pending", None)
    assert call["next_due_at"] == utc(oslo(MONDAY, 7))


def test_a_completed_call_is_not_shown_for_a_home_visit(api, world, clock, as_user):
    schedule(api, world.participant_a1)
    [call] = calls(api, world)
    for minute in (1, 2, 3):
        expect(attempt(api, call["id"], "no_answer", oslo(MONDAY, 5, 50 + minute)), 201)
    clock.move_to(oslo(MONDAY, 9))
    api = as_user(world.facilitator)
    check_in(api, world.participant_a1, oslo(MONDAY, 9))
    [done] = calls(api, world)
    assert (done["status"], done["home_visit"]) == ("done", False)


def utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def test_an_early_try_never_makes_the_call_due_before_its_time(api, world, clock, as_user):
    """Due at 07:00: a try nobody answered at 06:30 leaves it due at 07:00, not 06:45; a
    later one makes it due 15 minutes after that try; correcting a try recomputes it."""
    schedule(api, world.participant_a1)
    [call] = calls(api, world)
    clock.move_to(oslo(MONDAY, 6, 30))
    api = as_user(world.facilitator)
    early = attempt(api, call["id"], "no_answer", oslo(MONDAY, 6, 30))
    assert early.status_code == 201, early.json
    assert early.json["next_due_at"] == utc(oslo(MONDAY, 7))
    assert early.json["due_at"] == utc(oslo(MONDAY, 7))

    clock.move_to(oslo(MONDAY, 6, 55))
    api = as_user(world.facilitator)
    second_id = uuid.uuid4()
    second = attempt(api, call["id"], "sms_sent", oslo(MONDAY, 6, 55), second_id)
    assert second.status_code == 201
    assert second.json["next_due_at"] == utc(oslo(MONDAY, 7, 10))
    # Corrected to an earlier time: due at the planned time again.
    corrected = attempt(api, call["id"], "sms_sent", oslo(MONDAY, 6, 40), second_id)
    assert corrected.status_code == 200
    assert corrected.json["next_due_at"] == utc(oslo(MONDAY, 7))
    [listed] = calls(api, world)
    assert listed["next_due_at"] == utc(oslo(MONDAY, 7))
    day = api.get("/today", query_string={"department_id": str(world.dept_a1.id)})
    assert day.status_code == 200
    assert day.json["participants"][0]["wakeup"]["next_due_at"] == utc(oslo(MONDAY, 7))


def test_a_call_that_is_done_or_cancelled_is_due_no_more(api, world, clock, as_user):
    schedule(api, world.participant_a1)
    [call] = calls(api, world)
    answer_id = uuid.uuid4()
    done = attempt(api, call["id"], "answered_coming", oslo(MONDAY, 5, 59), answer_id)
    assert done.status_code == 201
    assert (done.json["status"], done.json["next_due_at"]) == ("done", None)
    [listed] = calls(api, world)
    assert (listed["status"], listed["next_due_at"]) == ("done", None)
    day = api.get("/today", query_string={"department_id": str(world.dept_a1.id)})
    assert day.status_code == 200
    assert day.json["participants"][0]["wakeup"]["next_due_at"] is None

    # The answer corrected to "no answer": the call is pending and due again.
    reopened = attempt(api, call["id"], "no_answer", oslo(MONDAY, 5, 59), answer_id)
    assert reopened.status_code == 200
    assert (reopened.json["status"], reopened.json["next_due_at"]) == (
        "pending",
        utc(oslo(MONDAY, 7)),
    )

    # Completed by a check-in: nothing is written to the call, and it is due no more.
    clock.move_to(oslo(MONDAY, 7, 30))
    api = as_user(world.facilitator)
    check_in(api, world.participant_a1, oslo(MONDAY, 7, 30))
    [came] = calls(api, world)
    assert (came["status"], came["next_due_at"]) == ("done", None)

    # Cancelled by leave the next day.
    clock.move_to(oslo(date(2026, 6, 16), 6))
    api = as_user(world.facilitator)
    [tuesday] = calls(api, world)
    assert tuesday["next_due_at"] == utc(oslo(date(2026, 6, 16), 7))
    leave = api.post(
        f"/participants/{world.participant_a1.id}/leaves",
        json={"first_day": "2026-06-16", "last_day": "2026-06-16"},
    )
    assert leave.status_code == 201, leave.json
    [cancelled] = calls(api, world)
    assert (cancelled["status"], cancelled["next_due_at"]) == ("cancelled", None)
    stored = db.session.get(WakeupCall, uuid.UUID(cancelled["id"]))
    db.session.refresh(stored)
    assert stored.next_due_at is None


def test_a_full_batch_of_tries_stops_at_the_calls_bound(api, world):
    """A phone gone wrong sends 500 tries of one call in a batch: the call gathers at most
    MAX_ATTEMPTS_PER_CALL of them, each one past it is a clear 422, and a correction of
    a try the call holds is still taken."""
    from server.services.wakeups.calls import MAX_ATTEMPTS_PER_CALL

    schedule(api, world.participant_a1)
    [call] = calls(api, world)
    path = f"/wakeups/{call['id']}/attempts"
    moment = oslo(MONDAY, 5, 50).isoformat()
    operations = [
        {
            "op_id": str(n),
            "method": "PUT",
            "path": f"{path}/{uuid.uuid4()}",
            "body": {"outcome": "no_answer", "at": moment},
        }
        for n in range(500)
    ]
    response = api.post("/sync", json={"operations": operations})
    assert response.status_code == 200, response.json
    results = response.json["results"]
    assert [r["status"] for r in results] == [201] * MAX_ATTEMPTS_PER_CALL + [422] * (
        500 - MAX_ATTEMPTS_PER_CALL
    )
    assert "at" in results[-1]["body"]["errors"]["json"]
    [stored] = calls(api, world)
    assert len(stored["attempts"]) == MAX_ATTEMPTS_PER_CALL
    assert stored["home_visit"] is True
    first = operations[0]["path"].removeprefix(path + "/")
    corrected = attempt(api, call["id"], "answered_coming", oslo(MONDAY, 5, 50), first)
    assert corrected.status_code == 200, corrected.json
    assert corrected.json["status"] == "done"


def test_the_call_list_answers_304_until_it_changes(api, world, clock, as_user):
    schedule(api, world.participant_a1)
    query = {"department_id": str(world.dept_a1.id)}
    first = api.get("/wakeups", query_string=query)
    tag = first.headers["ETag"]
    [call] = first.json
    unchanged = api.get("/wakeups", query_string=query, headers={"If-None-Match": tag})
    assert (unchanged.status_code, unchanged.data) == (304, b"")
    assert unchanged.headers["ETag"] == tag
    assert unchanged.headers["Cache-Control"] == "no-store"

    clock.move_to(oslo(MONDAY, 7, 2))
    api = as_user(world.facilitator)
    expect(attempt(api, call["id"], "no_answer", oslo(MONDAY, 7, 2)), 201)
    tried = api.get("/wakeups", query_string=query, headers={"If-None-Match": tag})
    assert tried.status_code == 200
    assert tried.json[0]["unanswered"] == 1
    assert tried.headers["ETag"] != tag

    tag = tried.headers["ETag"]
    check_in(api, world.participant_a1, oslo(MONDAY, 7, 3))
    came = api.get("/wakeups", query_string=query, headers={"If-None-Match": tag})
    assert came.status_code == 200
    assert came.json[0]["status"] == "done"
