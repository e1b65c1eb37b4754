"""Signing in and out of the office: the cookie, CSRF, the idle timeout, and the ways a
session ends at once."""

import re
from datetime import timedelta

import time_machine
from sqlalchemy import func, select

from server import clock
from server.database import db
from server.models import Participant
from tests.conftest import PASSWORD
from tests.server.office.conftest import BASE, nb


def test_login_page_is_a_form_with_a_token(office):
    response = office.get("/office/login")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'name="csrf_token"' in page
    assert 'autocomplete="current-password"' in page


def test_pages_need_a_login(office, world):
    response = office.get("/office/")
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/office/login?next=")


def test_sign_in_sets_a_secure_httponly_samesite_cookie(office, world):
    response = office.sign_in(world.leader)
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-spire-office=")
    for part in ("Secure", "HttpOnly", "SameSite=Lax", "Path=/"):
        assert part in cookie
    assert response.headers["Location"] == "/office/"
    start = office.get("/office/")
    assert start.status_code == 200
    assert "Songdalen" in start.get_data(as_text=True)


def test_wrong_password_is_refused_without_telling_which(office, world):
    wrong = office.post("/office/login", {"username": world.leader.username, "password": "x" * 12})
    unknown = office.post("/office/login", {"username": "nobody", "password": "x" * 12})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.get_data(as_text=True).count("Feil brukernavn eller passord") == 1
    assert office.get("/office/").status_code == 303


def test_a_form_without_its_token_is_refused(office, world):
    response = office.client.post(
        "/office/login",
        data={"username": world.leader.username, "password": "whatever-it-is"},
        base_url=BASE,
        headers={"Referer": BASE + "/office/login"},
    )
    assert response.status_code == 400
    assert response.mimetype == "text/html"


def test_logout_ends_the_session_at_once(signed_in, world):
    browser = signed_in(world.leader)
    cookie = browser.client.get_cookie("__Host-spire-office")
    assert browser.post("/office/logout", token_from="/office/").status_code == 303
    assert browser.get("/office/").status_code == 303
    # The old cookie, kept by someone, opens nothing either.
    thief = type(browser)(browser.client.application.test_client())
    thief.client.set_cookie(cookie.key, cookie.value, domain="localhost")
    assert thief.get("/office/").status_code == 303


def test_an_idle_session_ends(signed_in, world):
    browser = signed_in(world.leader)
    assert browser.get("/office/").status_code == 200
    with time_machine.travel(clock.now() + timedelta(minutes=31)):
        assert browser.get("/office/").status_code == 303


def test_deactivating_the_user_ends_the_session(signed_in, world, as_user):
    browser = signed_in(world.leader)
    admin = as_user(world.admin)
    response = admin.patch(f"/api/v1/users/{world.leader.id}", json={"active": False})
    assert response.status_code == 200
    assert browser.get("/office/").status_code == 303


def test_next_never_leaves_the_site(office, world):
    response = office.post(
        "/office/login",
        {
            "username": world.leader.username,
            "password": PASSWORD,
            "next": "//evil.example/office/",
        },
    )
    assert response.headers["Location"] == "/office/"


def test_every_page_sends_the_security_headers(signed_in, world):
    browser = signed_in(world.leader)
    for path in ("/office/login", "/office/", "/office/no-such-page"):
        response = browser.get(path)
        policy = response.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in policy
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert response.headers["Cache-Control"] == "no-store"
    assert browser.get("/office/no-such-page").status_code == 404
    static = browser.get("/office/static/office.css")
    assert static.status_code == 200
    assert "no-store" not in static.headers.get("Cache-Control", "")
    static.close()


def test_the_api_still_sets_no_cookie(client, world):
    response = client.get("/health")
    assert "Set-Cookie" not in response.headers


def test_the_office_speaks_the_users_language_whatever_the_browser_asks(signed_in, world, app):
    world.org_a.language = "da"
    db.session.commit()
    browser = signed_in(world.leader)
    page = browser.get("/office/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="da">' in page.get_data(as_text=True)
    assert page.headers["Content-Language"] == "da"


def test_before_signing_in_the_browsers_language_if_the_office_speaks_it(office):
    danish = office.get("/office/login", headers={"Accept-Language": "da-DK,da;q=0.9"})
    english = office.get("/office/login", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert '<html lang="da">' in danish.get_data(as_text=True)
    assert '<html lang="nb">' in english.get_data(as_text=True)


def test_a_password_reset_ends_the_session(signed_in, world, as_user):
    browser = signed_in(world.leader)
    admin = as_user(world.admin)
    response = admin.patch(
        f"/api/v1/users/{world.leader.id}", json={"password": "Lang-Ny-Frase-9182"}
    )
    assert response.status_code == 200
    assert browser.get("/office/").status_code == 303


def test_a_facilitator_signs_in_too(signed_in, world):
    browser = signed_in(world.facilitator)
    assert browser.get("/office/").status_code == 200


def test_a_form_sent_again_is_saved_once(signed_in, world):
    """The back button and a second click send the same form twice: the second time it is
    not saved again, and the browser lands where the form was, told so."""
    browser = signed_in(world.leader)
    form = browser.get("/office/participants/new").get_data(as_text=True)
    once = re.search(r'name="once" value="([0-9a-f]{32})"', form)[1]
    data = {
        "once": once,
        "first_name": "Kari",
        "last_name": "Dobbel",
        "department_id": str(world.dept_a1.id),
        "gender": "female",
        "start_date": "2026-11-02",
        "consent_nav_reporting": "false",
    }

    def count():
        return db.session.scalar(
            select(func.count()).select_from(Participant).where(Participant.last_name == "Dobbel")
        )

    first = browser.post("/office/participants/new", data, token_from="/office/participants/new")
    assert first.status_code == 303, first.get_data(as_text=True)[:2000]
    again = browser.post("/office/participants/new", data, token_from="/office/participants/new")
    assert again.status_code == 303
    assert again.headers["Location"] == "/office/participants/new"
    assert count() == 1
    assert nb("That form was sent already, and saved once.") in browser.get(
        "/office/participants/new"
    ).get_data(as_text=True)


def test_odd_addresses_answer_pages(signed_in, world):
    browser = signed_in(world.leader)
    listing = browser.get("/office/participants/?endpoint=x&_method=DELETE&page=1")
    assert listing.status_code == 200
    put = browser.client.put("/office/participants/", base_url=BASE)
    assert put.status_code in (400, 404) and put.mimetype == "text/html"
    assert "frame-ancestors 'none'" in put.headers["Content-Security-Policy"]
    signed_out = type(browser)(browser.client.application.test_client())
    response = signed_out.post(
        "/office/login",
        {"username": world.leader.username, "password": PASSWORD, "next": "/office/\r\nX: y"},
    )
    assert response.status_code == 303 and response.headers["Location"] == "/office/"
