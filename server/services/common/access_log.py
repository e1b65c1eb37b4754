"""The access log (tilgangslogg): who read or changed a participant's data, and when.

Rows are added to the caller's transaction, so a refused or failed request leaves none.
A list read (``AccessAction.LIST``: a list that shows many participants at once, which a
phone refreshes every few seconds) is logged at most once per user, participant, resource
and clock hour (UTC); each list has a resource name of its own (``today``,
``attendance_list``, ``attendance_rates`` ...), so one list read never hides another.
Every other read (one participant's records over a period too) and every change is
logged each time.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert, select

from server import clock
from server.database import db
from server.models import AccessLogEntry, User
from server.services.common import names, periods, scope
from server.services.common.actor import Actor, require_role
from server.services.storage import paging
from server.services.storage.paging import Window
from shared.vocab import AccessAction, Role

_INSERT = insert(AccessLogEntry.__table__)


def entry(
    actor: Actor,
    participant_id: uuid.UUID,
    action: AccessAction,
    resource: str,
    reason: str | None = None,
) -> dict:
    """One row of the log, every column set (for writes that insert it with their own)."""
    return {
        "id": uuid.uuid4(),
        "organisation_id": actor.organisation_id,
        "user_id": actor.user_id,
        "participant_id": participant_id,
        "action": action,
        "resource": resource,
        "at": clock.now(),
        "reason": reason,
    }


def record(
    actor: Actor,
    participant_ids: Iterable[uuid.UUID],
    action: AccessAction,
    resource: str,
    reason: str | None = None,
) -> None:
    """Log ``action`` on ``resource`` for each participant, in the caller's transaction;
    a list read only for the participants it has not logged yet this hour."""
    ids = list(dict.fromkeys(participant_ids))
    if action == AccessAction.LIST:
        ids = _not_listed_this_hour(actor, ids, resource)
    rows = [entry(actor, participant_id, action, resource, reason) for participant_id in ids]
    if rows:
        # Core, not the ORM's bulk path: this runs on every request that touches a
        # participant, and the ORM adds a millisecond for nothing here.
        db.session.connection().execute(_INSERT, rows)


def _hour_of(moment: datetime) -> tuple[datetime, datetime]:
    """The clock hour (UTC) a moment falls in: [start, end)."""
    start = moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    return start, start + timedelta(hours=1)


def _not_listed_this_hour(
    actor: Actor, participant_ids: list[uuid.UUID], resource: str
) -> list[uuid.UUID]:
    """The participants whose ``resource`` the actor has not listed yet in this clock
    hour: one SELECT, by the log's (user_id, at) index, in the caller's transaction. Two
    list reads by one user at the very same moment may both log (more, never less)."""
    if not participant_ids:
        return []
    start, end = _hour_of(clock.now())
    logged = set(
        db.session.scalars(
            select(AccessLogEntry.participant_id).where(
                AccessLogEntry.user_id == actor.user_id,
                AccessLogEntry.at >= start,
                AccessLogEntry.at < end,
                AccessLogEntry.action == AccessAction.LIST,
                AccessLogEntry.resource == resource,
                AccessLogEntry.participant_id.in_(participant_ids),
            )
        )
    )
    return [participant_id for participant_id in participant_ids if participant_id not in logged]


def _query(actor: Actor):
    return (
        select(AccessLogEntry, User.full_name, User.username)
        .join(User, User.id == AccessLogEntry.user_id)
        .where(AccessLogEntry.organisation_id == actor.organisation_id)
    )


def _page(stmt, window: Window):
    rows, total = paging.one_page(
        stmt, window, AccessLogEntry.at.desc(), AccessLogEntry.id, rows=True
    )
    return [_entry(row) for row in rows], total


@dataclass(frozen=True)
class Author:
    id: uuid.UUID
    full_name: str
    username: str


@dataclass
class Logged:
    """A log entry with who made it, and (in the organisation's log) whom it was about."""

    entry: AccessLogEntry
    user: Author
    participant_name: str | None = None


def _entry(row) -> Logged:
    entry, full_name, username = row
    return Logged(entry, Author(entry.user_id, full_name, username))


def for_participant(actor: Actor, participant_id: uuid.UUID, window: Window):
    """A participant's log, newest first (leaders and admins). Reading it is logged too."""
    participant = scope.get_participant(actor, participant_id, *scope.MANAGERS)
    page = _page(_query(actor).where(AccessLogEntry.participant_id == participant.id), window)
    record(actor, [participant.id], AccessAction.READ, "access_log")
    db.session.commit()
    return page


def search(
    actor: Actor,
    *,
    window: Window,
    user_id: uuid.UUID | None = None,
    participant_id: uuid.UUID | None = None,
    action: AccessAction | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
):
    """The organisation's log (admins), by user, participant, action and local dates."""
    require_role(actor, Role.ADMIN)
    stmt = _query(actor)
    if user_id:
        stmt = stmt.where(AccessLogEntry.user_id == user_id)
    if participant_id:
        stmt = stmt.where(AccessLogEntry.participant_id == participant_id)
    if action:
        stmt = stmt.where(AccessLogEntry.action == action)
    zone = scope.organisation(actor).timezone
    stmt = stmt.where(*periods.within(AccessLogEntry.at, date_from, date_to, zone))
    items, total = _page(stmt, window)
    by_id = names.participant_names(item.entry.participant_id for item in items)
    for item in items:
        name = by_id.get(item.entry.participant_id)
        item.participant_name = name.full_name if name else None
    return items, total
