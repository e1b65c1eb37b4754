"""The security event log: logins and failed logins, throttling, logouts, replayed refresh
tokens, changes to staff accounts, exports and refusals. Who, what, when and from which
address; never a password or a token.

An event that goes with a change is written in the change's transaction (``record``); one
about a request that is refused or fails is written on its own, after the request's own
work has been rolled back (``record_alone``), so the refusal is kept.

Events belong to the organisation of the account they are about. An event with no known
account (a failed login or throttling for a username nobody has) belongs to no
organisation, and no organisation's admin sees it: the username typed is not stored, and
nothing ties the attempt to one tenant rather than another.
"""

import logging
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import insert, or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import aliased

from server import clock
from server.database import db
from server.models import SecurityEvent, User
from server.services.common import periods, scope
from server.services.common.actor import Actor, require_role
from server.services.storage import paging
from server.services.storage.paging import Window
from shared.vocab import Role, SecurityEventType

log = logging.getLogger(__name__)

_INSERT = insert(SecurityEvent.__table__)


def _row(
    type: SecurityEventType,
    actor: Actor | None,
    organisation_id: uuid.UUID | None,
    user_id: uuid.UUID | None,
    subject_user_id: uuid.UUID | None,
    address: str | None,
    detail: dict | None,
) -> dict:
    return {
        "id": uuid.uuid4(),
        "at": clock.now(),
        "type": type,
        "organisation_id": actor.organisation_id if actor else organisation_id,
        "user_id": actor.user_id if actor else user_id,
        "subject_user_id": subject_user_id,
        "address": (actor.address if actor else address) or None,
        "detail": detail or {},
    }


def record(
    type: SecurityEventType,
    *,
    actor: Actor | None = None,
    organisation_id: uuid.UUID | None = None,
    user_id: uuid.UUID | None = None,
    subject_user_id: uuid.UUID | None = None,
    address: str | None = None,
    detail: dict | None = None,
) -> None:
    """Add an event to the current transaction: it is kept if the change is. With an
    ``actor``, the organisation, user and address are the actor's."""
    row = _row(type, actor, organisation_id, user_id, subject_user_id, address, detail)
    db.session.connection().execute(_INSERT, [row])


def record_alone(kind: SecurityEventType, **kwargs) -> None:
    """Write an event in a transaction of its own, for a request that is refused or fails
    (whose own work is rolled back). Losing it is logged, never a failed request."""
    db.session.rollback()
    try:
        record(kind, **kwargs)
        db.session.commit()
    except SQLAlchemyError as error:
        db.session.rollback()
        log.error("security event not recorded: %s", type(error).__name__)


def refused(actor: Actor | None, method: str, endpoint: str | None, message: str) -> None:
    """A request refused for the caller's role or department (403)."""
    if actor is None:
        return
    record_alone(
        SecurityEventType.FORBIDDEN,
        actor=actor,
        detail={"method": method, "endpoint": endpoint, "message": message},
    )


def search(
    actor: Actor,
    *,
    window: Window,
    type: SecurityEventType | None = None,
    user_id: uuid.UUID | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
):
    """The organisation's events (admins), newest first: by type, by user (who acted or
    whose account it was) and by local dates."""
    require_role(actor, Role.ADMIN)
    acting, subject = aliased(User), aliased(User)
    stmt = (
        select(SecurityEvent, acting.username, subject.username)
        .outerjoin(acting, acting.id == SecurityEvent.user_id)
        .outerjoin(subject, subject.id == SecurityEvent.subject_user_id)
        .where(SecurityEvent.organisation_id == actor.organisation_id)
    )
    if type:
        stmt = stmt.where(SecurityEvent.type == type)
    if user_id:
        stmt = stmt.where(
            or_(SecurityEvent.user_id == user_id, SecurityEvent.subject_user_id == user_id)
        )
    zone = scope.organisation(actor).timezone
    stmt = stmt.where(*periods.within(SecurityEvent.at, date_from, date_to, zone))
    rows, total = paging.one_page(
        stmt, window, SecurityEvent.at.desc(), SecurityEvent.id, rows=True
    )
    return [Listed(*row) for row in rows], total


@dataclass(frozen=True)
class Listed:
    """An event with the usernames of who acted and of whose account it was about."""

    event: SecurityEvent
    username: str | None
    subject_username: str | None


def clear_addresses(days: int) -> int:
    """Clear the addresses of events older than ``days`` (the only change the log
    allows); the number of events cleared."""
    cutoff = clock.now() - timedelta(days=days)
    cleared = db.session.execute(
        update(SecurityEvent)
        .where(SecurityEvent.address.is_not(None), SecurityEvent.at < cutoff)
        .values(address=None)
    ).rowcount
    db.session.commit()
    return cleared
