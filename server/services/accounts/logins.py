"""Login, token refresh with rotation, and logout: the login sessions behind the tokens.
The web layer mints the tokens that name a session and reads them back
(``server.web.tokens``); here are the rules."""

import uuid
from collections.abc import Mapping
from datetime import timedelta

from sqlalchemy import select, update

from server import clock, settings
from server.database import db
from server.models import AuthSession, User
from server.services.accounts import passwords
from server.services.accounts.throttle import LoginThrottle
from server.services.common import security_events
from server.services.common.actor import Actor
from server.services.common.errors import TooManyRequests, Unauthorized
from shared.i18n import gettext, lazy_gettext
from shared.vocab import SecurityEventType

WRONG_CREDENTIALS = lazy_gettext("Wrong username or password.")


def _refresh_lifetime() -> timedelta:
    return settings.config()["JWT_REFRESH_TOKEN_EXPIRES"]


def login(
    username: str,
    password: str,
    address: str,
    lifetime: timedelta | None = None,
    via: str | None = None,
) -> tuple[User, AuthSession]:
    """Check the password and open a login session (Unauthorized or TooManyRequests
    otherwise); the user and the session, for the tokens (or the office's cookie) that
    name it. The session lasts ``lifetime``, the refresh tokens' lifetime unless given.
    Each outcome is a security event, saying ``via`` what it came; a refused one names the
    account only if it exists."""
    throttle = LoginThrottle(username, address)
    wait = throttle.attempt()
    user = db.session.scalars(select(User).where(User.username == username.casefold())).first()
    if wait:
        _refused(SecurityEventType.THROTTLED, user, address, {"limits": throttle.passed})
        raise TooManyRequests(wait)

    if user is None:
        passwords.burn_verification_time(password)
        failure = "unknown_user"
    elif not passwords.verify_password(user.password_hash, password):
        failure = "wrong_password"
    elif not user.active:
        failure = "inactive"
    else:
        failure = None
    if failure:
        _refused(SecurityEventType.LOGIN_FAILED, user, address, {"reason": failure})
        raise Unauthorized(WRONG_CREDENTIALS)

    throttle.succeeded()
    if passwords.hasher().check_needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    now = clock.now()
    session = AuthSession(
        id=uuid.uuid4(),
        user_id=user.id,
        refresh_jti=uuid.uuid4().hex,
        created_at=now,
        last_used_at=now,
        expires_at=now + (lifetime or _refresh_lifetime()),
    )
    db.session.add(session)
    detail = {"session_id": str(session.id)}
    if via:
        detail["via"] = via
    security_events.record(
        SecurityEventType.LOGIN,
        organisation_id=user.organisation_id,
        user_id=user.id,
        address=address,
        detail=detail,
    )
    db.session.commit()
    return user, session


def _refused(kind: SecurityEventType, user: User | None, address: str, detail: dict) -> None:
    security_events.record_alone(
        kind,
        organisation_id=user.organisation_id if user else None,
        user_id=user.id if user else None,
        address=address,
        detail=detail,
    )


def refresh(claims: Mapping, address: str) -> AuthSession:
    """Rotate the refresh token (``claims`` are its own): the session with its new refresh
    id. Presenting a spent one revokes the whole login."""
    session_id = uuid.UUID(claims["sid"])
    new_jti = uuid.uuid4().hex
    now = clock.now()
    rotated = db.session.execute(
        update(AuthSession)
        .where(
            AuthSession.id == session_id,
            AuthSession.refresh_jti == claims["jti"],
            AuthSession.revoked_at.is_(None),
        )
        .values(refresh_jti=new_jti, last_used_at=now, expires_at=now + _refresh_lifetime())
    ).rowcount
    if rotated != 1:
        _revoke(session_id, "refresh_reuse")
        user = db.session.get(User, uuid.UUID(claims["sub"]))
        security_events.record(
            SecurityEventType.REFRESH_REPLAYED,
            organisation_id=user.organisation_id if user else None,
            user_id=user.id if user else None,
            address=address,
            detail={"session_id": str(session_id)},
        )
        db.session.commit()
        raise Unauthorized(gettext("Refresh token already used; the login has been ended."))
    session = db.session.get(AuthSession, session_id)
    db.session.commit()
    return session


def logout(actor: Actor, refresh_claims: Mapping | None) -> None:
    """End the caller's login, and the one the given refresh token (its claims, None for
    none or one that does not verify) belongs to, if it is the caller's."""
    session_ids = {actor.session_id}
    claims = refresh_claims or {}
    if claims.get("type") == "refresh" and claims.get("sub") == str(actor.user_id):
        try:
            session_ids.add(uuid.UUID(claims["sid"]))
        except (KeyError, TypeError, ValueError, AttributeError):
            pass  # a token that names no session is simply ignored
    for session_id in session_ids:
        _revoke(session_id, "logout")
    security_events.record(
        SecurityEventType.LOGOUT,
        actor=actor,
        detail={"session_ids": sorted(str(session_id) for session_id in session_ids)},
    )
    db.session.commit()


def keep_alive(session_id: uuid.UUID, idle: timedelta) -> bool:
    """Mark an open session used now, if it was last used within ``idle``; a session left
    idle longer is ended (``idle``). Whether the session is still open."""
    now = clock.now()
    kept = db.session.execute(
        update(AuthSession)
        .where(
            AuthSession.id == session_id,
            AuthSession.revoked_at.is_(None),
            AuthSession.expires_at > now,
            AuthSession.last_used_at > now - idle,
        )
        .values(last_used_at=now)
    ).rowcount
    if kept != 1:
        _revoke(session_id, "idle")
    db.session.commit()
    return kept == 1


def revoke_all_for_user(user_id: uuid.UUID, reason: str) -> None:
    db.session.execute(
        update(AuthSession)
        .where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=clock.now(), revoked_reason=reason)
    )


def _revoke(session_id: uuid.UUID, reason: str) -> None:
    db.session.execute(
        update(AuthSession)
        .where(AuthSession.id == session_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=clock.now(), revoked_reason=reason)
    )
