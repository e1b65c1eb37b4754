"""The phone app's tests run against a real Spire (gunicorn, demo data) and, for the
screens, the real Kivy app on a virtual screen (Xvfb)."""

import os
import shutil
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from shared.calendar import is_public_holiday
from tests.e2e.conftest import ROOT, call, demo_server  # noqa: F401 - the server fixture

OSLO = ZoneInfo("Europe/Oslo")


def log_in(base: str, username: str, password: str) -> str:
    status, body = call(
        base, "POST", "/api/v1/auth/login", {"username": username, "password": password}
    )
    assert status == 200, body
    return body["access_token"]


# The demo's leaders, and a participant of the department their notices go to.
NORWEGIAN_LEADER = ("leder", "Bjork-Kanel-7301", "Songdalen")
DANISH_LEADER = ("vaerkstedsleder", "Cykel-Kringle-4827", "Træværkstedet")


def a_call_due_now(base: str, instance: Path, leader=NORWEGIAN_LEADER) -> str:
    """The real way a notice comes about: a wake-up schedule due now for a participant of
    the leader's department, and the dispatcher run once. Returns the participant's name."""
    now = datetime.now(OSLO)
    username, password, department_name = leader
    token = log_in(base, username, password)
    status, organisation = call(base, "GET", "/api/v1/organisation", token=token)
    assert status == 200, organisation
    if is_public_holiday(now.date(), organisation["country"]):
        pytest.skip("no wake-up calls are made on the organisation's public holidays")
    status, departments = call(base, "GET", "/api/v1/departments", token=token)
    assert status == 200, departments
    department = next(d["id"] for d in departments if d["name"] == department_name)
    # Someone whose morning is still open: not checked in or off, and not yet reached by a
    # wake-up call (the demo's morning has happened in part).
    status, day = call(base, "GET", f"/api/v1/today?department_id={department}", token=token)
    assert status == 200, day
    open_rows = [
        row
        for row in day["participants"]
        if row["attendance"] is None and (row["wakeup"] is None or row["wakeup"]["outcome"] is None)
    ]
    assert open_rows, day
    participant = open_rows[0]["participant"]
    due = max(now - timedelta(minutes=2), now.replace(hour=0, minute=0))
    status, body = call(
        base,
        "PUT",
        f"/api/v1/participants/{participant['id']}/wakeup-schedule",
        {"weekdays": list(range(1, 8)), "time": due.strftime("%H:%M"), "phone": "91234567"},
        token=token,
    )
    assert status in (200, 201), body
    env = {**os.environ, "SPIRE_INSTANCE_PATH": str(instance), "SPIRE_PASSWORD_HASHING": "fast"}
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "server", "wakeups", "dispatch"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return f"{participant['first_name']} {participant['last_name']}"


@pytest.fixture(scope="session")
def virtual_screen():
    """An Xvfb display the size of a phone held upright."""
    if not shutil.which("Xvfb"):
        pytest.fail("Debian's xvfb is needed (manage.py test installs it)")
    read, write = os.pipe()
    screen = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "720x1280x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        display = pipe.readline().strip()
    try:
        yield f":{display}"
    finally:
        screen.terminate()
        screen.wait(timeout=10)
