"""The phone app's tests run against a real Spire (gunicorn, demo data) and, for the
screens, the real Kivy app on a virtual screen (Xvfb)."""

import os
import shutil
import subprocess
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from shared.calendar import is_public_holiday
from tests.e2e.conftest import (  # noqa: F401 - the server fixture
    ROOT,
    DemoServer,
    call,
    demo_server,
)

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


def a_call_due_now(demo: DemoServer, leader=NORWEGIAN_LEADER) -> str:
    """The real way a notice comes about: a wake-up schedule due now for a participant of
    the leader's department, and the dispatcher run once. Returns the participant's name."""
    base = demo.base
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
    status, people = call(
        base, "GET", f"/api/v1/participants?department_id={department}&status=active", token=token
    )
    assert status == 200 and people, people
    participant = people[0]
    due = max(now - timedelta(minutes=2), now.replace(hour=0, minute=0))
    status, body = call(
        base,
        "PUT",
        f"/api/v1/participants/{participant['id']}/wakeup-schedule",
        {"weekdays": list(range(1, 8)), "time": due.strftime("%H:%M"), "phone": "91234567"},
        token=token,
    )
    assert status in (200, 201), body
    demo.flask("wakeups", "dispatch")
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
