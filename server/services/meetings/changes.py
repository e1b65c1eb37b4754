"""Changing a meeting: writing it up, moving it, changing its members. Edits need If-Match,
so two people writing the minutes at once never overwrite each other: the second gets 412
with the meeting as it is now, to merge from. A held meeting with a next date plans the
next one."""

import uuid

from server import clock
from server.database import db
from server.models import Meeting, Participant
from server.services.common import access_log, history, scope, versions
from server.services.common.actor import Actor
from server.services.meetings.members import MEMBER_FIELDS, is_latest, members_from
from server.services.meetings.records import (
    FIELDS,
    RESOURCE,
    Shown,
    Stale,
    check_times,
    etag,
    scoped,
    shown,
    snapshot,
)
from shared.vocab import AccessAction, MeetingStatus, ParticipantStatus


def update(
    actor: Actor, meeting_id: uuid.UUID, data: dict, expected: frozenset[str] | None
) -> tuple[Shown, str]:
    """PATCH /meetings/{id} with If-Match: the status, minutes, decisions, next meeting, or
    the plan itself (time, place, agenda, members). The earlier values go to the history."""
    meeting, participant = scoped(actor, meeting_id, lock=True)
    scope.require_role(actor, *scope.MANAGERS)
    if "minutes" in data:
        scope.require_works_in(actor, participant.department_id)
    current = etag(meeting)

    def stale() -> Stale:
        # The answer shows the meeting: that read is logged, though the change is refused.
        access_log.record(actor, [participant.id], AccessAction.READ, RESOURCE)
        db.session.commit()
        return Stale(shown(meeting, participant, actor), current)

    versions.require_match(
        expected, current, stale, changes_nothing=not _would_change(meeting, data)
    )

    # No flush until the commit: the meeting is written once and its version rises once.
    with db.session.no_autoflush:
        before = snapshot(meeting)
        for field in FIELDS:
            if field in data:
                setattr(meeting, field, data[field])
        check_times(meeting, participant)
        if data.get("members") is not None:
            latest = is_latest(participant.id, meeting.scheduled_at, meeting.id)
            meeting.members = members_from(participant.id, data["members"], latest)
        after = snapshot(meeting)
        changes = history.record_change(actor, RESOURCE, meeting.id, before, after, participant.id)
        if changes:
            meeting.updated_by_id = actor.user_id
            meeting.updated_at = clock.now()
            if "next_meeting_at" in changes or "status" in changes:
                _follow_on(actor, meeting, participant)
    logged = AccessAction.UPDATE if changes else AccessAction.READ
    access_log.record(actor, [participant.id], logged, RESOURCE)
    db.session.commit()
    meeting, participant = scoped(actor, meeting.id)
    return shown(meeting, participant, actor), etag(meeting)


def _would_change(meeting: Meeting, data: dict) -> bool:
    """Whether a PATCH body would change the meeting; reads only, writes nothing."""
    if any(field in data and getattr(meeting, field) != data[field] for field in FIELDS):
        return True
    given = data.get("members")
    if given is None:
        return False
    stored = {member.id: member for member in meeting.members}
    by_name = {(m.name.casefold(), m.organisation.casefold()): m for m in meeting.members}
    listed = set()
    for item in given:
        if item.get("id"):
            member = stored.get(item["id"])
        else:
            member = by_name.get((item["name"].casefold(), item["organisation"].casefold()))
        if member is None or member.id in listed:
            return True
        if any(field in item and getattr(member, field) != item[field] for field in MEMBER_FIELDS):
            return True
        listed.add(member.id)
    return listed != set(stored)


def _follow_on(actor: Actor, meeting: Meeting, participant: Participant) -> None:
    """A held meeting's ``next_meeting_at`` plans the next meeting with the same members and
    place. Moving the date moves that meeting while it is still planned; when the meeting
    is no longer held or has no next date, that planned meeting is cancelled; when it was
    cancelled or held already, a new date plans a new one. Changes to it keep history."""
    following = (
        db.session.get(Meeting, meeting.next_meeting_id) if meeting.next_meeting_id else None
    )
    planned = following if following and following.status == MeetingStatus.PLANNED else None
    if meeting.status != MeetingStatus.HELD or meeting.next_meeting_at is None:
        if planned is not None:
            _change(actor, planned, participant, status=MeetingStatus.CANCELLED)
        return
    if planned is not None:
        _change(actor, planned, participant, scheduled_at=meeting.next_meeting_at)
        return
    if participant.status == ParticipantStatus.ENDED:
        return
    following = Meeting(
        id=uuid.uuid4(),
        participant_id=participant.id,
        scheduled_at=meeting.next_meeting_at,
        location=meeting.location,
        status=MeetingStatus.PLANNED,
        created_by_id=actor.user_id,
        updated_by_id=actor.user_id,
        members=list(meeting.members),
    )
    db.session.add(following)
    # Through the relationship, so the new meeting is inserted before this one points at it.
    meeting.next_meeting = following


def _change(actor: Actor, meeting: Meeting, participant: Participant, **values) -> None:
    before = history.snapshot(meeting, FIELDS)
    for field, value in values.items():
        setattr(meeting, field, value)
    after = history.snapshot(meeting, FIELDS)
    if history.record_change(actor, RESOURCE, meeting.id, before, after, participant.id):
        meeting.updated_by_id = actor.user_id
