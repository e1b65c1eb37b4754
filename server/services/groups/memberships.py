"""A participant's group: one open membership at a time, the closed ones kept as history.

A change of group closes the open span and opens a new one in the caller's transaction,
which also changes ``Participant.group_id``. That change bumps the participant's version
(optimistic locking), so of two moves made at once the second fails as a whole, its
spans included, instead of leaving two open spans."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from server import clock
from server.database import db
from server.models import Group, GroupMembership, Participant
from server.services.common import access_log, scope
from server.services.common.actor import Actor
from server.services.common.errors import Invalid
from shared.i18n import gettext
from shared.vocab import AccessAction

RESOURCE = "group_membership"


@dataclass(frozen=True)
class GroupBrief:
    id: uuid.UUID
    name: str


@dataclass(frozen=True)
class History:
    """One span of a participant in a group."""

    group: GroupBrief
    joined_at: datetime
    left_at: datetime | None


def require_group_of(department_id: uuid.UUID, group_id: uuid.UUID) -> Group:
    """An active group of the department (422 on ``group_id`` otherwise, alike for a group
    of another department or organisation and for none)."""
    group = db.session.scalar(
        select(Group).where(Group.id == group_id, Group.department_id == department_id)
    )
    if group is None:
        raise Invalid({"group_id": gettext("Unknown group in the participant's department.")})
    if not group.active:
        raise Invalid({"group_id": gettext("The group is closed.")})
    return group


def _end_open_span(actor: Actor, participant: Participant) -> None:
    now = clock.now()
    for membership in db.session.scalars(
        select(GroupMembership).where(
            GroupMembership.participant_id == participant.id,
            GroupMembership.left_at.is_(None),
        )
    ):
        membership.left_at = now
        membership.removed_by = actor.user_id


def _set_group(participant: Participant, group_id: uuid.UUID | None) -> None:
    """The participant's own row changes first, with its version check: of two changes
    made at once the second is refused here as stale (412), before it touches a span."""
    participant.group_id = group_id
    db.session.flush()


def close_membership(actor: Actor, participant: Participant) -> None:
    """End the participant's open span, if any, and leave them without a group."""
    _set_group(participant, None)
    _end_open_span(actor, participant)


def disband(actor: Actor, group: Group) -> list[uuid.UUID]:
    """A group closes: its members are left without a group (their spans end now, kept in
    their history), to be placed in another. Returns who they were."""
    members = list(db.session.scalars(select(Participant).where(Participant.group_id == group.id)))
    for participant in members:
        close_membership(actor, participant)
    return [participant.id for participant in members]


def place_in_group(actor: Actor, participant: Participant, group_id: uuid.UUID | None) -> bool:
    """Put the participant in the group (None: in none), closing the open span and opening
    a new one; True when the group changed. The group must be an active group of the
    participant's department (as it is after any move in the same change); naming the
    group the participant is in already changes nothing, even if it has closed since."""
    if group_id == participant.group_id:
        return False
    if group_id is not None:
        require_group_of(participant.department_id, group_id)
    _set_group(participant, group_id)
    _end_open_span(actor, participant)
    if group_id is not None:
        db.session.add(
            GroupMembership(
                id=uuid.uuid4(),
                organisation_id=participant.organisation_id,
                participant_id=participant.id,
                group_id=group_id,
                joined_at=clock.now(),
                added_by=actor.user_id,
            )
        )
    return True


def group_history(actor: Actor, participant_id: uuid.UUID) -> list[History]:
    """GET /participants/{id}/groups: every span, the newest first."""
    participant = scope.get_participant(actor, participant_id)
    rows = db.session.execute(
        select(GroupMembership, Group.name)
        .join(Group, Group.id == GroupMembership.group_id)
        .where(GroupMembership.participant_id == participant.id)
        # The open span first, then the newest; ties (moves within one clock tick) by
        # when they closed.
        .order_by(
            GroupMembership.left_at.is_(None).desc(),
            GroupMembership.joined_at.desc(),
            GroupMembership.left_at.desc(),
        )
    ).all()
    access_log.record(actor, [participant.id], AccessAction.READ, RESOURCE)
    db.session.commit()
    return [History(GroupBrief(m.group_id, name), m.joined_at, m.left_at) for m, name in rows]
