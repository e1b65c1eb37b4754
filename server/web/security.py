"""Who is calling: token verification per request, the acting user and role checks.

Every access token names its login session (``sid``). One query per request loads the
session with its user, so logout, a replayed refresh token and deactivation end access
at once, in every worker, without a shared cache. The query runs outside a transaction:
a request that goes on to write begins its own, and one that only reads, or writes by a
single statement, pays no BEGIN and COMMIT round trips for the check.
"""

import time
import uuid
from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType

import jwt as pyjwt
from flask import Flask, g, has_request_context, request
from flask_jwt_extended import JWTManager
from flask_jwt_extended.config import config as jwt_config
from sqlalchemy import bindparam, func, select

from server import clock
from server.models import AuthSession, Organisation, User, user_departments
from server.services.common.actor import Actor
from server.services.storage import autocommit
from server.web import language
from server.web.errors import TokenRefused, answer
from shared.i18n import LazyText, lazy_gettext
from shared.vocab import Country, Language, Role

jwt = JWTManager()

# What a caller is told when its token is refused (401), whoever refuses it.
MISSING = lazy_gettext("Missing access token.")
INVALID = lazy_gettext("Invalid token.")
EXPIRED = lazy_gettext("The token has expired.")
REVOKED = lazy_gettext("The token has been revoked.")


# The claims Spire's tokens carry, with the JSON types they must have: a token signed with
# the right key but shaped otherwise (say an ``exp`` sent as a string, which PyJWT reads
# as a number) is refused like any invalid token.
_NUMERIC_DATES = ("exp", "nbf", "iat")
_STRINGS = ("sub", "sid", "type", "jti")
_REQUIRED = ("exp", "sub", "sid", "type")


def well_formed(claims: Mapping) -> bool:
    if any(name not in claims for name in _REQUIRED):
        return False
    for name in _NUMERIC_DATES:
        value = claims.get(name, 0)
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
    return all(isinstance(claims.get(name, ""), str) for name in _STRINGS)


@lru_cache(maxsize=1024)
def _verified(token: str, key: str, algorithms: tuple[str, ...], leeway: int) -> Mapping:
    """A token's claims once its signature, expiry and not-before time have been checked:
    a phone sends the same access token for up to 15 minutes, and the same string under
    the same key verifies the same way every time (only the expiry is checked again).
    Failures are not cached."""
    claims = pyjwt.decode(
        token,
        key,
        algorithms=list(algorithms),
        leeway=leeway,
        options={"require": list(_REQUIRED)},
    )
    if not well_formed(claims):
        raise pyjwt.InvalidTokenError("A claim has the wrong type.")  # never shown
    return MappingProxyType(claims)


def _access_claims() -> Mapping:
    """The claims of the request's bearer access token, verified as flask-jwt-extended
    (which issues the tokens) is configured, by one decode where it makes three: this is
    the one check every request pays for."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme != "Bearer" or not token:
        raise TokenRefused(MISSING)
    try:
        claims = _verified(
            token, jwt_config.decode_key, tuple(jwt_config.decode_algorithms), jwt_config.leeway
        )
    except pyjwt.ExpiredSignatureError:
        raise TokenRefused(EXPIRED) from None
    except pyjwt.InvalidTokenError:
        raise TokenRefused(INVALID) from None
    if claims["exp"] + jwt_config.leeway <= time.time():
        raise TokenRefused(EXPIRED)
    if claims["type"] != "access":
        raise TokenRefused(lazy_gettext("Only an access token is accepted here."))
    return claims


def authenticate() -> Actor:
    """Verify the request's access token and return the actor (401 on any failure)."""
    claims = _access_claims()
    actor = _session_actor(claims)
    if actor is None:
        raise TokenRefused(REVOKED)
    g.spire_actor = actor
    language.choose_for(actor.language)
    return actor


def current_actor() -> Actor:
    return g.spire_actor


def current_country() -> str:
    """The caller's organisation's country; Norway's rules before anyone is known."""
    actor = g.get("spire_actor")
    return actor.country if actor is not None and actor.country else Country.NORWAY.value


_ACTOR = autocommit.on_driver(
    select(
        User.id,
        User.organisation_id,
        User.role,
        # The language the user reads: their own, else their organisation's.
        func.coalesce(User.language, Organisation.language).label("language"),
        Organisation.country,
        user_departments.c.department_id,
    )
    .join(AuthSession, AuthSession.user_id == User.id)
    .join(Organisation, Organisation.id == User.organisation_id)
    .outerjoin(user_departments, user_departments.c.user_id == User.id)
    .where(
        AuthSession.id == bindparam("session_id"),
        AuthSession.revoked_at.is_(None),
        AuthSession.expires_at > bindparam("now"),
        User.active.is_(True),
    )
)


def load_actor(session_id: uuid.UUID, user_id: str) -> Actor | None:
    """The actor behind a session, if the session is neither revoked nor expired and its
    user is active: one query, with a row per department the user works in."""
    with autocommit.connection() as connection:
        rows = connection.execute(_ACTOR, {"session_id": session_id, "now": clock.now()}).all()
    if not rows or str(rows[0].id) != user_id:
        return None
    first = rows[0]
    return Actor(
        user_id=first.id,
        organisation_id=first.organisation_id,
        role=Role(first.role),
        department_ids=frozenset(r.department_id for r in rows if r.department_id),
        session_id=session_id,
        address=request.remote_addr if has_request_context() else None,
        language=str(Language(first.language)) if first.language else None,
        country=str(Country(first.country)),
    )


def _unauthorized(message: LazyText):
    return answer(TokenRefused(message))


def _session_actor(claims: Mapping) -> Actor | None:
    try:
        session_id = uuid.UUID(claims.get("sid", ""))
    except (TypeError, ValueError, AttributeError):
        return None
    return load_actor(session_id, claims.get("sub", ""))


def register_jwt_callbacks(app: Flask) -> None:
    # flask-jwt-extended still verifies refresh tokens (POST /auth/refresh).
    @jwt.token_in_blocklist_loader
    def token_revoked(_header, payload) -> bool:
        if not well_formed(payload):
            raise TokenRefused(INVALID)
        actor = _session_actor(payload)
        if actor is None:
            return True
        g.spire_actor = actor
        language.choose_for(actor.language)
        return False

    jwt.unauthorized_loader(lambda reason: _unauthorized(MISSING))
    jwt.invalid_token_loader(lambda reason: _unauthorized(INVALID))
    jwt.expired_token_loader(lambda header, payload: _unauthorized(EXPIRED))
    jwt.revoked_token_loader(lambda header, payload: _unauthorized(REVOKED))
    jwt.needs_fresh_token_loader(
        lambda header, payload: _unauthorized(lazy_gettext("A fresh token is needed."))
    )
    jwt.token_verification_failed_loader(
        lambda header, payload: _unauthorized(lazy_gettext("Token verification failed."))
    )
    jwt.user_lookup_error_loader(
        lambda header, payload: _unauthorized(lazy_gettext("Unknown user."))
    )
