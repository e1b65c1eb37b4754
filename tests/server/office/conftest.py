"""An office browser for the page tests: Flask's test client over HTTPS (the session cookie
is Secure), which signs in through the login form and sends each form with the CSRF token
of the page it came from."""

import re

import pytest

from shared import i18n
from tests.conftest import PASSWORD

BASE = "https://localhost"


def nb(text: str, *plural) -> str:
    """A text as the office shows it to the test organisations (bokmål): tests name texts
    by their English source, as the code does."""
    texts = i18n.texts("nb")
    return texts.ngettext(text, *plural) if plural else texts.gettext(text)


_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


class Office:
    def __init__(self, client):
        self.client = client

    def get(self, path: str, **kwargs):
        return self.client.get(path, base_url=BASE, **kwargs)

    def token(self, path: str = "/office/login") -> str:
        """A CSRF token from a page's form."""
        response = self.get(path)
        found = _TOKEN.search(response.get_data(as_text=True))
        assert found, f"no form token on {path} ({response.status_code})"
        return found.group(1)

    def post(self, path: str, data: dict | None = None, token_from: str | None = None, **kwargs):
        """Post a form as the page ``token_from`` (else the start page, or the login form
        before signing in) would."""
        fields = dict(data or {})
        origin = token_from or "/office/login"
        if "csrf_token" not in fields:
            fields["csrf_token"] = self.token(origin)
        # A browser names the page a form came from (Referrer-Policy: same-origin); over
        # HTTPS the CSRF check wants it.
        headers = {"Referer": BASE + origin, **kwargs.pop("headers", {})}
        return self.client.post(path, data=fields, base_url=BASE, headers=headers, **kwargs)

    def sign_in(self, user, password: str = PASSWORD):
        response = self.post("/office/login", {"username": user.username, "password": password})
        assert response.status_code == 303, response.get_data(as_text=True)
        return response


@pytest.fixture
def office(client):
    return Office(client)


@pytest.fixture
def signed_in(app):
    """A new office browser signed in as ``user``: ``signed_in(world.leader)``."""

    def make(user) -> Office:
        browser = Office(app.test_client())
        browser.sign_in(user)
        return browser

    return make
