"""A meeting's action items: who does what by when. Leaders add and change them; every staff
member of the department ticks them off; the work list shows those past due."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from server import clock
from server.database import db
from server.models import Meeting, MeetingAction, Participant
from server.services.common import access_log, history, scope
from server.services.common.actor import Actor
from server.services.common.errors import Conflict, Invalid, NotFound
from server.services.meetings.records import RESOURCE, scoped, touch
from server.services.storage import paging, retries
from server.services.storage.paging import Window
from shared.i18n import gettext
from shared.vocab import AccessAction, MeetingStatus, ParticipantStatus

ACTION_FIELDS = ("description", "responsible", "due_date", "done")


@dataclass(frozen=True)
class Overdue:
    """An open action item past its due date, with its meeting's time and participant."""

    action: MeetingAction
    meeting_scheduled_at: datetime
    participant: Participant
    days_overdue: int


def add_action(actor: Actor, meeting_id: uuid.UUID, data: dict) -> tuple[MeetingAction, bool]:
    """POST /meetings/{id}/actions: (action, created); the client may choose the id, and
    the same request again, even at the same moment, answers with the item it made."""
    return retries.with_retries(lambda: _add_action(actor, meeting_id, data))


def _add_action(actor: Actor, meeting_id: uuid.UUID, data: dict):
    meeting, participant = scoped(actor, meeting_id, lock=True)
    scope.require_role(actor, *scope.MANAGERS)
    if meeting.status == MeetingStatus.CANCELLED:
        raise Conflict(gettext("The meeting was cancelled; it has no action items."))
    action_id = data.get("id") or uuid.uuid4()
    fields = {field: data.get(field) for field in ("description", "responsible", "due_date")}
    existing = db.session.get(MeetingAction, action_id)
    if existing is not None:
        if existing.meeting_id != meeting.id or any(
            getattr(existing, k) != v for k, v in fields.items()
        ):
            raise Conflict(gettext("An action item with this id exists; change it with PATCH."))
        access_log.record(actor, [participant.id], AccessAction.READ, RESOURCE)
        db.session.commit()
        return existing, False
    action = MeetingAction(id=action_id, meeting_id=meeting.id, created_by_id=actor.user_id)
    for field, value in fields.items():
        setattr(action, field, value)
    db.session.add(action)
    touch(meeting)
    access_log.record(actor, [participant.id], AccessAction.CREATE, RESOURCE)
    db.session.commit()
    return action, True


def update_action(actor: Actor, meeting_id: uuid.UUID, action_id: uuid.UUID, data: dict):
    """PATCH /meetings/{id}/actions/{action_id}: tick off (any staff member of the
    department) or change the item (leaders). The earlier values go to the history.

    A tick (``done``) carries when it was made (``recorded_at``, now by default): one
    recorded before the item's last tick is a late arrival from a phone's outbox and
    changes nothing, so ticks applied in any order leave the newest standing."""
    data = dict(data)
    recorded_at = data.pop("recorded_at", None) or clock.now()
    if recorded_at > clock.now() + retries.CLOCK_SKEW:
        raise Invalid({"recorded_at": gettext("Must not be in the future.")})
    meeting, participant = scoped(actor, meeting_id, lock=True)
    action = next((a for a in meeting.actions if a.id == action_id), None)
    if action is None:
        raise NotFound(gettext("Action item not found."))
    if set(data) - {"done"}:
        scope.require_role(actor, *scope.MANAGERS)
    if "done" in data:
        if action.done_recorded_at is not None and recorded_at < action.done_recorded_at:
            del data["done"]  # a newer tick stands
        else:
            action.done_recorded_at = recorded_at
    before = history.snapshot(action, ACTION_FIELDS)
    for field, value in data.items():
        setattr(action, field, value)
    if "done" in data and data["done"] != before["done"]:
        action.done_at = clock.now() if data["done"] else None
        action.done_by_id = actor.user_id if data["done"] else None
    after = history.snapshot(action, ACTION_FIELDS)
    changes = history.record_change(
        actor, "meeting_action", action.id, before, after, participant.id
    )
    if changes:
        touch(meeting)
    logged = AccessAction.UPDATE if changes else AccessAction.READ
    access_log.record(actor, [participant.id], logged, RESOURCE)
    db.session.commit()
    return action


# How many open action items a participant's page shows at most.
OPEN_ACTIONS_SHOWN = 100


def open_for_participant(actor: Actor, participant_id: uuid.UUID) -> list[MeetingAction]:
    """The open action items of the participant's meetings (not of cancelled ones), the
    soonest due first, those without a date last; neither logged nor committed: for a
    caller that logs what it shows as a whole."""
    stmt = (
        scope.of_visible_participants(
            actor,
            select(MeetingAction).join(Meeting, Meeting.id == MeetingAction.meeting_id),
            Meeting.participant_id,
        )
        .where(
            Meeting.participant_id == participant_id,
            MeetingAction.done.is_(False),
            Meeting.status != MeetingStatus.CANCELLED,
        )
        .order_by(
            MeetingAction.due_date.is_(None),
            MeetingAction.due_date,
            MeetingAction.created_at,
            MeetingAction.id,
        )
        .limit(OPEN_ACTIONS_SHOWN)
    )
    return list(db.session.scalars(stmt))


def overdue_actions(actor: Actor, filters: dict, window: Window):
    """The work list: open action items past their due date, the oldest first."""
    today = clock.local_today(scope.organisation(actor).timezone)
    stmt = scope.of_visible_participants(
        actor,
        select(MeetingAction, Meeting.scheduled_at, Participant).join(
            Meeting, Meeting.id == MeetingAction.meeting_id
        ),
        Meeting.participant_id,
    ).where(
        MeetingAction.done.is_(False),
        MeetingAction.due_date < today,
        Meeting.status != MeetingStatus.CANCELLED,
        Participant.status != ParticipantStatus.ENDED,
    )
    stmt = scope.in_department_filter(actor, stmt, filters)
    rows, total = paging.one_page(
        stmt, window, MeetingAction.due_date, MeetingAction.created_at, MeetingAction.id, rows=True
    )
    items = [
        Overdue(action, scheduled_at, participant, (today - action.due_date).days)
        for action, scheduled_at, participant in rows
    ]
    access_log.record(
        actor, [item.participant.id for item in items], AccessAction.LIST, "overdue_actions"
    )
    db.session.commit()
    return items, total
