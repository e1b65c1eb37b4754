"""The real app on a virtual screen: a wake-up call comes due, the dispatcher makes the
staff notice, and the facilitator's phone shows it; started again it asks for the PIN,
remembers the login and what it showed; it logs out, tells a wrong password and a dead
network in Norwegian."""

import json
import os
import subprocess
import sys

import pytest

from mobile.core.store import Store
from tests.e2e.conftest import free_port
from tests.mobile.conftest import DANISH_LEADER, ROOT, a_call_due_now

DRIVER = ROOT / "tests" / "mobile" / "drive_app.py"
FACILITATOR = ("tilrettelegger1", "Furu-Vaffel-2290")


def drive(virtual_screen, tmp_path, base, mode, run, user=FACILITATOR) -> dict:
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
        [sys.executable, str(DRIVER), str(out), str(tmp_path / "app"), base, *user, mode],
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
    base = demo_server.base
    name = a_call_due_now(demo_server)

    seen = drive(virtual_screen, tmp_path, base, "login", "first")
    assert seen["outcome"] == "banner", seen
    assert seen["pin_asked"] == "choose"  # after the first login, before anything shows
    assert seen["window"] == [360, 740]  # a phone held upright
    assert seen["banner"].startswith(f"Vekking: ring {name} nå")
    assert seen["banner_title"] == "Nytt varsel"
    assert any(row.startswith(f"Vekking: ring {name}") for row in seen["rows"]), seen
    assert (tmp_path / "first" / "banner.png").stat().st_size > 10_000
    # Tapped, the banner leads straight to the call, on the wake-up tab.
    assert (seen["call_opened"], seen["tab_after_notice"]) == (name, "calls")

    # Started again: locked until the PIN is typed, still logged in without typing the
    # password, polling, and no banner for what it showed before; then "Logg ut" in the
    # menu ends the login.
    again = drive(virtual_screen, tmp_path, base, "restart", "again")
    before = again["before_logout"]
    assert again["typed"] is False and again["pin_asked"] == "unlock"
    assert before["screen"] == "today"
    assert before["banner"] == "" and not before["offline"]
    assert before["status"].startswith("Oppdatert kl. "), before
    assert any(row.startswith(f"Vekking: ring {name}") for row in before["rows"])
    assert again["outcome"] == "logged_out", again
    assert again["screen"] == "login"
    assert again["logged_in"] is False
    stored = Store(tmp_path / "app" / "spire.json")
    assert stored.get("notices") is None and stored.get("user") is None


def test_a_danish_pedagogue_reads_the_app_in_danish(demo_server, virtual_screen, tmp_path):
    """The language comes from the server: the demo's Danish workshop speaks Danish, and so
    do its notices, written by the dispatcher in the organisation's language."""
    base = demo_server.base
    name = a_call_due_now(demo_server, leader=DANISH_LEADER)

    seen = drive(
        virtual_screen, tmp_path, base, "login", "danish", user=("paedagog1", "Ege-Snedker-3141")
    )
    assert seen["outcome"] == "banner", seen
    # The demo's own calls of the morning may be due too: the newest is on the banner.
    assert seen["banner"].startswith("Vækkeopkald: ring til ")
    assert any(row.startswith(f"Vækkeopkald: ring til {name} nu") for row in seen["rows"]), seen
    assert seen["banner_title"] in ("Ny besked", *(f"{n} nye beskeder" for n in range(2, 50)))
    assert seen["greeting"].startswith("Hej, ")
    assert seen["tabs"] == ["I dag", "Vækkeopkald", "Borgere"]
    assert seen["menu"] == "Menu"
    assert Store(tmp_path / "app" / "spire.json").get("language") == "da"


def test_a_wrong_password_is_told_in_norwegian_and_keeps_what_was_typed(
    demo_server, virtual_screen, tmp_path
):
    base, _, _ = demo_server
    seen = drive(
        virtual_screen, tmp_path, base, "login", "wrong", user=("tilrettelegger1", "feil-ord")
    )
    assert seen["outcome"] == "login_error", seen
    assert seen["screen"] == "login"
    assert seen["login_error"] == "Feil brukernavn eller passord."
    assert seen["username_field"] == "tilrettelegger1"


def test_without_a_network_the_app_says_so_and_keeps_going(demo_server, virtual_screen, tmp_path):
    """Logged in, then the server is out of reach: a line on the screen, no crash."""
    base, _, _ = demo_server
    assert drive(virtual_screen, tmp_path, base, "login", "first")["logged_in"] is True
    Store(tmp_path / "app" / "spire.json").put(server_url=f"http://127.0.0.1:{free_port()}")

    seen = drive(virtual_screen, tmp_path, base, "offline", "offline")
    assert seen["outcome"] == "status", seen
    assert seen["screen"] == "today"
    assert seen["status"].startswith("Får ikke kontakt med Spire · Oppdatert kl. "), seen
    assert seen["logged_in"] is True
