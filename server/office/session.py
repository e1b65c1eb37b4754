"""Who is at the browser: the office's login session.

Signing in opens the same kind of login session as the phone's (``accounts.login``), named
by a signed, HttpOnly, SameSite cookie instead of a token; every page checks it in the
database, so a logout, a deactivation or a password reset ends it at once, as for the phone.
A session left idle longer than ``SPIRE_OFFICE_IDLE_MINUTES`` is ended on the next request.
"""

import uuid
from dataclasses import replace
from datetime import timedelta

from flask import current_app, g, request, session

from server.services import accounts
from server.services.common.actor import Actor
from server.web.security import load_actor
from shared import i18n

# What the office writes in the access and security logs as the way an actor came.
VIA = "office"
_SESSION = "sid"
_USER = "uid"


def sign_in(username: str, password: str) -> Actor:
    """Check the password and open a session for this browser (the services' errors
    otherwise: wrong password, too many tries)."""
    hours = current_app.config["SPIRE_OFFICE_SESSION_HOURS"]
    user, auth_session = accounts.login(
        username, password, request.remote_addr or "", timedelta(hours=hours), via=VIA
    )
    # A new cookie for a new login: nothing from before signing in is carried over.
    session.clear()
    g.pop("csrf_token", None)  # the form token of the old session
    session[_SESSION] = str(auth_session.id)
    session[_USER] = str(user.id)
    actor = current()
    assert actor is not None
    return actor


def current() -> Actor | None:
    """The actor behind this browser's cookie, or None when it names no open session (never
    signed in, logged out, idle too long, deactivated). Known once per request."""
    if "spire_actor" in g:
        return g.spire_actor
    try:
        session_id = uuid.UUID(session.get(_SESSION, ""))
    except (TypeError, ValueError, AttributeError):
        return None
    idle = timedelta(minutes=current_app.config["SPIRE_OFFICE_IDLE_MINUTES"])
    if not accounts.keep_alive(session_id, idle):
        session.clear()
        return None
    actor = load_actor(session_id, str(session.get(_USER, "")))
    if actor is None:
        session.clear()
        return None
    actor = replace(actor, via=VIA)
    g.spire_actor = actor
    # The office speaks the user's language (their own, else their organisation's),
    # whatever the browser asks for.
    i18n.set_language(actor.language or before_sign_in())
    return actor


def before_sign_in() -> str:
    """The language of a page before anyone has signed in: the first of the catalogues'
    languages the browser asks for, else the server's (bokmål where that is English: the
    office speaks the catalogues' languages only)."""
    asked = i18n.best_match(
        tag
        for tag, quality in request.accept_languages
        if quality > 0 and i18n.best_match([tag]) in i18n.CATALOGUED
    )
    default = current_app.config.get("SPIRE_LANGUAGE", i18n.DEFAULT)
    return asked or (default if default in i18n.CATALOGUED else i18n.DEFAULT)


def sign_out() -> None:
    """End this browser's login session, at once and for good."""
    actor = current()
    if actor is not None:
        accounts.logout(actor, None)
    session.clear()
    g.pop("spire_actor", None)
