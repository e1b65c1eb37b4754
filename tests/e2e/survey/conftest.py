"""The survey page in a real browser: the demo under gunicorn, surveys and codes made
through the API by the demo's leader, and Chromium the size of a phone."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.browser import OfficeBrowser, chromium
from tests.e2e.conftest import call, running_demo

# The demo's Norwegian leader (server/demo/norway.py) and the organisation's time zone.
LEADER = ("leder", "Bjork-Kanel-7301")
OSLO = ZoneInfo("Europe/Oslo")
PHONE = (390, 844)
# Unknown codes an address may try, and in how many seconds: few and short, so that the
# throttle's test reaches it at once and leaves it behind soon.
THROTTLE = (5, 20)
# A choice question besides the ready survey's scales, yes/no and free text, so that the
# page shows every kind.
CHOICE = {
    "kind": "choice",
    "text": "Hvordan kommer du deg hit?",
    "options": ["Buss", "Sykkel", "Til fots", "Bil"],
}


@pytest.fixture(scope="package")
def survey_server(tmp_path_factory):
    """One demo server for the survey page's tests (each makes its own survey or codes),
    counting unknown codes in short windows (``THROTTLE``)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SPIRE_SURVEY_MAX_UNKNOWN_CODES", str(THROTTLE[0]))
        patch.setenv("SPIRE_SURVEY_WINDOW_SECONDS", str(THROTTLE[1]))
        with running_demo(tmp_path_factory.mktemp("survey"), "survey") as demo:
            yield demo


@pytest.fixture(scope="package")
def leader(survey_server):
    """The demo leader's API: ``leader("GET", "/api/v1/surveys")`` -> (status, body)."""
    status, body = call(
        survey_server.base,
        "POST",
        "/api/v1/auth/login",
        {"username": LEADER[0], "password": LEADER[1]},
    )
    assert status == 200, body
    token = body["access_token"]

    def api(method: str, path: str, body=None):
        return call(survey_server.base, method, path, body, token=token)

    return api


def today() -> date:
    return datetime.now(OSLO).date()


@pytest.fixture
def make_survey(leader):
    """A new survey from the ready work-training one (plus a choice question), open from
    ``opens_in`` days from today for a week; its body as the API returned it."""

    def make(opens_in: int = 0, min_responses: int = 3) -> dict:
        status, template = leader("GET", "/api/v1/survey-templates/work-training")
        assert status == 200, template
        opens = today() + timedelta(days=opens_in)
        questions = template["questions"]
        body = {
            **template,
            "questions": [*questions[:-1], CHOICE, questions[-1]],
            "opens_on": opens.isoformat(),
            "closes_on": (opens + timedelta(days=7)).isoformat(),
            "min_responses": min_responses,
        }
        status, survey = leader("POST", "/api/v1/surveys", body)
        assert status == 201, survey
        return survey

    return make


@pytest.fixture
def codes_for(leader):
    """``codes_for(survey, 3)``: new codes for the survey."""

    def make(survey: dict, count: int = 1) -> list[str]:
        status, body = leader("POST", f"/api/v1/surveys/{survey['id']}/codes", {"count": count})
        assert status == 201, body
        return body["codes"]

    return make


@pytest.fixture
def phone(survey_server):
    """A new browser the size of a phone held upright (390 × 844), reading bokmål: a
    window may be no narrower than 500 px, so the phone's screen is emulated."""
    with chromium(width=500, height=900) as driver:
        screen(driver, *PHONE)
        driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": True})
        yield OfficeBrowser(driver, survey_server.base)


def screen(driver, width: int, height: int) -> None:
    """Show pages on a phone's screen of this size."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": True},
    )
