"""The real app on a virtual screen: a wake-up call comes due, the dispatcher makes the
staff notice, and the facilitator's phone shows it."""

import json
import os
import subprocess
import sys

import pytest

from tests.mobile.conftest import ROOT, a_call_due_now

DRIVER = ROOT / "tests" / "mobile" / "drive_app.py"


def drive(virtual_screen, tmp_path, base, username, password, run="first") -> dict:
    """One start of the app (the same ``tmp_path`` is the same phone); what it showed."""
    out = tmp_path / run
    out.mkdir()
    env = {
        **os.environ,
        "DISPLAY": virtual_screen,
        "KIVY_HOME": str(tmp_path / "kivy"),
        "KIVY_WINDOW": "sdl2",
        "TZ": "Europe/Oslo",
    }
    finished = subprocess.run(
        [sys.executable, str(DRIVER), str(out), str(tmp_path / "app"), base, username, password],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=90,
    )
    if finished.returncode != 0:
        logs = sorted((tmp_path / "kivy" / "logs").glob("*.txt"))
        pytest.fail("the app failed:\n" + (logs[-1].read_text()[-4000:] if logs else "no log"))
    return json.loads((out / "result.json").read_text())


def test_the_phone_shows_a_wake_up_notice(demo_server, virtual_screen, tmp_path):
    base, _, access_log = demo_server
    name = a_call_due_now(base, access_log.parent / "instance")

    seen = drive(virtual_screen, tmp_path, base, "tilrettelegger1", "Furu-Vaffel-2290")

    assert seen["outcome"] == "banner", seen
    assert seen["screen"] == "notices"
    assert seen["banner"].startswith(f"Vekking: ring {name} nå")
    assert any(row.startswith(f"Vekking: ring {name}") for row in seen["rows"]), seen
    assert (tmp_path / "first" / "screen.png").stat().st_size > 10_000

    # Started again, the app remembers the login and what it has shown: no banner again.
    again = drive(
        virtual_screen, tmp_path, base, "tilrettelegger1", "Furu-Vaffel-2290", run="again"
    )
    assert again["outcome"] == "timeout", again
    assert again["screen"] == "notices"
    assert again["banner"] == ""
    assert any(row.startswith(f"Vekking: ring {name}") for row in again["rows"])


def test_a_wrong_password_is_told_in_norwegian_and_keeps_what_was_typed(
    demo_server, virtual_screen, tmp_path
):
    base, _, _ = demo_server
    seen = drive(virtual_screen, tmp_path, base, "tilrettelegger1", "feil-passord")
    assert seen["outcome"] == "login_error", seen
    assert seen["screen"] == "login"
    assert seen["login_error"] == "Feil brukernavn eller passord."
    assert seen["username_field"] == "tilrettelegger1"
