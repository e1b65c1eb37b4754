"""The outbox and its sync against a real Spire: writes made while the server is down
reach it when it is back, in batches; nothing is lost or doubled when the same batch
goes twice or the app is killed between the server's answer and its own record of it;
a refused write waits for the user with the server's message, to be corrected or
discarded."""

import json
import shutil
import subprocess
import sys
import threading
from datetime import timedelta

from mobile.core.outbox import Kind, State
from mobile.core.spire import Spire
from mobile.core.syncer import BATCH
from tests.mobile.conftest import FACILITATOR, ROOT, Staff, logged_in, newcomer

DIE = ROOT / "tests" / "mobile" / "sync_and_die.py"


def followups_of(staff: Staff, participant_id: str) -> list[str]:
    """The ids of every follow-up the server has for the participant."""
    ids: list[str] = []
    for page in range(1, 100):
        status, headers, rows = staff(
            "GET", f"/followups?participant_id={participant_id}&page={page}&page_size=100"
        )
        assert status == 200, rows
        ids += [row["id"] for row in rows]
        if page >= json.loads(headers["X-Pagination"])["total_pages"]:
            return ids
    return ids


def test_writes_made_while_the_server_is_down_reach_it_when_it_is_back(phone, phone_server):
    logged_in(phone, phone_server.base)
    participant = newcomer(phone_server.base)
    phone.day.refresh()
    staff = Staff(phone_server.base, *FACILITATOR)
    before = set(followups_of(staff, participant))
    phone_server.stop()
    try:
        check_in = phone.day.check_in(participant)
        logged = [
            phone.followups.log(participant, "phone", duration_minutes=n + 1)
            for n in range(BATCH + 4)
        ]
        report = phone.sync()
        assert report.failure == "unreachable"
        assert phone.outbox.pending_count() == BATCH + 5
    finally:
        phone_server.start()

    report = phone.sync()
    assert (report.done, report.pending, report.failure) == (BATCH + 5, 0, None)
    after = set(followups_of(staff, participant)) - before
    assert after == {entry.op_id for entry in logged}
    record = staff.get(f"/attendance/{check_in.op_id}")
    assert record["participant_id"] == participant and record["check_in_at"]


def test_one_sync_at_a_time(phone, phone_server):
    logged_in(phone, phone_server.base)
    participant = newcomer(phone_server.base)
    phone.day.refresh()
    staff = Staff(phone_server.base, *FACILITATOR)
    before = set(followups_of(staff, participant))
    logged = {phone.followups.log(participant, "other").op_id for _ in range(2 * BATCH)}
    barrier, reports = threading.Barrier(3), []

    def sync():
        barrier.wait()
        reports.append(phone.sync())

    threads = [threading.Thread(target=sync) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sum(report.done for report in reports) == 2 * BATCH
    assert any(report.busy for report in reports)
    assert set(followups_of(staff, participant)) - before == logged


def test_the_same_batch_sent_twice_is_stored_once(phone, phone_server, tmp_path):
    """A phone restored from a copy made before it synced sends the same writes again."""
    logged_in(phone, phone_server.base)
    participant = newcomer(phone_server.base)
    phone.day.refresh()
    staff = Staff(phone_server.base, *FACILITATOR)
    before = set(followups_of(staff, participant))
    check_in = phone.day.check_in(participant)
    followup = phone.followups.log(participant, "conversation", note="Snakket om uka.")
    phone.close()
    shutil.copytree(tmp_path / "phone", tmp_path / "copy")

    first = Spire(tmp_path / "phone")
    assert first.sync().done == 2
    first.close()
    second = Spire(tmp_path / "copy")
    assert second.outbox.pending_count() == 2
    assert second.sync().done == 2
    second.close()

    assert set(followups_of(staff, participant)) - before == {followup.op_id}
    record = staff.get(f"/attendance/{check_in.op_id}")
    assert record["history"] == []  # taken once: the second time changed nothing


def test_killed_after_the_answer_the_write_is_neither_lost_nor_doubled(
    phone, phone_server, tmp_path
):
    logged_in(phone, phone_server.base)
    participant = newcomer(phone_server.base)
    phone.day.refresh()
    staff = Staff(phone_server.base, *FACILITATOR)
    before = set(followups_of(staff, participant))
    followup = phone.followups.log(participant, "home_visit", duration_minutes=45)
    phone.close()

    died = subprocess.run(
        [sys.executable, str(DIE), str(tmp_path / "phone")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert died.returncode == -9, died.stderr
    assert died.stdout.split() == [f"{followup.op_id}:201"]  # the server had stored it
    assert set(followups_of(staff, participant)) - before == {followup.op_id}

    again = Spire(tmp_path / "phone")
    assert [entry.op_id for entry in again.outbox.entries()] == [followup.op_id]
    report = again.sync()
    assert (report.done, report.pending) == (1, 0)
    assert set(followups_of(staff, participant)) - before == {followup.op_id}
    again.close()


def test_a_refused_write_waits_with_the_servers_message_until_discarded(phone, phone_server):
    """A participant moved to another department since the list was fetched: the
    check-in is refused (404), and the user sees why instead of losing it in silence."""
    base = phone_server.base
    logged_in(phone, base)
    participant = newcomer(phone_server.base)
    phone.day.refresh()
    leader = Staff(base, "leder", "Bjork-Kanel-7301")
    leader.move(participant, leader.department("Arendal"))

    entry = phone.day.check_in(participant)
    report = phone.sync()
    assert (report.done, report.refused, report.pending) == (0, 1, 0)
    (refused,) = phone.outbox.entries(State.ATTENTION)
    assert refused.op_id == entry.op_id and refused.status == 404
    status, _, answer = Staff(base, *FACILITATOR)("GET", f"/participants/{participant}")
    assert status == 404
    assert refused.message == answer["message"]  # the server's own words, in Norwegian
    assert phone.outbox.attention_count() == 1
    row = phone.day.row(participant)
    assert row.attention and not row.waiting and row.presence.value == "not_arrived"

    assert phone.sync().sent == 0  # a refused write is not sent again by itself
    assert phone.outbox.discard(refused.op_id)
    assert phone.outbox.entries() == []
    assert not phone.day.row(participant).attention


def test_a_corrected_write_is_sent_again_under_its_id_or_a_new_one(phone, phone_server):
    logged_in(phone, phone_server.base)
    participant, other = newcomer(phone_server.base), newcomer(phone_server.base)
    staff = Staff(phone_server.base, *FACILITATOR)
    tomorrow = phone.clock.now() + timedelta(days=1)
    entry = phone.followups.log(participant, "phone", occurred_at=tomorrow)
    assert phone.sync().refused == 1
    refused = phone.outbox.get(entry.op_id)
    assert refused.status == 422 and "occurred_at" in refused.errors["json"]

    corrected = phone.outbox.correct(
        entry.op_id, {**refused.body, "occurred_at": phone.clock.now().isoformat()}
    )
    assert (corrected.op_id, corrected.path, corrected.state) == (
        entry.op_id,
        entry.path,
        State.PENDING,
    )
    assert phone.sync().done == 1
    assert staff.get(f"/followups/{entry.op_id}")["participant_id"] == participant

    # The same id for another participant: the server has that id already (409), so the
    # corrected write goes under a new one.
    clash = phone.outbox.add(
        Kind.FOLLOWUP,
        "PUT",
        "/followups/{id}",
        {**corrected.body, "participant_id": other},
        op_id=entry.op_id,
        participant_id=other,
    )
    assert phone.sync().refused == 1
    assert phone.outbox.get(clash.op_id).status == 409
    moved = phone.outbox.correct(clash.op_id, {**corrected.body, "participant_id": other})
    assert moved.op_id != entry.op_id and moved.path == f"/followups/{moved.op_id}"
    assert phone.sync().done == 1
    assert staff.get(f"/followups/{moved.op_id}")["participant_id"] == other


def test_a_tap_and_its_undo_sent_twice_stay_undone(phone, phone_server, tmp_path):
    """A check-in left in a batch and was undone on its way; the batch that carries both
    goes twice: the second time the server answers the tap 410 (undone since), which is
    done, not a refusal to show the user."""
    logged_in(phone, phone_server.base)
    participant = newcomer(phone_server.base)
    phone.day.refresh()
    check_in = phone.day.check_in(participant)
    on_its_way = phone.outbox.take(phone.session.user["id"], 10)
    undo = phone.day.undo(participant).queued
    phone.outbox.settle(on_its_way)  # its answer never came: both wait
    assert [e.op_id for e in phone.outbox.entries()] == [check_in.op_id, undo.op_id]
    phone.close()
    shutil.copytree(tmp_path / "phone", tmp_path / "copy")

    for folder in ("phone", "copy"):
        spire = Spire(tmp_path / folder)
        report = spire.sync()
        assert (report.done, report.refused, report.pending) == (2, 0, 0)
        assert spire.day.undo(participant) is None
        spire.close()
    staff = Staff(phone_server.base, *FACILITATOR)
    status, _, _ = staff("GET", f"/attendance/{check_in.op_id}")
    assert status == 404  # the day has no record
