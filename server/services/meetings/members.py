"""The responsibility group: the outside contacts kept per participant. A meeting names its
members, and the latest meeting's list is the group the next meeting starts with."""

import uuid

from sqlalchemy import func, select

from server.database import db
from server.models import GroupMember, Meeting
from server.services.common import access_log, scope
from server.services.common.actor import Actor
from server.services.common.errors import Invalid
from shared.i18n import gettext
from shared.vocab import AccessAction, MeetingStatus

MEMBER_FIELDS = ("name", "organisation", "role", "phone", "email")


def group(actor: Actor, participant_id: uuid.UUID) -> list[GroupMember]:
    """The participant's responsibility group as it stands (the last meeting's members)."""
    participant = scope.get_participant(actor, participant_id)
    members = group_of(participant.id)
    access_log.record(actor, [participant.id], AccessAction.READ, "group")
    db.session.commit()
    return members


def group_of(participant_id: uuid.UUID) -> list[GroupMember]:
    return list(
        db.session.scalars(
            select(GroupMember)
            .where(GroupMember.participant_id == participant_id, GroupMember.active.is_(True))
            .order_by(GroupMember.name, GroupMember.id)
        )
    )


def is_latest(participant_id: uuid.UUID, scheduled_at, meeting_id: uuid.UUID) -> bool:
    """Whether a meeting at ``scheduled_at`` is the participant's last one (cancelled ones
    aside): only that meeting's members are the group the next meeting starts with."""
    later = db.session.scalar(
        select(func.count(Meeting.id)).where(
            Meeting.participant_id == participant_id,
            Meeting.id != meeting_id,
            Meeting.status != MeetingStatus.CANCELLED,
            Meeting.scheduled_at > scheduled_at,
        )
    )
    return later == 0


def members_from(participant_id: uuid.UUID, given: list[dict], is_group: bool):
    """Members for a meeting, from the body's list: an ``id`` names a member of this group
    (updated as given); a member without one is matched by name and organisation, or
    added. When the meeting is the latest (``is_group``) the list becomes the group the next
    meeting starts with; the members left out stay in the meetings they were in."""
    known = {
        member.id: member
        for member in db.session.scalars(
            select(GroupMember).where(GroupMember.participant_id == participant_id)
        )
    }
    by_name = {(m.name.casefold(), m.organisation.casefold()): m for m in known.values()}
    chosen: dict[uuid.UUID, GroupMember] = {}
    for index, data in enumerate(given):
        if data.get("id"):
            member = known.get(data["id"])
            if member is None:
                raise Invalid(
                    {
                        "members": {
                            index: {"id": [gettext("Not a member of this responsibility group.")]}
                        }
                    }
                )
        else:
            member = by_name.get((data["name"].casefold(), data["organisation"].casefold()))
        if member is None:
            member = GroupMember(id=uuid.uuid4(), participant_id=participant_id, active=False)
            db.session.add(member)
        if member.id in chosen:
            raise Invalid({"members": {index: {"name": [gettext("This member is listed twice.")]}}})
        for field in MEMBER_FIELDS:
            if field in data:
                setattr(member, field, data[field])
        by_name[(member.name.casefold(), member.organisation.casefold())] = member
        chosen[member.id] = member
    if is_group:
        for member in known.values():
            member.active = member.id in chosen
        for member in chosen.values():
            member.active = True
    return sorted(chosen.values(), key=lambda m: (m.name, str(m.id)))


def member_names(members) -> list[str]:
    return sorted(f"{m.name} ({m.organisation})" for m in members)


def member_keys(members) -> set[tuple[str, str]]:
    """Members (stored, or as a body lists them) by case-folded name and organisation."""

    def key(member):
        get = member.get if isinstance(member, dict) else lambda f: getattr(member, f)
        return get("name").casefold(), get("organisation").casefold()

    return {key(member) for member in members}
