"""Corrections keep what was there before and who changed it."""

import uuid
from datetime import date, datetime, time
from enum import Enum

from sqlalchemy import select

from server.database import db
from server.models import ChangeRecord
from server.services.common.actor import Actor


def plain(value):
    """A value as JSON holds it."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def snapshot(obj, fields) -> dict:
    return {field: plain(getattr(obj, field)) for field in fields}


def record_change(
    actor: Actor,
    entity: str,
    entity_id: uuid.UUID,
    before: dict,
    after: dict,
    participant_id: uuid.UUID | None = None,
) -> dict:
    """Store the fields that differ between two snapshots; returns them."""
    changes = {
        field: [before.get(field), after.get(field)]
        for field in after
        if before.get(field) != after.get(field)
    }
    if changes:
        db.session.add(
            ChangeRecord(
                organisation_id=actor.organisation_id,
                participant_id=participant_id,
                entity=entity,
                entity_id=entity_id,
                user_id=actor.user_id,
                changes=changes,
            )
        )
    return changes


def for_entity(entity: str, entity_id: uuid.UUID) -> list[ChangeRecord]:
    return list(
        db.session.scalars(
            select(ChangeRecord)
            .where(ChangeRecord.entity == entity, ChangeRecord.entity_id == entity_id)
            .order_by(ChangeRecord.at)
        )
    )
