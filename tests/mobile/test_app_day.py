"""A facilitator's day in the real app on a virtual screen against a real Spire: log in
and choose a PIN, check two participants in and one absent, log a wake-up call's outcome
and a follow-up, the PIN asked for after the background; then Spire goes down, one more
check-in waits on the phone, and reaches Spire when it is back. Spire's own data then
holds exactly those records, once each. Each screen's picture is kept in ``tmp_path``."""

import json
import os
import subprocess
import sys
import time
from datetime import datetime

import pytest

from shared.calendar import is_public_holiday
from tests.mobile.conftest import LEADER, OSLO, ROOT, Staff, newcomer

DRIVER = ROOT / "tests" / "mobile" / "drive_day.py"
FACILITATOR = ("tilrettelegger2", "Hav-Bolle-5518")  # Arendal
PIN = "2580"


def start(
    virtual_screen, tmp_path, base, plan: dict, run: str, driver: str = "drive_day.py"
) -> subprocess.Popen:
    """One start of the app (the same ``tmp_path`` is the same phone), driven by
    ``driver`` (a script in tests/mobile)."""
    out = tmp_path / run
    out.mkdir()
    (out / "plan.json").write_text(json.dumps(plan))
    env = {
        **os.environ,
        "DISPLAY": virtual_screen,
        "KIVY_HOME": str(tmp_path / "kivy"),
        "KIVY_WINDOW": "sdl2",
        "TZ": "Europe/Oslo",
    }
    return subprocess.Popen(
        [
            sys.executable,
            str(DRIVER.with_name(driver)),
            str(out),
            str(tmp_path / "app"),
            base,
            str(out / "plan.json"),
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def result(app: subprocess.Popen, tmp_path, run: str) -> dict:
    output, _ = app.communicate(timeout=90)
    found = tmp_path / run / "result.json"
    if app.returncode != 0 or not found.exists():
        logs = sorted((tmp_path / "kivy" / "logs").glob("*.txt"))
        pytest.fail("the app failed:\n" + (logs[-1].read_text()[-4000:] if logs else output))
    return json.loads(found.read_text())


def test_a_facilitators_day_online_and_offline(demo_server, virtual_screen, tmp_path):
    base = demo_server.base
    leader = Staff(base, *LEADER)
    if is_public_holiday(datetime.now(OSLO).date(), leader.get("/organisation")["country"]):
        pytest.skip("no wake-up calls are made on the organisation's public holidays")
    first, second, sick, late, woken, moved = (newcomer(base, "Arendal") for _ in range(6))
    status, _, body = leader(
        "PUT",
        f"/participants/{woken}/wakeup-schedule",
        {"weekdays": list(range(1, 8)), "time": "07:00", "phone": "91234567"},
    )
    assert status in (200, 201), body
    arendal = leader.department("Arendal")
    today = datetime.now(OSLO).date().isoformat()
    (call,) = [
        c
        for c in leader.get(f"/wakeups?department_id={arendal}")
        if c["participant"]["id"] == woken
    ]
    plan = {
        "login": FACILITATOR,
        "pin": PIN,
        "check_in": [first, second],
        "absent": sick,
        "call": call["id"],
        "followup": first,
        "offline_check_in": late,
        "moved": moved,
    }

    # Online: the day's first taps, all of them on Spire at the end.
    seen = result(
        start(virtual_screen, tmp_path, base, {**plan, "mode": "online"}, "on"), tmp_path, "on"
    )
    assert seen["outcome"] == "done", seen
    assert seen["seconds"] < 60
    assert seen["pin_mode"] == "choose"
    assert seen["window"] == [360, 740]
    assert seen["small_targets"] == []  # every button, tab and row at least 48 dp
    assert seen["targets"] > 100  # of that many seen on the screenshots
    assert seen["tabs"] == ["I dag", "Vekking", "Deltakere", "Anonym"]
    assert seen["states"][first].startswith("Sjekket inn kl. ")
    assert seen["states"][second].startswith("Sjekket inn kl. ")
    assert seen["states"][sick].startswith("Fravær: Syk")
    assert seen["call_sheet"].startswith("Nora Test ")
    assert seen["page_title"].startswith("Nora Test ")
    assert seen["status_synced"].startswith("Oppdatert kl. "), seen  # nothing waits
    # Back from the background after the lock's time: the PIN, and nothing of the day.
    assert (seen["locked_mode"], seen["at_work_when_locked"]) == ("unlock", False)
    assert seen["wrong_pin"] == "Feil PIN-kode. 4 forsøk igjen."
    assert seen["unlocked"] == "people"  # the tab it was on

    # Offline: Spire is down when the app starts again; one more check-in waits, and one
    # of a participant the leader has moved to another department meanwhile.
    leader.move(moved, leader.department("Songdalen"))
    demo_server.stop()
    try:
        app = start(virtual_screen, tmp_path, base, {**plan, "mode": "offline"}, "off")
        for _ in range(600):
            if (tmp_path / "off" / "offline.done").exists() or app.poll() is not None:
                break
            time.sleep(0.1)
    finally:
        demo_server.start()
    (tmp_path / "off" / "online").write_text("")
    seen = result(app, tmp_path, "off")
    assert seen["outcome"] == "done", seen
    assert seen["seconds"] < 60
    assert seen["locked_mode"] == "unlock"  # a fresh start asks for the PIN
    assert seen["small_targets"] == []
    assert seen["status_offline_before"].startswith("Får ikke kontakt med Spire · "), seen
    assert seen["status_offline"].startswith("Får ikke kontakt med Spire · 1 endring venter · "), (
        seen
    )
    assert seen["state_offline"].startswith("Sjekket inn kl. ")
    assert seen["state_offline"].endswith(" · ikke sendt ennå")
    assert seen["logout_dialog"] == (
        "2 endringer har ikke kommet fram til Spire og går tapt hvis du logger ut nå."
    )
    assert seen["logged_in_after_cancel"] is True
    assert "Må ses på" not in seen["status_back"]
    assert "ikke sendt" not in seen["state_back"]
    summary, reason, correctable = seen["refused"]
    assert summary.startswith("Nora Test ") and " sjekket inn kl. " in summary
    assert reason and not correctable  # Spire's own words; a check-in has nothing to correct
    assert seen["attention_after"] == 0

    # Spire has exactly what was done on the phone, once each.
    staff = Staff(base, *FACILITATOR)

    def attendance(participant: str) -> list[dict]:
        return staff.get(f"/attendance?participant_id={participant}&from={today}&to={today}")

    for participant in (first, second, late):
        (record,) = attendance(participant)
        assert record["status"] == "present" and record["check_in_at"], record
        assert record["check_out_at"] is None
    assert (
        Staff(base, *LEADER).get(f"/attendance?participant_id={moved}&from={today}&to={today}")
        == []
    )  # refused, and discarded on the phone
    (record,) = attendance(sick)
    assert (record["status"], record["absence_reason"]) == ("absent", "sick")
    (followup,) = staff.get(f"/followups?participant_id={first}")
    assert (followup["kind"], followup["duration_minutes"]) == ("conversation", 30)
    assert staff.get(f"/followups/{followup['id']}")["note"] == "Snakket om uka."
    (call,) = [c for c in staff.get(f"/wakeups?department_id={arendal}") if c["id"] == call["id"]]
    assert [a["outcome"] for a in call["attempts"]] == ["no_answer"]
    for run, names in (
        ("on", ("today", "absence", "call", "participant", "followup", "pin")),
        ("off", ("offline", "logout", "attention", "discard")),
    ):
        for name in names:
            assert (tmp_path / run / f"app-{name}.png").stat().st_size > 10_000
