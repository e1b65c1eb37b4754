"""Follow-ups (oppfølging): conversations, calls, home visits and accompaniment.

A follow-up is written by a client-chosen id, so the phone can send it again: the same id
and body again changes nothing (200); the same id with another body is a correction by its
author or a leader (the earlier values go to the history); the id never makes a second
follow-up. The note is sensitive: only the staff of the participant's department write or
read it, one follow-up at a time, and every read is logged. Lists and counts never carry it.
"""

import dataclasses
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select

from server import clock
from server.database import db
from server.models import FollowUp, Participant, User
from server.services.attendance.expected import in_programme, in_programme_on
from server.services.common import access_log, history, periods, scope
from server.services.common.actor import Actor
from server.services.common.errors import Conflict, Forbidden, Invalid, NotFound
from server.services.storage import paging, retries
from server.services.storage.paging import Window
from shared.i18n import gettext, lazy_gettext
from shared.vocab import AccessAction, FollowUpKind, ParticipantStatus, values

RESOURCE = "followup"
FIELDS = ("participant_id", "kind", "occurred_at", "duration_minutes", "note")
DEFAULT_QUIET_DAYS = 14

_LOOKUP = scope.ParticipantFacts()


@dataclass(frozen=True)
class Author:
    id: uuid.UUID
    full_name: str


@dataclass(frozen=True)
class Listed:
    """A follow-up as lists show it: with its author, never its note; in a list that
    spans participants, with whom it is about."""

    followup: FollowUp
    author: Author
    participant: Participant | None = dataclasses.field(default=None, kw_only=True)

    @property
    def has_note(self) -> bool:
        return bool(self.followup.note)


@dataclass(frozen=True)
class Shown(Listed):
    """A follow-up with its note: ``note`` is None and ``note_withheld`` true where there
    is a note the actor may not read."""

    note: str | None
    note_withheld: bool


@dataclass(frozen=True)
class Quiet:
    """A participant nobody has followed up lately; ``last_followup_at`` None: never."""

    participant: Participant
    last_followup_at: datetime | None
    days_since: int | None


def put(actor: Actor, followup_id: uuid.UUID, body: dict) -> tuple[FollowUp, bool]:
    """PUT /followups/{id}: (follow-up, created)."""
    return retries.with_retries(lambda: _put(actor, followup_id, body))


def _put(actor: Actor, followup_id: uuid.UUID, body: dict) -> tuple[FollowUp, bool]:
    participant = _LOOKUP.find(actor, body["participant_id"])
    scope.require_works_in(actor, participant.department_id)
    _validate(participant, body)
    after = {field: history.plain(body.get(field)) for field in FIELDS}

    followup = db.session.get(FollowUp, followup_id, with_for_update=True, populate_existing=True)
    if followup is None:
        followup = FollowUp(id=followup_id, author_id=actor.user_id, updated_by_id=actor.user_id)
        _assign(followup, body)
        db.session.add(followup)
        db.session.flush()
        access_log.record(actor, [participant.id], AccessAction.CREATE, RESOURCE)
        return followup, True

    if followup.participant_id != participant.id:
        raise Conflict(gettext("This id belongs to another follow-up."))
    before = history.snapshot(followup, FIELDS)
    if before == after:
        access_log.record(actor, [participant.id], AccessAction.READ, RESOURCE)
        return followup, False
    if followup.author_id != actor.user_id and actor.role not in scope.MANAGERS:
        raise Forbidden(lazy_gettext("Only the author or a leader may correct a follow-up."))
    _assign(followup, body)
    followup.updated_by_id = actor.user_id
    history.record_change(actor, RESOURCE, followup.id, before, after, participant.id)
    access_log.record(actor, [participant.id], AccessAction.UPDATE, RESOURCE)
    return followup, False


def _assign(followup: FollowUp, body: dict) -> None:
    for field in FIELDS:
        setattr(followup, field, body.get(field))


def _validate(participant, body: dict) -> None:
    occurred_at: datetime = body["occurred_at"]
    if occurred_at > clock.now() + retries.CLOCK_SKEW:
        raise Invalid({"occurred_at": gettext("Must not be in the future.")})
    day = clock.local_date(occurred_at, participant.timezone)
    if not in_programme(participant, day):
        raise Invalid(
            {"occurred_at": gettext("The participant was not in the programme that day.")}
        )


# --------------------------------------------------------------------------------------
# Reading


def _visible(actor: Actor, *columns):
    """Follow-ups of participants the actor sees, with the author's name."""
    stmt = select(FollowUp, *columns).join(User, User.id == FollowUp.author_id)
    return scope.of_visible_participants(actor, stmt, FollowUp.participant_id)


def _author(followup: FollowUp, author_name: str) -> Author:
    return Author(followup.author_id, author_name)


def get(actor: Actor, followup_id: uuid.UUID) -> Shown:
    row = db.session.execute(
        _visible(actor, User.full_name, Participant.department_id).where(FollowUp.id == followup_id)
    ).first()
    if row is None:
        raise NotFound(gettext("Follow-up not found."))
    followup, author_name, department_id = row
    access_log.record(actor, [followup.participant_id], AccessAction.READ, RESOURCE)
    db.session.commit()
    # The note only where the actor works in the participant's department.
    note, withheld = scope.sensitive_text(actor, department_id, followup.note)
    return Shown(followup, _author(followup, author_name), note, withheld)


def written(actor: Actor, followup: FollowUp) -> Shown:
    """The follow-up as the writer sees it after a PUT (they work in the department)."""
    author_name = db.session.scalar(select(User.full_name).where(User.id == followup.author_id))
    return Shown(followup, _author(followup, author_name), followup.note, False)


def _in_period(stmt, start, end):
    if start:
        stmt = stmt.where(FollowUp.occurred_at >= start)
    if end:
        stmt = stmt.where(FollowUp.occurred_at < end)
    return stmt


def _subject(actor: Actor, filters: dict):
    """(a WHERE clause, the time zone of the days) for ?participant_id= or ?department_id=."""
    if filters.get("participant_id"):
        participant = _LOOKUP.find(actor, filters["participant_id"])
        return FollowUp.participant_id == participant.id, participant.timezone
    if filters.get("department_id"):
        department = scope.get_department(actor, filters["department_id"])
        return Participant.department_id == department.id, department.effective_timezone
    raise Invalid({"participant_id": gettext("Give participant_id or department_id.")})


def list_followups(actor: Actor, filters: dict, window: Window):
    """A participant's (or a department's) follow-ups, newest first, without their notes."""
    clause, timezone = _subject(actor, filters)
    start, end = periods.bounds(filters.get("date_from"), filters.get("date_to"), timezone)
    stmt = _in_period(_visible(actor, User.full_name, Participant).where(clause), start, end)
    if filters.get("kind"):
        stmt = stmt.where(FollowUp.kind == filters["kind"])
    rows, total = paging.one_page(stmt, window, FollowUp.occurred_at.desc(), FollowUp.id, rows=True)
    items = [
        Listed(followup, _author(followup, author_name), participant=participant)
        for followup, author_name, participant in rows
    ]
    access_log.record(
        actor, [item.followup.participant_id for item in items], AccessAction.LIST, "followup_list"
    )
    db.session.commit()
    return items, total


def latest(actor: Actor, participant_id: uuid.UUID, limit: int) -> list[Listed]:
    """A participant's newest ``limit`` follow-ups, as lists show them (no note); neither
    logged nor committed: for a caller that logs what it shows as a whole."""
    stmt = (
        _visible(actor, User.full_name)
        .where(FollowUp.participant_id == participant_id)
        .order_by(FollowUp.occurred_at.desc(), FollowUp.id)
        .limit(limit)
    )
    return [
        Listed(followup, _author(followup, name)) for followup, name in db.session.execute(stmt)
    ]


def _by_kind(counts: dict) -> dict:
    return {kind: counts.get(kind, 0) for kind in values(FollowUpKind)}


def counts(actor: Actor, filters: dict) -> dict:
    """Follow-ups by kind in a period, in all and per participant (the statistics' input).
    For a department, every participant of it who is in the programme or had a follow-up."""
    clause, timezone = _subject(actor, filters)
    start, end = periods.bounds(filters["date_from"], filters["date_to"], timezone)
    stmt = select(
        FollowUp.participant_id,
        FollowUp.kind,
        func.count(),
        func.coalesce(func.sum(FollowUp.duration_minutes), 0),
    ).group_by(FollowUp.participant_id, FollowUp.kind)
    stmt = _in_period(
        scope.of_visible_participants(actor, stmt, FollowUp.participant_id), start, end
    )
    per_participant: dict[uuid.UUID, dict] = {}
    for participant_id, kind, number, minutes in db.session.execute(stmt.where(clause)):
        entry = per_participant.setdefault(participant_id, {"counts": {}, "minutes": 0})
        entry["counts"][kind] = number
        entry["minutes"] += minutes

    if filters.get("participant_id"):
        people = scope.participants(actor).where(Participant.id == filters["participant_id"])
    else:
        people = scope.participants(actor).where(
            Participant.department_id == filters["department_id"],
            or_(
                Participant.status != ParticipantStatus.ENDED,
                Participant.id.in_(per_participant),
            ),
        )
    rows = []
    for participant in db.session.scalars(
        people.order_by(Participant.last_name, Participant.first_name, Participant.id)
    ):
        entry = per_participant.get(participant.id, {"counts": {}, "minutes": 0})
        rows.append(
            {
                "participant": participant,
                "by_kind": _by_kind(entry["counts"]),
                "total": sum(entry["counts"].values()),
                "minutes": entry["minutes"],
            }
        )
    totals: dict[str, int] = {}
    for entry in per_participant.values():
        for kind, number in entry["counts"].items():
            totals[kind] = totals.get(kind, 0) + number
    participants = [row["participant"].id for row in rows]
    access_log.record(actor, participants, AccessAction.LIST, "followup_counts")
    db.session.commit()
    return {
        "from": filters["date_from"],
        "to": filters["date_to"],
        "participant_id": filters.get("participant_id"),
        "department_id": filters.get("department_id"),
        "by_kind": _by_kind(totals),
        "total": sum(totals.values()),
        "minutes": sum(entry["minutes"] for entry in per_participant.values()),
        "participants": rows,
    }


def without_recent(actor: Actor, filters: dict, window: Window):
    """The work list: participants in the programme with no follow-up logged in the last
    ``days`` days (default 14), those never followed up first, then the longest waiting."""
    days = filters.get("days") or DEFAULT_QUIET_DAYS
    since = clock.now() - timedelta(days=days)
    # The latest follow-up of each listed participant, by the (participant, time) index.
    last_at = (
        select(func.max(FollowUp.occurred_at))
        .where(FollowUp.participant_id == Participant.id)
        .correlate(Participant)
        .scalar_subquery()
    )
    today = clock.local_today(scope.organisation(actor).timezone)
    stmt = (
        scope.participants(actor)
        .add_columns(last_at)
        .where(
            Participant.status != ParticipantStatus.ENDED,
            in_programme_on(today),
            or_(last_at.is_(None), last_at < since),
        )
    )
    stmt = scope.in_department_filter(actor, stmt, filters)
    rows, total = paging.one_page(
        stmt,
        window,
        last_at.is_(None).desc(),
        last_at,
        Participant.last_name,
        Participant.id,
        rows=True,
    )
    now = clock.now()
    items = [
        Quiet(participant, last_at, (now - last_at).days if last_at else None)
        for participant, last_at in rows
    ]
    participants = [p.participant.id for p in items]
    access_log.record(actor, participants, AccessAction.LIST, "no_recent_followup")
    db.session.commit()
    return items, total
