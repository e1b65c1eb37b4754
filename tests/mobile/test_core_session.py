"""The login on the phone against a real Spire: departments by name, the PIN lock after
the background, unlocking with the PIN or the password, five wrong PINs, and logging out
so that nothing of the user is left on the phone, unless writes of theirs still wait."""

import json
import threading
import time
import urllib.error
import urllib.request

import pytest

from mobile.core.client import ApiError, Client, LoggedOut
from mobile.core.clock import boot_id, uptime
from mobile.core.outbox import Waiting
from mobile.core.pin import BadPin
from mobile.core.session import KEPT, LOCK_AFTER, Locked, PinLockOut, WritesWaiting, WrongPin
from mobile.core.spire import Spire
from mobile.core.store import Store
from mobile.core.syncer import BATCH
from tests.e2e.conftest import free_port
from tests.mobile.conftest import (
    FACILITATOR,
    LEADER,
    OTHER_FACILITATOR,
    Staff,
    logged_in,
    newcomer,
)
from tests.mobile.test_core_sync import followups_of

PIN = "271828"


def refresh_works(base: str, refresh_token: str) -> bool:
    """Whether the server still takes a refresh token (the login has not ended)."""
    request = urllib.request.Request(
        f"{base}/api/v1/auth/refresh",
        method="POST",
        headers={"Authorization": f"Bearer {refresh_token}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status == 200
    except urllib.error.HTTPError:
        return False


def test_the_users_departments_by_name_and_the_one_chosen(phone, phone_server, tmp_path):
    logged_in(phone, phone_server.base, LEADER)
    assert phone.session.user["username"] == "leder"
    names = {d["name"]: d["id"] for d in phone.session.departments}
    assert set(names) == {"Songdalen", "Arendal"}
    assert phone.session.country == "NO"
    assert phone.session.timezone() == "Europe/Oslo"
    phone.session.switch_department(names["Songdalen"])
    with pytest.raises(ValueError):
        phone.session.switch_department("not-a-department")
    assert phone.day.refresh().department_id == names["Songdalen"]
    phone.close()

    again = Spire(tmp_path / "phone")
    assert again.session.department["name"] == "Songdalen"
    again.close()


def test_the_pin_locks_the_app_after_three_minutes_away(phone, phone_server, tmp_path):
    logged_in(phone, phone_server.base)
    session = phone.session
    assert session.needs_pin and not session.locked
    for bad in ("123", "1234567", "12a4", ""):
        with pytest.raises(BadPin):
            session.set_pin(bad)
    session.set_pin(PIN)
    stored = phone.store.get("pin")
    assert set(stored) == {"scrypt", "salt", "n", "r", "p"} and PIN not in str(stored)
    assert not session.needs_pin

    session.went_to_background(at=1000.0)
    assert session.came_back(at=1000.0 + LOCK_AFTER - 1) is False
    phone.day.refresh()
    session.went_to_background(at=2000.0)
    assert session.came_back(at=2000.0 + LOCK_AFTER) is True
    with pytest.raises(Locked):
        phone.day.read()
    with pytest.raises(WrongPin) as wrong:
        session.unlock("000000")
    assert wrong.value.tries_left == 4
    session.unlock(PIN)
    assert not session.locked and phone.store.get("pin_tries") == 0
    assert phone.day.read().rows

    # Started again after being killed in the foreground: locked; after a short while
    # in the background: not.
    phone.close()
    cold = Spire(tmp_path / "phone")
    assert cold.session.locked
    cold.session.unlock(PIN)
    cold.session.went_to_background()
    cold.close()
    warm = Spire(tmp_path / "phone")
    assert not warm.session.locked
    warm.close()


def test_a_new_pin_never_opens_the_lock_and_a_change_needs_the_old_one(phone, phone_server):
    logged_in(phone, phone_server.base)
    session = phone.session
    session.set_pin(PIN)
    session.went_to_background(at=0.0)
    assert session.came_back(at=LOCK_AFTER + 1.0)
    with pytest.raises(WrongPin):
        session.unlock("000000")
    stored = phone.store.get("pin")

    with pytest.raises(Locked):
        session.set_pin("1234")
    assert session.locked and phone.store.get("pin") == stored
    assert phone.store.get("pin_tries") == 1  # the wrong try still counts
    with pytest.raises(WrongPin):
        session.unlock("1234")

    session.unlock(PIN)
    with pytest.raises(WrongPin) as wrong:
        session.set_pin("1234")  # without the old PIN
    assert wrong.value.tries_left == 4
    with pytest.raises(WrongPin):
        session.set_pin("1234", old_pin="999999")
    assert phone.store.get("pin") == stored
    session.set_pin("1234", old_pin=PIN)
    assert phone.store.get("pin_tries") == 0
    session.went_to_background(at=0.0)
    assert session.came_back(at=LOCK_AFTER + 1.0)
    with pytest.raises(WrongPin):
        session.unlock(PIN)
    session.unlock("1234")
    assert not session.locked


def test_a_restart_of_the_phone_locks_the_app(phone, phone_server, tmp_path):
    """The uptime counts from 0 again after the phone restarts, so a moment of it taken
    before the restart may look like a few seconds ago: the boot it was taken in, and the
    wall clock, tell."""
    logged_in(phone, phone_server.base)
    phone.session.set_pin(PIN)
    phone.session.went_to_background()
    assert phone.store.get("background_boot") == boot_id()
    # Another boot, whose uptime happens to be ten seconds past the moment taken.
    phone.store.put(background_boot="another boot", background_at=uptime() - 10)
    phone.close()
    restarted = Spire(tmp_path / "phone")
    assert restarted.session.locked
    restarted.session.unlock(PIN)

    restarted.session.went_to_background(at=1000.0)
    restarted.store.put(background_boot="another boot")
    assert restarted.session.came_back(at=1010.0) is True
    restarted.session.unlock(PIN)

    # Where the boot cannot be told, the wall clock does.
    restarted.session.went_to_background(at=1000.0)
    restarted.store.put(background_wall=time.time() - LOCK_AFTER - 1)
    assert restarted.session.came_back(at=1010.0) is True
    restarted.session.unlock(PIN)
    restarted.session.went_to_background(at=1000.0)
    assert restarted.session.came_back(at=1010.0) is False
    restarted.close()


def test_the_password_unlocks_by_a_new_login(phone, phone_server):
    base = phone_server.base
    logged_in(phone, base)
    phone.session.set_pin(PIN)
    phone.session.went_to_background(at=0.0)
    assert phone.session.came_back(at=LOCK_AFTER + 1.0)
    old_refresh = phone.store.get("refresh_token")

    with pytest.raises(ApiError) as wrong:
        phone.session.unlock_with_password("feil-passord")
    assert wrong.value.status == 401 and phone.session.locked
    phone.session.unlock_with_password(FACILITATOR[1])
    assert not phone.session.locked
    assert phone.store.get("refresh_token") != old_refresh
    assert not refresh_works(base, old_refresh)  # the old login was revoked
    assert phone.client.call("GET", "/me")["username"] == FACILITATOR[0]


def test_five_wrong_pins_end_the_login_but_keep_the_unsent_writes(phone, phone_server):
    """The writes stay under their user's id: not shown or sent under another login,
    sent when their user logs in again."""
    base = phone_server.base
    participant = newcomer(base)
    logged_in(phone, base)
    phone.session.set_pin(PIN)
    phone.day.refresh()
    waiting = phone.day.check_in(participant)
    refresh_token = phone.store.get("refresh_token")
    user_id = phone.session.user["id"]
    phone.session.went_to_background(at=0.0)
    phone.session.came_back(at=LOCK_AFTER)

    for tries_left in (4, 3, 2, 1):
        with pytest.raises(WrongPin) as wrong:
            phone.session.unlock("1111")
        assert wrong.value.tries_left == tries_left
    with pytest.raises(PinLockOut):
        phone.session.unlock("1111")

    assert not phone.session.logged_in and not phone.session.locked
    assert not refresh_works(base, refresh_token)
    assert phone.db.scalar("SELECT count(*) FROM cache") == 0
    assert set(json.loads(phone.store.path.read_text())) <= set(KEPT)
    assert phone.outbox.unsent_count(user_id) == 1

    # Someone else logs in on the same phone: told whose writes wait, shown none of them.
    result = phone.session.log_in(base, *OTHER_FACILITATOR)
    assert result.others_waiting == [Waiting(user_id, "Ingrid Larsen", 1)]
    assert phone.outbox.entries() == [] and phone.outbox.pending_count() == 0
    assert phone.sync().sent == 0
    staff = Staff(base, *FACILITATOR)
    status, _, _ = staff("GET", f"/attendance/{waiting.op_id}")
    assert status == 404  # not sent under the other user's login
    assert phone.session.log_out() == 0
    assert phone.outbox.unsent_count(user_id) == 1  # not theirs to drop

    # Its own user again: sent.
    assert phone.session.log_in(base, *FACILITATOR).others_waiting == []
    assert [e.op_id for e in phone.outbox.entries()] == [waiting.op_id]
    assert phone.sync().done == 1
    assert staff.get(f"/attendance/{waiting.op_id}")["participant_id"] == participant


def test_logging_out_leaves_nothing_of_the_user_on_the_phone(phone, phone_server, tmp_path):
    base = phone_server.base
    participant = newcomer(base)
    logged_in(phone, base)
    phone.session.set_pin(PIN)
    day = phone.day.refresh()
    phone.calls.refresh()
    phone.notices.poll()
    phone.day.check_in(participant)
    phone.followups.log(participant, "conversation", note="Hemmelig notat om uka.")
    assert phone.sync().done == 2
    user = phone.session.user
    tokens = phone.client.tokens()
    traces = [user["id"], user["username"], user["full_name"], "Hemmelig notat", *tokens.values()]
    traces += [row.last_name for row in day.rows] + [participant]

    folder = tmp_path / "phone"

    def holding(trace: str) -> list[str]:
        files = [path for path in folder.rglob("*") if path.is_file()]
        return [path.name for path in files if trace.encode() in path.read_bytes()]

    assert holding(day.rows[-1].last_name) and holding(user["full_name"])  # before

    assert phone.session.log_out() == 0
    assert not refresh_works(base, tokens["refresh_token"])
    stored = json.loads((folder / "spire.json").read_text())
    assert "server_url" in stored and set(stored) <= set(KEPT)
    phone.close()
    files = [path for path in folder.rglob("*") if path.is_file()]
    assert {path.name for path in files} >= {"spire.json", "spire.db"}
    for path in files:
        content = path.read_bytes()
        left = [trace for trace in traces if trace.encode() in content]
        assert left == [], f"{path.name} still holds {left}"

    again = Spire(tmp_path / "phone")
    assert again.session.server_url == base and not again.session.logged_in
    again.close()


def test_logging_out_with_writes_not_yet_sent(phone, phone_server):
    base = phone_server.base
    participant = newcomer(base)
    logged_in(phone, base)
    phone.day.refresh()
    phone.client.base_url = f"http://127.0.0.1:{free_port()}"  # no network
    phone.day.check_in(participant)

    with pytest.raises(WritesWaiting) as waiting:
        phone.session.log_out()
    assert waiting.value.count == 1
    assert phone.session.logged_in and phone.outbox.pending_count() == 1

    # Back online, the logout sends them first and goes through.
    phone.client.base_url = base
    (entry,) = phone.outbox.entries()
    assert phone.session.log_out() == 0
    assert not phone.session.logged_in
    staff = Staff(base, *FACILITATOR)
    assert staff.get(f"/attendance/{entry.op_id}")["participant_id"] == participant

    # Offline again, and the user confirms: the writes are dropped with the rest.
    other = newcomer(base)
    logged_in(phone, base)
    phone.day.refresh()
    phone.client.base_url = f"http://127.0.0.1:{free_port()}"
    phone.day.check_in(other)
    assert phone.session.log_out(discard=True) == 1
    assert phone.db.scalar("SELECT count(*) FROM outbox") == 0
    with pytest.raises(LoggedOut):
        phone.day.check_in(other)


def no_trace_left(folder, traces: list[str]) -> None:
    for path in [path for path in folder.rglob("*") if path.is_file()]:
        content = path.read_bytes()
        left = [trace for trace in traces if trace.encode() in content]
        assert left == [], f"{path.name} still holds {left}"


def test_a_login_ended_on_the_server_leaves_only_the_unsent_writes(phone, phone_server, tmp_path):
    """Logged out elsewhere: the next request learns it (the refresh is answered 401), and
    the phone keeps nothing of the login (lists, pages, notices, PIN), as after five wrong
    PINs, but the user's unsent writes, sent when they log in here again."""
    base = phone_server.base
    participant = newcomer(base)
    logged_in(phone, base)
    phone.session.set_pin(PIN)
    day = phone.day.refresh()
    phone.calls.refresh()
    phone.pages.open(participant)
    phone.notices.poll()
    user_id = phone.session.user["id"]
    tokens = phone.client.tokens()
    phone.client.base_url = f"http://127.0.0.1:{free_port()}"  # offline for the tap
    waiting = phone.day.check_in(participant)
    phone.client.base_url = base

    Client(base, Store(tmp_path / "elsewhere.json")).revoke(tokens)
    with pytest.raises(LoggedOut):
        phone.day.refresh()

    assert not phone.session.logged_in and not phone.session.locked
    assert phone.db.scalar("SELECT count(*) FROM cache") == 0
    assert phone.db.scalar("SELECT count(*) FROM sent") == 0
    assert set(json.loads(phone.store.path.read_text())) <= set(KEPT)
    assert phone.outbox.unsent_count(user_id) == 1
    others = [row.last_name for row in day.rows if row.participant_id != participant]
    assert others
    no_trace_left(tmp_path / "phone", [*tokens.values(), *others, "scrypt"])

    phone.session.log_in(base, *FACILITATOR)
    assert [e.op_id for e in phone.outbox.entries()] == [waiting.op_id]
    assert phone.sync().done == 1


def start_syncing(phone: Spire) -> tuple[threading.Thread, list]:
    reports: list = []
    syncing = threading.Thread(target=lambda: reports.append(phone.sync()))
    syncing.start()
    return syncing, reports


def test_logging_out_while_a_sync_runs_waits_for_its_batch(phone, phone_server, tmp_path):
    """The logout lets the sync under way finish its batch and sends the rest itself: no
    false "writes waiting" because the sync was busy."""
    base = phone_server.base
    participant = newcomer(base)
    logged_in(phone, base)
    staff = Staff(base, *FACILITATOR)
    before = set(followups_of(staff, participant))
    logged = {phone.followups.log(participant, "other").op_id for _ in range(2 * BATCH)}
    first = phone.outbox.entries()[0].op_id
    syncing, _ = start_syncing(phone)
    deadline = time.monotonic() + 30
    while not phone.outbox.in_flight(first) and time.monotonic() < deadline:
        time.sleep(0.001)
    assert phone.outbox.in_flight(first)

    assert phone.session.log_out() == 0
    syncing.join(timeout=120)
    assert not phone.session.logged_in
    assert set(followups_of(staff, participant)) - before == logged
    for table in ("outbox", "sent", "cache"):
        assert phone.db.scalar(f"SELECT count(*) FROM {table}") == 0
    assert set(json.loads(phone.store.path.read_text())) <= set(KEPT)


def test_logging_out_with_discard_while_a_sync_runs(phone, phone_server, tmp_path):
    """The logout counts as dropped only the writes the server does not have, and the
    batch's answer, come back after, writes nothing of the user back onto the phone."""
    base = phone_server.base
    participant = newcomer(base)
    logged_in(phone, base)
    phone.day.refresh()
    staff = Staff(base, *FACILITATOR)
    before = set(followups_of(staff, participant))
    check_in = phone.day.check_in(participant)
    logged = {phone.followups.log(participant, "other").op_id for _ in range(2 * BATCH - 1)}
    syncing, _ = start_syncing(phone)
    deadline = time.monotonic() + 30
    while staff("GET", f"/attendance/{check_in.op_id}")[0] != 200:  # the batch is under way
        assert time.monotonic() < deadline
        time.sleep(0.005)
    phone.client.base_url = f"http://127.0.0.1:{free_port()}"  # offline from here on

    dropped = phone.session.log_out(discard=True)
    syncing.join(timeout=120)
    stored = set(followups_of(staff, participant)) - before
    assert stored < logged  # the batch under way reached the server, the next did not
    assert dropped == len(logged - stored)
    for table in ("outbox", "sent", "cache"):
        assert phone.db.scalar(f"SELECT count(*) FROM {table}") == 0
    assert set(json.loads(phone.store.path.read_text())) <= set(KEPT)
