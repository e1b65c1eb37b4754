"""The office in a real browser: the demo under gunicorn, and Chromium at the pages."""

import pytest

from tests.e2e.browser import OfficeBrowser, chromium
from tests.e2e.conftest import running_demo

# The demo's Norwegian logins (server/demo/norway.py).
ADMIN = ("admin", "Kaffe-Sol-4112")
LEADER = ("leder", "Bjork-Kanel-7301")
FACILITATOR = ("tilrettelegger1", "Furu-Vaffel-2290")


@pytest.fixture(scope="package")
def office_server(tmp_path_factory):
    """One demo server for all the office's browser tests (each changes only what it made
    itself, or data nobody else looks at)."""
    with running_demo(tmp_path_factory.mktemp("office"), "office") as demo:
        yield demo


@pytest.fixture
def office(office_server):
    """A new browser (no cookies) at the office, 1280 × 1000."""
    with chromium() as driver:
        yield OfficeBrowser(driver, office_server.base)


@pytest.fixture
def tablet(office_server):
    """A new browser the size of a tablet held upright."""
    with chromium(width=820, height=1180) as driver:
        yield OfficeBrowser(driver, office_server.base)
