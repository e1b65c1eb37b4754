"""Meetings in lists: a participant's meetings and the work list of meetings coming up.
Lists never carry the minutes or decisions."""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import case, func, select

from server import clock
from server.database import db
from server.models import Meeting, MeetingAction, MeetingMember, Participant
from server.services.common import access_log, scope
from server.services.common.actor import Actor
from server.services.storage import paging
from server.services.storage.paging import Window
from shared.vocab import AccessAction, MeetingStatus, ParticipantStatus


@dataclass(frozen=True)
class Listed:
    """A meeting in a list, with its participant and what it counts."""

    meeting: Meeting
    participant: Participant
    open_actions: int
    member_count: int


def _brief_columns():
    open_actions = (
        select(func.count(MeetingAction.id))
        .where(MeetingAction.meeting_id == Meeting.id, MeetingAction.done.is_(False))
        .correlate(Meeting)
        .scalar_subquery()
    )
    members = (
        select(func.count())
        .select_from(MeetingMember)
        .where(MeetingMember.meeting_id == Meeting.id)
        .correlate(Meeting)
        .scalar_subquery()
    )
    return open_actions.label("open_actions"), members.label("member_count")


def _page(actor: Actor, stmt, window: Window, resource: str, *order_by):
    rows, total = paging.one_page(stmt, window, *order_by, Meeting.id, rows=True)
    items = [Listed(*row) for row in rows]
    access_log.record(actor, [item.participant.id for item in items], AccessAction.LIST, resource)
    db.session.commit()
    return items, total


def _visible(actor: Actor):
    stmt = select(Meeting, Participant, *_brief_columns())
    return scope.of_visible_participants(actor, stmt, Meeting.participant_id)


def list_for_participant(actor: Actor, participant_id: uuid.UUID, window: Window):
    """A participant's meetings, newest first, without minutes or decisions."""
    participant = scope.get_participant(actor, participant_id)
    stmt = _visible(actor).where(Meeting.participant_id == participant.id)
    return _page(actor, stmt, window, "meeting_list", Meeting.scheduled_at.desc())


def next_planned(actor: Actor, participant_id: uuid.UUID) -> Listed | None:
    """The participant's next planned meeting from now on, if any; neither logged nor
    committed: for a caller that logs what it shows as a whole."""
    stmt = (
        _visible(actor)
        .where(
            Meeting.participant_id == participant_id,
            Meeting.status == MeetingStatus.PLANNED,
            Meeting.scheduled_at >= clock.now(),
        )
        .order_by(Meeting.scheduled_at, Meeting.id)
        .limit(1)
    )
    row = db.session.execute(stmt).first()
    return Listed(*row) if row else None


def upcoming(actor: Actor, filters: dict, window: Window):
    """The work list: planned meetings from today on in the caller's departments, soonest
    first (a planned meeting earlier today is still listed until it is written up)."""
    zone = scope.organisation(actor).timezone
    today = clock.local_today(zone)
    start = clock.day_start(today, zone)
    stmt = _visible(actor).where(
        Meeting.status == MeetingStatus.PLANNED,
        Meeting.scheduled_at >= start,
        Participant.status != ParticipantStatus.ENDED,
    )
    stmt = scope.in_department_filter(actor, stmt, filters)
    if filters.get("days"):
        end = clock.day_start(today + timedelta(days=filters["days"] + 1), zone)
        stmt = stmt.where(Meeting.scheduled_at < end)
    return _page(actor, stmt, window, "upcoming_meetings", Meeting.scheduled_at)


def list_for_department(actor: Actor, filters: dict, window: Window):
    """The meetings of a department (``department_id``; else of every department the
    actor sees), ``status`` if given: those from today on first, soonest first, then the
    earlier ones, the latest first. Without minutes or decisions."""
    zone = scope.organisation(actor).timezone
    start = clock.day_start(clock.local_today(zone), zone)
    stmt = scope.in_department_filter(actor, _visible(actor), filters)
    if filters.get("status"):
        stmt = stmt.where(Meeting.status == filters["status"])
    earlier = case((Meeting.scheduled_at < start, 1), else_=0)
    coming = case((Meeting.scheduled_at >= start, Meeting.scheduled_at), else_=None)
    return _page(actor, stmt, window, "meeting_list", earlier, coming, Meeting.scheduled_at.desc())
