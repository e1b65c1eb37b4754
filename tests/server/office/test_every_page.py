"""Every office page, whatever area it belongs to: nobody gets past the login form without
signing in, no form is taken without its token, and every answer is a page with the
security headers, never a JSON envelope."""

import re
import uuid

import pytest

from server.office import MODULES
from server.office.site import PUBLIC
from tests.server.office.conftest import BASE

_PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")


def _example(match: re.Match) -> str:
    converter, name = match.groups()
    if converter == "uuid":
        return str(uuid.uuid4())
    if name == "day" or converter == "date" or name == "date":
        return "2026-11-02"
    return "x"


def office_routes(app) -> list[tuple[str, str, str]]:
    """(method, a path that matches the route, endpoint) of every office route."""
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("office.") or rule.endpoint in PUBLIC:
            continue
        path = _PARAMETER.sub(_example, rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((method, path, rule.endpoint))
    return found


def test_there_are_pages(app):
    assert len(office_routes(app)) > 20
    # Every area's pages are among them (the surveys' too): each module's blueprint.
    areas = {endpoint.split(".")[1] for _method, _path, endpoint in office_routes(app)}
    assert areas >= {module.bp.name for module in MODULES}


def test_no_page_opens_without_signing_in(app, client, world):
    for method, path, endpoint in office_routes(app):
        if method == "GET":
            response = client.get(path, base_url=BASE)
            assert response.status_code == 303, (endpoint, response.status_code)
            assert response.headers["Location"].startswith("/office/login"), endpoint
        else:
            # Without the form's token the request stops before anyone is asked for.
            response = client.open(
                path, method=method, base_url=BASE, headers={"Referer": BASE + "/office/"}
            )
            assert response.status_code == 400, (endpoint, response.status_code)
            assert response.mimetype == "text/html", endpoint
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("role", ["facilitator", "leader", "admin"])
def test_no_page_answers_json_or_a_server_error(app, signed_in, world, role):
    """Signed in, every page of someone else's (random) record is a 404 page, a page the
    role may not open a 403 page, a form sent empty a page that says what is missing:
    never a 500, never a JSON envelope."""
    browser = signed_in(world.user(role))
    token = browser.token("/office/")
    for method, path, endpoint in office_routes(app):
        if endpoint == "office.login.sign_out":
            continue
        if method == "GET":
            response = browser.get(path)
        else:
            response = browser.post(path, {"csrf_token": token})
        assert response.status_code < 500, (endpoint, response.status_code)
        assert response.mimetype in ("text/html", "application/pdf", "text/csv") or (
            response.status_code == 200
        ), (endpoint, response.mimetype)
        assert response.headers["Cache-Control"] == "no-store", endpoint
        response.close()
