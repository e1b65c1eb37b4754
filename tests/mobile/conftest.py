"""The phone app's tests run against a real Spire (gunicorn, demo data) and, for the
screens, the real Kivy app on a virtual screen (Xvfb)."""

import json
import shutil
import time
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from mobile.core.spire import Spire
from shared.calendar import is_public_holiday
from tests.e2e.conftest import (  # noqa: F401 - the server fixture
    ROOT,
    DemoServer,
    call,
    demo_server,
    running_demo,
)
from tests.mobile.screen import phone_screen

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
    demo.flask("wakeups", "dispatch")
    return f"{participant['first_name']} {participant['last_name']}"


@pytest.fixture(scope="session")
def virtual_screen():
    """An Xvfb display the size of a phone held upright."""
    if not shutil.which("Xvfb"):
        pytest.fail("Debian's xvfb is needed (manage.py test installs it)")
    with phone_screen() as display:
        yield display


FACILITATOR = ("tilrettelegger1", "Furu-Vaffel-2290")  # Songdalen
OTHER_FACILITATOR = ("tilrettelegger2", "Hav-Bolle-5518")  # Arendal


class Staff:
    """A staff member at the server's API directly, beside the phone under test: the
    leader who moves a participant, the test that checks what the server stored."""

    def __init__(self, base: str, username: str, password: str):
        self.base = base
        self.token = log_in(base, username, password)

    def __call__(self, method: str, path: str, body=None, headers=None):
        """(status, headers, JSON) of a request to ``/api/v1`` + ``path``."""
        request = urllib.request.Request(
            self.base + "/api/v1" + path,
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Authorization": f"Bearer {self.token}", **(headers or {})},
        )
        if body is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.headers, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, error.headers, json.loads(error.read() or b"null")

    def get(self, path: str):
        status, _, body = self("GET", path)
        assert status == 200, (status, body)
        return body

    def department(self, name: str) -> str:
        return next(d["id"] for d in self.get("/departments") if d["name"] == name)

    def move(self, participant_id: str, department_id: str) -> None:
        """Move a participant to another department, as a leader does (with If-Match)."""
        status, headers, body = self("GET", f"/participants/{participant_id}")
        assert status == 200, body
        status, _, body = self(
            "PATCH",
            f"/participants/{participant_id}",
            {"department_id": department_id},
            {"If-Match": headers["ETag"]},
        )
        assert status == 200, body


@pytest.fixture(scope="package")
def phone_server(tmp_path_factory):
    """One demo server for all the tests of the app's core: each registers the
    participants it changes (``newcomer``), so they do not meet. The kiosk's tests send
    made-up codes from one address, more than the survey throttle lets through in its
    window; the throttle has tests of its own."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SPIRE_SURVEY_MAX_UNKNOWN_CODES", "100000")
        with running_demo(tmp_path_factory.mktemp("phone-server"), suffix="phone") as demo:
            yield demo


@pytest.fixture
def phone(phone_server, tmp_path):
    """A phone with the app's core on a folder of its own, not logged in yet."""
    spire = Spire(tmp_path / "phone", timeout=5)
    spire.store.put(server_url=phone_server.base)
    yield spire
    spire.close()


def logged_in(spire: Spire, base: str, user=FACILITATOR) -> Spire:
    spire.session.log_in(base, *user)
    return spire


LEADER = ("leder", "Bjork-Kanel-7301")  # Songdalen and Arendal


def answers(demo: DemoServer, method: str, path: str, status: int) -> int:
    """How many times the server's access log says it answered ``method path`` with
    ``status`` (a worker writes its line after the answer has left: wait for it a little)."""
    line = f'"{method} /api/v1{path} HTTP/1.1" {status} '
    return demo.access_log.read_text().count(line)


def wait_for_answers(demo: DemoServer, method: str, path: str, status: int, count: int) -> int:
    for _ in range(50):
        seen = answers(demo, method, path, status)
        if seen >= count:
            return seen
        time.sleep(0.1)
    return seen


def newcomer(base: str, department: str = "Songdalen", phone: str | None = None) -> str:
    """A participant a leader has just registered in the department (so that no other
    test, and none of the demo's own registrations, touches their day): the id."""
    leader = Staff(base, *LEADER)
    status, _, body = leader(
        "POST",
        "/participants",
        {
            "first_name": "Nora",
            "last_name": f"Test {uuid.uuid4().hex[:6]}",
            "department_id": leader.department(department),
            "gender": "unspecified",
            "start_date": (datetime.now(OSLO).date() - timedelta(days=30)).isoformat(),
            "consent_nav_reporting": False,
            "phone": phone,
        },
    )
    assert status == 201, body
    return body["id"]


SURVEY_QUESTIONS = [
    {"kind": "scale", "text": "Jeg blir møtt med respekt her."},
    {"kind": "scale", "text": "De ansatte lytter til meg."},
    {"kind": "yes_no", "text": "Vil du anbefale stedet til andre?"},
    {
        "kind": "choice",
        "text": "Hvor ofte er du her?",
        "options": ["Hver dag", "Noen dager i uka", "Sjeldnere"],
    },
    {"kind": "text", "text": "Er det noe annet du vil si?"},
]


def open_survey(base: str, department: str = "Songdalen", closes_in: int = 14) -> dict:
    """A survey a leader has just made for the department, open from today for
    ``closes_in`` more days, with a question of each kind: the survey as Spire shows it."""
    leader = Staff(base, *LEADER)
    today = datetime.now(OSLO).date()
    status, _, body = leader(
        "POST",
        "/surveys",
        {
            "title": f"Brukerundersøkelse {uuid.uuid4().hex[:4]}",
            "intro": "Si hva du mener om tiden din her. Ingen kan se hva du svarte.",
            "department_id": leader.department(department),
            "opens_on": today.isoformat(),
            "closes_on": (today + timedelta(days=closes_in)).isoformat(),
            "min_responses": 3,
            "questions": SURVEY_QUESTIONS,
        },
    )
    assert status == 201, body
    return body


def survey_on_server(base: str, survey_id: str) -> dict:
    """The survey as the leader sees it: its ``responses``, ``codes_made``, ``codes_used``."""
    return Staff(base, *LEADER).get(f"/surveys/{survey_id}")
