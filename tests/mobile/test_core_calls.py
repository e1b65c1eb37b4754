"""The morning's wake-up calls, follow-ups and action items on the phone against a real
Spire: numbers as people write them, outcomes logged through the outbox, the calls that
stand out, a notice that leads to its call."""

from datetime import datetime, timedelta

import pytest

from mobile.core.day import Presence
from mobile.core.outbox import State
from shared.calendar import is_public_holiday
from tests.mobile.conftest import (
    FACILITATOR,
    LEADER,
    OSLO,
    Staff,
    a_call_due_now,
    logged_in,
    newcomer,
)


@pytest.fixture
def no_holiday(phone_server):
    organisation = Staff(phone_server.base, *LEADER).get("/organisation")
    if is_public_holiday(datetime.now(OSLO).date(), organisation["country"]):
        pytest.skip("no wake-up calls are made on the organisation's public holidays")


def scheduled(base: str, phone_number: str) -> str:
    """A newcomer with a wake-up call every day at 07:00 to ``phone_number``: the id."""
    participant = newcomer(base)
    status, _, body = Staff(base, *LEADER)(
        "PUT",
        f"/participants/{participant}/wakeup-schedule",
        {"weekdays": list(range(1, 8)), "time": "07:00", "phone": phone_number},
    )
    assert status in (200, 201), body
    return participant


def test_the_calls_with_numbers_as_people_write_them(phone, phone_server, no_holiday):
    base = phone_server.base
    numbers = {
        scheduled(base, "91234567"): ("912 34 567", "tel:+4791234567"),
        scheduled(base, "+47 22 12 34 56"): ("22 12 34 56", "tel:+4722123456"),
        scheduled(base, "+46 70 123 45 67"): ("+46 70 123 45 67", "tel:+46701234567"),
    }
    logged_in(phone, base)
    calls = {call.participant_id: call for call in phone.calls.refresh()}
    for participant, (shown, tel) in numbers.items():
        call = calls[participant]
        assert (call.phone_shown, call.tel) == (shown, tel)
        assert call.name.startswith("Nora Test ")
        assert call.due_at.astimezone(OSLO).strftime("%H:%M") == "07:00"
    assert phone.calls.read() == list(calls.values())  # the same from the cache


def test_an_outcome_is_logged_through_the_outbox_and_the_call_stands_out(
    phone, phone_server, no_holiday
):
    base = phone_server.base
    participant = scheduled(base, "91234567")
    logged_in(phone, base)
    (call,) = [c for c in phone.calls.refresh() if c.participant_id == participant]
    assert not call.stands_out and call.unanswered == 0

    entry = phone.calls.log_outcome(call.id, "no_answer")
    assert entry.path == f"/wakeups/{call.id}/attempts/{entry.op_id}"
    shown = phone.calls.find(call.id)
    assert shown.waiting == ["no_answer"] and shown.unanswered == 1 and shown.due_again
    assert phone.sync().done == 1
    answered = phone.calls.find(call.id)  # the server's answer, before any refresh
    assert answered.waiting == [] and answered.unanswered == 1 and answered.stands_out

    for _ in range(2):
        phone.calls.log_outcome(call.id, "no_answer")
    assert phone.sync().done == 2
    assert phone.calls.find(call.id).home_visit  # unanswered three times: go and see


def test_not_coming_without_a_reason_is_refused_and_corrected(phone, phone_server, no_holiday):
    base = phone_server.base
    participant = scheduled(base, "91234567")
    logged_in(phone, base)
    phone.day.refresh()
    (call,) = [c for c in phone.calls.refresh() if c.participant_id == participant]

    entry = phone.calls.log_outcome(call.id, "answered_not_coming")
    assert phone.sync().refused == 1
    refused = phone.outbox.get(entry.op_id)
    assert refused.status == 422 and "absence_reason" in refused.errors["json"]
    assert phone.calls.find(call.id).attention

    phone.outbox.correct(entry.op_id, {**refused.body, "absence_reason": "sick"})
    row = phone.day.row(participant)
    assert (row.presence, row.absence_reason, row.waiting) == (Presence.ABSENT, "sick", True)
    assert phone.sync().done == 1
    assert phone.calls.find(call.id).status == "done"
    assert phone.day.refresh() and phone.day.row(participant).presence == Presence.ABSENT


def test_a_notice_leads_to_its_call(phone, phone_server, no_holiday):
    name = a_call_due_now(phone_server)
    logged_in(phone, phone_server.base)
    phone.calls.refresh()
    notices = [n for n in phone.notices.poll() if name in n["text"]]
    assert notices, "the dispatcher's notice"
    call = phone.calls.for_notice(notices[-1])
    assert call is not None and call.name == name
    assert call.tel == "tel:+4791234567"
    assert phone.calls.for_notice({**notices[-1], "participant_id": None}) is None


def test_a_follow_up_and_an_action_item_ticked_off(phone, phone_server):
    base = phone_server.base
    participant = newcomer(base)
    leader = Staff(base, *LEADER)
    status, _, meeting = leader(
        "POST",
        f"/participants/{participant}/meetings",
        {"scheduled_at": (datetime.now(OSLO) + timedelta(days=7)).isoformat(timespec="seconds")},
    )
    assert status == 201, meeting
    status, _, action = leader(
        "POST",
        f"/meetings/{meeting['id']}/actions",
        {"description": "Søke arbeidspraksis", "responsible": "Ingrid"},
    )
    assert status == 201, action
    logged_in(phone, base)
    phone.day.refresh()

    followup = phone.followups.log(participant, "home_visit", duration_minutes=30, note="Bra.")
    assert followup.facts["name"].startswith("Nora Test ")
    tick = phone.followups.tick(meeting["id"], action["id"], participant_id=participant)
    report = phone.sync()
    assert (report.done, report.refused) == (2, 0), phone.outbox.entries(State.ATTENTION)

    staff = Staff(base, *FACILITATOR)
    stored = staff.get(f"/followups/{followup.op_id}")
    assert (stored["kind"], stored["duration_minutes"]) == ("home_visit", 30)
    assert stored["note"] == "Bra."
    # The phone keeps no note: it reads it from the server when the user opens it.
    assert phone.followups.read(followup.op_id)["note"] == "Bra."
    (ticked,) = staff.get(f"/meetings/{meeting['id']}")["actions"]
    assert ticked["done"] is True and tick.body["done"] is True and tick.body["recorded_at"]
