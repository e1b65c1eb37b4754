"""Planned leave (permisjon): days a participant is not expected and gets no wake-up call."""

import uuid

from sqlalchemy import select

from server.database import db
from server.models import Leave
from server.services.common import access_log, scope
from server.services.common.actor import Actor
from server.services.common.errors import Invalid, NotFound
from shared.i18n import gettext
from shared.vocab import AccessAction

RESOURCE = "leave"


def list_leaves(actor: Actor, participant_id: uuid.UUID) -> list[Leave]:
    participant = scope.get_participant(actor, participant_id)
    leaves = db.session.scalars(
        select(Leave).where(Leave.participant_id == participant.id).order_by(Leave.first_day)
    ).all()
    access_log.record(actor, [participant.id], AccessAction.READ, RESOURCE)
    db.session.commit()
    return list(leaves)


def add_leave(actor: Actor, participant_id: uuid.UUID, data: dict) -> Leave:
    participant = scope.get_participant(actor, participant_id)
    if data["last_day"] < data["first_day"]:
        raise Invalid({"last_day": gettext("Must not be before first_day.")})
    overlapping = db.session.scalar(
        select(Leave.id).where(
            Leave.participant_id == participant.id,
            Leave.first_day <= data["last_day"],
            Leave.last_day >= data["first_day"],
        )
    )
    if overlapping:
        raise Invalid({"first_day": gettext("Overlaps leave already registered.")})
    leave = Leave(participant_id=participant.id, created_by_id=actor.user_id, **data)
    db.session.add(leave)
    access_log.record(actor, [participant.id], AccessAction.CREATE, RESOURCE)
    db.session.commit()
    return leave


def remove_leave(actor: Actor, participant_id: uuid.UUID, leave_id: uuid.UUID) -> None:
    participant = scope.get_participant(actor, participant_id)
    leave = db.session.scalars(
        select(Leave).where(Leave.id == leave_id, Leave.participant_id == participant.id)
    ).first()
    if leave is None:
        raise NotFound(gettext("Leave not found."))
    db.session.delete(leave)
    access_log.record(actor, [participant.id], AccessAction.UPDATE, RESOURCE)
    db.session.commit()
