"""The survey page through Flask's test client: its security headers, what it links to
(never a query string or a code), its language and its texts."""

import json
import re
from html.parser import HTMLParser

import pytest

from server import create_app
from server.database import db
from server.survey_page.page import SCRIPT_TEXTS
from shared import i18n
from tests.conftest import base_config

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
}
URL_ATTRIBUTES = ("href", "src", "action", "data-url")
CODE_LIKE = re.compile(r"[A-Za-z0-9]{4}-?[A-Za-z0-9]{4}")


class Page(HTMLParser):
    """What a page is made of: the URLs it names, its scripts, inline styles and
    handlers, the texts of its ``noscript`` and its JSON blocks."""

    def __init__(self, html: str):
        super().__init__()
        self.urls: list[str] = []
        self.scripts: list[dict] = []
        self.inline: list[str] = []
        self.json_blocks: dict[str, str] = {}
        self.noscript = ""
        self._in: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.urls += [attributes[name] for name in URL_ATTRIBUTES if attributes.get(name)]
        if tag == "style" or "style" in attributes:
            self.inline.append(tag)
        self.inline += [name for name in attributes if name.startswith("on")]
        if tag == "script":
            self.scripts.append(attributes)
        self._in.append((tag, attributes))

    def handle_endtag(self, tag):
        if self._in:
            self._in.pop()

    def handle_data(self, data):
        if not self._in:
            return
        tag, attributes = self._in[-1]
        if tag == "script" and attributes.get("type") == "application/json":
            self.json_blocks[attributes["id"]] = data
        elif any(name == "noscript" for name, _ in self._in):
            self.noscript += data


def get(client, path: str, language: str | None = None):
    headers = {"Accept-Language": language} if language else {}
    return client.get(path, headers=headers)


@pytest.mark.parametrize("path", ["/s/", "/s"])
def test_the_page_answers_with_its_security_headers(client, path):
    response = get(client, path, "nb")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    for name, value in HEADERS.items():
        assert response.headers[name] == value, name
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers


def test_what_the_page_links_to_carries_no_query_and_no_code(client):
    page = Page(get(client, "/s/", "nb").get_data(as_text=True))
    assert page.urls
    for url in page.urls:
        assert url.startswith("/") and not url.startswith("//"), url
        assert "?" not in url and "#" not in url, url
        assert not any(CODE_LIKE.fullmatch(part) for part in url.split("/")), url
    loaded = [url for url in page.urls if url.startswith("/s/")]
    # The icon too: a browser would otherwise ask /favicon.ico, a path whose log lines
    # keep the address.
    assert {"/s/static/survey.css", "/s/static/survey.js", "/s/static/icon.svg", "/s/"} <= set(
        loaded
    )
    for url in loaded:
        with client.get(url) as response:
            assert response.status_code == 200, url
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert response.headers["Content-Security-Policy"] == CSP
            assert response.headers["Referrer-Policy"] == "no-referrer"
    # The script calls the public endpoints, and only them.
    calls = [url for url in page.urls if url.startswith("/api/")]
    assert sorted(calls) == ["/api/v1/public/survey-lookup", "/api/v1/public/survey-responses"]


def test_the_page_has_no_inline_script_or_style(client):
    page = Page(get(client, "/s/", "nb").get_data(as_text=True))
    assert page.inline == []
    for script in page.scripts:
        # A JSON block is data (not run, so the policy allows it); every script is a file.
        assert script.get("src") or script.get("type") == "application/json", script
    assert [script["src"] for script in page.scripts if "src" in script] == ["/s/static/survey.js"]


def test_without_javascript_the_page_says_it_needs_it(client):
    page = Page(get(client, "/s/", "nb").get_data(as_text=True))
    wanted = i18n.texts("nb").gettext(
        "This page needs JavaScript. Turn JavaScript on in the browser's settings and open "
        "the page again."
    )
    assert wanted in page.noscript


@pytest.mark.parametrize(
    ("asked", "language"),
    [("da", "da"), ("da-DK,da;q=0.9", "da"), ("nb-NO", "nb"), ("en, da;q=0.5", "da"), ("en", "nb")],
)
def test_the_page_speaks_bokmal_or_danish_as_asked_else_the_server_s_language(
    client, asked, language
):
    response = get(client, "/s/", asked)
    html = response.get_data(as_text=True)
    assert response.headers["Content-Language"] == language
    assert f'<html lang="{language}">' in html
    texts = i18n.texts(language)
    assert texts.gettext("Answer a survey") in html
    # The script's texts, from the catalogue in the same language.
    shown = json.loads(Page(html).json_blocks["texts"])
    assert shown == {name: texts.gettext(text) for name, text in SCRIPT_TEXTS.items()}


def test_without_bokmal_or_danish_asked_the_server_s_own_language(database_url):
    app = create_app({**base_config(database_url), "SPIRE_LANGUAGE": "da"})
    with app.app_context():
        response = app.test_client().get("/s/", headers={"Accept-Language": "en-GB"})
        db.engine.dispose()
    assert '<html lang="da">' in response.get_data(as_text=True)


def test_a_code_typed_into_the_path_gets_the_page_to_type_it_into(client):
    response = get(client, "/s/KM7P-RT4X", "nb")
    assert response.status_code == 404
    assert response.headers["Content-Security-Policy"] == CSP
    assert response.headers["Cache-Control"] == "no-store"
    assert 'id="code-form"' in response.get_data(as_text=True)
    assert "KM7P" not in response.get_data(as_text=True)
