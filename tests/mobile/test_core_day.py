"""The day on the phone against a real Spire: the list from the cache with no network,
check-in, check-out and absence shown at once and sent by the outbox, undo before and
after sending, and the refresh that asks with the copy's ETag."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from mobile.core.client import Unreachable
from mobile.core.day import Presence
from mobile.core.outbox import Kind, State
from mobile.core.spire import Spire
from shared.i18n import texts
from tests.e2e.conftest import free_port
from tests.mobile.conftest import (
    FACILITATOR,
    LEADER,
    Staff,
    answers,
    logged_in,
    newcomer,
    wait_for_answers,
)


def dead_address() -> str:
    return f"http://127.0.0.1:{free_port()}"


def test_the_day_opens_from_the_cache_with_no_network(phone, phone_server, tmp_path):
    logged_in(phone, phone_server.base)
    fetched = phone.day.refresh()
    assert fetched.rows and fetched.fetched_at is not None
    assert fetched.department_id == phone.session.department_id
    assert phone.session.department["name"] == "Songdalen"
    expected = [row.expected for row in fetched.rows]
    assert expected == sorted(expected, reverse=True)  # expected first, as the server has it
    phone.close()

    # Started again with no network: the same list, from the phone's own copy.
    again = Spire(tmp_path / "phone", timeout=2)
    again.client.base_url = dead_address()
    with pytest.raises(Unreachable):
        again.day.refresh()
    offline = again.day.read()
    assert [r.name for r in offline.rows] == [r.name for r in fetched.rows]
    assert offline.fetched_at == fetched.fetched_at
    again.close()


def test_check_in_out_and_absence_show_at_once_and_reach_the_server(phone, phone_server):
    base = phone_server.base
    logged_in(phone, base)
    first, second = newcomer(base), newcomer(base)
    phone.day.refresh()
    phone.client.base_url = dead_address()  # offline from here on

    entry = phone.day.check_in(first)
    phone.day.absent(second, "sick")
    rows = {row.participant_id: row for row in phone.day.read().rows}
    assert rows[first].presence == Presence.CHECKED_IN and rows[first].waiting
    assert rows[second].presence == Presence.ABSENT and rows[second].absence_reason == "sick"
    assert phone.outbox.pending_count() == 2
    assert entry.kind == Kind.CHECK_IN and entry.path == f"/attendance/{entry.op_id}"
    assert entry.summary(texts("nb")).startswith(f"{rows[first].name} sjekket inn kl. ")

    report = phone.sync()
    assert report.failure == "unreachable" and report.pending == 2
    state = phone.syncer.state
    assert state.failures == 1 and state.next_try is not None and not phone.syncer.due()

    phone.day.check_out(first)
    phone.client.base_url = base
    report = phone.sync()
    assert (report.done, report.refused, report.pending, report.failure) == (3, 0, 0, None)
    assert phone.syncer.state.failures == 0 and phone.outbox.last_sync is not None

    # The cached list shows what the server answered, before any refresh.
    rows = {row.participant_id: row for row in phone.day.read().rows}
    assert rows[first].presence == Presence.CHECKED_OUT and not rows[first].waiting
    staff = Staff(base, *FACILITATOR)
    day = phone.session.today().isoformat()
    department = phone.session.department_id
    records = {
        r["participant_id"]: r
        for r in staff.get(f"/attendance?department_id={department}&date={day}")
    }
    assert records[first]["check_in_at"] and records[first]["check_out_at"]
    assert (records[second]["status"], records[second]["absence_reason"]) == ("absent", "sick")
    refreshed = {row.participant_id: row for row in phone.day.refresh().rows}
    assert refreshed[first].presence == Presence.CHECKED_OUT
    assert refreshed[first].check_in_at == rows[first].check_in_at


def test_times_are_by_the_servers_clock(phone, phone_server, tmp_path):
    """The app writes times by the server's clock: the offset its answers showed is kept
    (offline too, after a restart) and set right by the next answer."""
    logged_in(phone, phone_server.base)
    participant = newcomer(phone_server.base)
    phone.day.refresh()
    assert abs(phone.clock.offset.total_seconds()) < 5  # this machine's clock is the server's
    # As if an earlier answer had shown the phone's clock an hour behind the server's.
    phone.store.put(clock_offset=3600.0)
    phone.close()
    again = Spire(tmp_path / "phone", timeout=2)
    again.client.base_url = dead_address()
    entry = again.day.check_in(participant)
    written = datetime.fromisoformat(entry.body["check_in_at"])
    assert abs((written - datetime.now(UTC)) - timedelta(hours=1)) < timedelta(seconds=5)
    assert again.outbox.discard(entry.op_id)

    again.client.base_url = phone_server.base
    again.client.call("GET", "/me")
    assert abs(again.clock.offset.total_seconds()) < 5
    again.close()


def test_undo_before_sending_removes_the_write(phone, phone_server):
    logged_in(phone, phone_server.base)
    participant = newcomer(phone_server.base)
    phone.day.refresh()
    phone.day.check_in(participant)
    phone.day.check_out(participant)

    undone = phone.day.undo(participant)
    assert undone.kind == Kind.CHECK_OUT and undone.queued is None
    assert phone.day.row(participant).presence == Presence.CHECKED_IN
    undone = phone.day.undo(participant)
    assert undone.kind == Kind.CHECK_IN and undone.queued is None
    assert phone.day.row(participant).presence == Presence.NOT_ARRIVED
    assert phone.outbox.pending_count() == 0
    assert phone.day.undo(participant) is None
    phone.sync()
    staff = Staff(phone_server.base, *FACILITATOR)
    day = phone.session.today().isoformat()
    records = staff.get(f"/attendance?participant_id={participant}&from={day}&to={day}")
    assert records == []


def test_undo_after_sending_withdraws_the_write_on_the_server(phone, phone_server):
    logged_in(phone, phone_server.base)
    participant = newcomer(phone_server.base)
    phone.day.refresh()
    check_in = phone.day.check_in(participant)
    phone.sync()
    assert phone.day.row(participant).presence == Presence.CHECKED_IN

    undone = phone.day.undo(participant)
    assert undone.kind == Kind.CHECK_IN
    assert undone.queued.method == "DELETE"
    assert undone.queued.path == f"/attendance/{check_in.op_id}"
    assert "body" not in undone.queued.operation()  # a DELETE has none
    row = phone.day.row(participant)
    assert row.presence == Presence.NOT_ARRIVED and row.waiting
    assert phone.day.undo(participant) is None  # nothing older to take back

    report = phone.sync()
    assert (report.done, report.refused) == (1, 0)
    assert phone.day.row(participant).presence == Presence.NOT_ARRIVED
    assert phone.day.undo(participant) is None  # withdrawn already
    staff = Staff(phone_server.base, *FACILITATOR)
    day = phone.session.today().isoformat()
    records = staff.get(f"/attendance?participant_id={participant}&from={day}&to={day}")
    assert records == []


def test_a_refresh_sends_the_copys_etag(phone, phone_server):
    """An unchanged list is answered 304 and the copy stays; a changed one comes whole."""
    logged_in(phone, phone_server.base)
    first = phone.day.refresh()
    key = f"today/{first.department_id}/{first.date.isoformat()}"
    etag = phone.cache.get(key).etag
    assert etag
    unchanged = answers(phone_server, "GET", "/today", 304)
    second = phone.day.refresh()
    assert wait_for_answers(phone_server, "GET", "/today", 304, unchanged + 1) == unchanged + 1
    assert [r.name for r in second.rows] == [r.name for r in first.rows]
    assert second.fetched_at >= first.fetched_at and phone.cache.get(key).etag == etag

    participant = newcomer(phone_server.base)  # the list changes
    third = phone.day.refresh()
    assert participant in [r.participant_id for r in third.rows]
    assert phone.cache.get(key).etag != etag


def test_undo_while_the_write_is_on_its_way_withdraws_it_after(phone, phone_server):
    """The check-in has left in a batch whose answer has not come: it cannot be taken
    back from the outbox, so its withdrawal is queued behind it."""
    logged_in(phone, phone_server.base)
    participant = newcomer(phone_server.base)
    phone.day.refresh()
    check_in = phone.day.check_in(participant)
    user_id = phone.session.user["id"]
    on_its_way = phone.outbox.take(user_id, 10)  # as the syncer does when it sends
    assert phone.outbox.in_flight(check_in.op_id)

    undone = phone.day.undo(participant)
    assert undone.queued.path == f"/attendance/{check_in.op_id}"
    assert phone.day.row(participant).presence == Presence.NOT_ARRIVED
    assert phone.day.undo(participant) is None
    phone.outbox.settle(on_its_way)

    report = phone.sync()
    assert (report.done, report.refused) == (2, 0)  # the check-in, then its withdrawal
    assert phone.day.row(participant).presence == Presence.NOT_ARRIVED
    staff = Staff(phone_server.base, *FACILITATOR)
    day = phone.session.today().isoformat()
    assert staff.get(f"/attendance?participant_id={participant}&from={day}&to={day}") == []


def test_an_undo_after_the_participant_moved_needs_attention(phone, phone_server):
    """The check-in reached the server, then the participant moved to a department the
    user does not see: the undo's 404 is not "nothing to withdraw" but a refusal the user
    must see (the check-in is still on the server)."""
    base = phone_server.base
    logged_in(phone, base)
    participant = newcomer(base)
    phone.day.refresh()
    check_in = phone.day.check_in(participant)
    assert phone.sync().done == 1
    undo = phone.day.undo(participant).queued
    leader = Staff(base, *LEADER)
    leader.move(participant, leader.department("Arendal"))

    report = phone.sync()
    assert (report.done, report.refused) == (0, 1)
    (waiting,) = phone.outbox.entries(State.ATTENTION)
    assert (waiting.op_id, waiting.status) == (undo.op_id, 404)
    assert leader.get(f"/attendance/{check_in.op_id}")["check_in_at"]  # not withdrawn


def test_an_undo_of_a_tap_the_server_refused_takes_both_away(phone, phone_server):
    """A check-in left in a batch and was undone on its way; the server refuses it (422),
    so the undo's DELETE finds nothing (404): both leave the outbox, and no refused tap is
    left whose correction would bring back what the user undid."""
    base = phone_server.base
    logged_in(phone, base)
    participant = newcomer(base)
    phone.day.refresh()
    day = phone.session.today()
    now = phone.clock.now()
    yesterday = (now - timedelta(days=1)).isoformat()  # not on the day: refused
    check_in = phone.outbox.add(
        Kind.CHECK_IN,
        "PUT",
        "/attendance/{id}",
        {
            "participant_id": participant,
            "date": day.isoformat(),
            "status": "present",
            "check_in_at": yesterday,
            "recorded_at": now.isoformat(),
        },
        participant_id=participant,
        day=day.isoformat(),
        facts={"name": None, "at": yesterday, "before": None},
    )
    on_its_way = phone.outbox.take(phone.session.user["id"], 10)
    undo = phone.day.undo(participant).queued
    assert undo.target == check_in.op_id
    phone.outbox.settle(on_its_way)

    report = phone.sync()
    assert (report.done, report.refused, report.pending) == (1, 1, 0)
    assert phone.outbox.entries() == []
    assert phone.day.row(participant).presence == Presence.NOT_ARRIVED
    staff = Staff(base, *FACILITATOR)
    status, _, _ = staff("GET", f"/attendance/{check_in.op_id}")
    assert status == 404


def test_the_day_shows_what_the_server_will_make_of_the_writes_not_yet_sent(phone, phone_server):
    """The phone lays its pending writes over the list by the server's own rule: an
    absence recorded on the server after an offline check-in keeps the status, and the
    check-in time joins it, before the sync as after."""
    base = phone_server.base
    logged_in(phone, base)
    participant = newcomer(base)
    phone.day.refresh()
    check_in = phone.day.check_in(participant)  # not yet sent
    recorded = datetime.fromisoformat(check_in.body["recorded_at"])
    staff = Staff(base, *FACILITATOR)
    status, _, body = staff(
        "PUT",
        f"/attendance/{uuid.uuid4()}",
        {
            "participant_id": participant,
            "date": check_in.body["date"],
            "status": "absent",
            "absence_reason": "sick",
            "recorded_at": (recorded + timedelta(minutes=1)).isoformat(),
        },
    )
    assert status == 201, body

    shown = phone.day.refresh()
    row = next(r for r in shown.rows if r.participant_id == participant)
    assert (row.presence, row.absence_reason, row.waiting) == (Presence.ABSENT, "sick", True)
    assert row.check_in_at == datetime.fromisoformat(check_in.body["check_in_at"])
    assert phone.sync().done == 1
    stored = staff.get(f"/attendance/{check_in.op_id}")
    assert (stored["status"], stored["absence_reason"]) == ("absent", "sick")
    after = phone.day.refresh()
    synced = next(r for r in after.rows if r.participant_id == participant)
    assert (synced.presence, synced.check_in_at, synced.waiting) == (
        row.presence,
        row.check_in_at,
        False,
    )
