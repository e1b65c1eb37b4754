"""Participants' names beside rows that carry only their id (a page of a list), in one
query whatever the page's length."""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from server.database import db
from server.models import Participant, User


@dataclass(frozen=True)
class Named:
    """Something with an id and a name, as a report heads with it (a department)."""

    id: uuid.UUID
    name: str


@dataclass(frozen=True)
class ParticipantName:
    """A participant as a list row names them."""

    id: uuid.UUID
    first_name: str
    last_name: str

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


def participant_names(participant_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, ParticipantName]:
    """{id: name} for the participants named (no query for none). The caller has scoped
    the rows the ids come from."""
    ids = set(participant_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Participant.id, Participant.first_name, Participant.last_name).where(
            Participant.id.in_(ids)
        )
    )
    return {row.id: ParticipantName(row.id, row.first_name, row.last_name) for row in rows}


def staff_names(user_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    """{id: full name} of the staff named (no query for none): who made a version or a
    change. The caller has scoped the rows the ids come from."""
    ids = {user_id for user_id in user_ids if user_id is not None}
    if not ids:
        return {}
    rows = db.session.execute(select(User.id, User.full_name).where(User.id.in_(ids)))
    return {row.id: row.full_name for row in rows}
