"""Login, token refresh with rotation, and logout."""

import uuid
from datetime import timedelta

from flask import current_app
from flask_jwt_extended import create_access_token, create_refresh_token, decode_token
from sqlalchemy import select, update

from server import clock
from server.extensions import db
from server.models import AuthSession, User
from server.security import Actor
from server.services import passwords
from server.services.errors import TooManyRequests, Unauthorized
from server.services.throttle import LoginThrottle

WRONG_CREDENTIALS = "Wrong username or password."


def _refresh_lifetime() -> timedelta:
    return current_app.config["JWT_REFRESH_TOKEN_EXPIRES"]


def _issue(user_id: uuid.UUID, session: AuthSession) -> dict:
    claims = {"sid": str(session.id)}
    return {
        "access_token": create_access_token(identity=str(user_id), additional_claims=claims),
        "refresh_token": create_refresh_token(
            identity=str(user_id), additional_claims={**claims, "jti": session.refresh_jti}
        ),
    }


def login(username: str, password: str, address: str) -> dict:
    """Check the password and open a login session; 401 or 429 otherwise."""
    throttle = LoginThrottle(username, address)
    wait = throttle.attempt()
    if wait:
        raise TooManyRequests(wait)

    user = db.session.scalars(select(User).where(User.username == username.casefold())).first()
    if user is None:
        passwords.burn_verification_time(password)
        ok = False
    else:
        ok = passwords.verify_password(user.password_hash, password) and user.active
    if not ok:
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
        expires_at=now + _refresh_lifetime(),
    )
    db.session.add(session)
    tokens = _issue(user.id, session)
    db.session.commit()
    return {**tokens, "user": user}


def refresh(claims: dict) -> dict:
    """Rotate the refresh token. Presenting a spent one revokes the whole login."""
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
        db.session.commit()
        raise Unauthorized("Refresh token already used; the login has been ended.")
    session = db.session.get(AuthSession, session_id)
    tokens = _issue(session.user_id, session)
    db.session.commit()
    return tokens


def logout(actor: Actor, refresh_token: str | None) -> None:
    """End the caller's login, and the one the given refresh token belongs to, if it is
    the caller's."""
    session_ids = {actor.session_id}
    if refresh_token:
        try:
            claims = decode_token(refresh_token, allow_expired=True)
            if claims.get("type") == "refresh" and claims.get("sub") == str(actor.user_id):
                session_ids.add(uuid.UUID(claims["sid"]))
        except Exception:  # noqa: BLE001 - a bad token in a logout body is simply ignored
            pass
    for session_id in session_ids:
        _revoke(session_id, "logout")
    db.session.commit()


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
