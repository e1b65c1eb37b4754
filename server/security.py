"""Who is calling: token verification per request, the acting user and role checks.

Every access token names its login session (``sid``). One query per request loads the
session with its user, so logout, a replayed refresh token and deactivation end access
at once, in every worker, without a shared cache.
"""

import uuid
from dataclasses import dataclass

from flask import Flask, g
from flask_jwt_extended import verify_jwt_in_request
from sqlalchemy import select

from server import clock
from server.errors import envelope
from server.extensions import db, jwt
from server.models import AuthSession, User, user_departments
from server.services.errors import Forbidden
from shared.vocab import Role


@dataclass(frozen=True)
class Actor:
    """The authenticated staff member a service acts for."""

    user_id: uuid.UUID
    organisation_id: uuid.UUID
    role: Role
    department_ids: frozenset[uuid.UUID]
    session_id: uuid.UUID

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN


def authenticate() -> Actor:
    """Verify the request's access token and return the actor (401 on any failure)."""
    verify_jwt_in_request()
    return g.spire_actor


def current_actor() -> Actor:
    return g.spire_actor


def require_role(actor: Actor, *roles: Role) -> None:
    if actor.role not in roles:
        raise Forbidden()


def load_actor(session_id: uuid.UUID, user_id: str) -> Actor | None:
    """The actor behind a session, if the session is neither revoked nor expired and its
    user is active: one query, with a row per department the user works in."""
    rows = (
        db.session.connection()
        .execute(
            select(User.id, User.organisation_id, User.role, user_departments.c.department_id)
            .join(AuthSession, AuthSession.user_id == User.id)
            .outerjoin(user_departments, user_departments.c.user_id == User.id)
            .where(
                AuthSession.id == session_id,
                AuthSession.revoked_at.is_(None),
                AuthSession.expires_at > clock.now(),
                User.active.is_(True),
            )
        )
        .all()
    )
    if not rows or str(rows[0].id) != user_id:
        return None
    first = rows[0]
    return Actor(
        user_id=first.id,
        organisation_id=first.organisation_id,
        role=Role(first.role),
        department_ids=frozenset(r.department_id for r in rows if r.department_id),
        session_id=session_id,
    )


def _unauthorized(message: str):
    return envelope(401, message, headers={"WWW-Authenticate": "Bearer"})


def register_jwt_callbacks(app: Flask) -> None:
    @jwt.token_in_blocklist_loader
    def token_revoked(_header, payload) -> bool:
        try:
            session_id = uuid.UUID(payload.get("sid", ""))
        except (TypeError, ValueError):
            return True
        actor = load_actor(session_id, payload.get("sub", ""))
        if actor is None:
            return True
        g.spire_actor = actor
        return False

    jwt.unauthorized_loader(lambda reason: _unauthorized("Missing access token."))
    jwt.invalid_token_loader(lambda reason: _unauthorized("Invalid token."))
    jwt.expired_token_loader(lambda header, payload: _unauthorized("Token has expired."))
    jwt.revoked_token_loader(lambda header, payload: _unauthorized("Token has been revoked."))
    jwt.needs_fresh_token_loader(lambda header, payload: _unauthorized("Fresh token needed."))
    jwt.token_verification_failed_loader(
        lambda header, payload: _unauthorized("Token verification failed.")
    )
    jwt.user_lookup_error_loader(lambda header, payload: _unauthorized("Unknown user."))
