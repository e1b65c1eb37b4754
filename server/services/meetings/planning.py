"""Planning a meeting (leaders): by a client-chosen id, so the phone may send it again; the
members default to the group as it stands."""

import uuid

from server.database import db
from server.models import Meeting, MeetingMember, Participant
from server.services.common import access_log, scope
from server.services.common.actor import Actor
from server.services.common.errors import Conflict
from server.services.meetings.members import group_of, is_latest, member_keys, members_from
from server.services.meetings.records import RESOURCE, Shown, check_times, etag, scoped, shown
from server.services.storage import retries
from shared.i18n import gettext
from shared.vocab import AccessAction, MeetingStatus, ParticipantStatus


def create(actor: Actor, participant_id: uuid.UUID, data: dict) -> tuple[Shown, str, bool]:
    """POST /participants/{id}/meetings: (meeting, etag, created). A client may choose the
    id: the same request again, even at the same moment, answers with the meeting it made."""
    return retries.with_retries(lambda: _create(actor, participant_id, data))


def _create(actor: Actor, participant_id: uuid.UUID, data: dict):
    participant = scope.get_participant(actor, participant_id, *scope.MANAGERS)
    meeting_id = data.get("id") or uuid.uuid4()
    existing = db.session.get(Meeting, meeting_id)
    if existing is not None:
        return _repeated(actor, participant, existing, data)
    if participant.status == ParticipantStatus.ENDED:
        raise Conflict(gettext("The participant has ended; no new meetings can be planned."))
    if data.get("members") is None:
        members = group_of(participant.id)
    else:
        latest = is_latest(participant.id, data["scheduled_at"], meeting_id)
        members = members_from(participant.id, data["members"], latest)
    meeting = Meeting(
        id=meeting_id,
        participant_id=participant.id,
        scheduled_at=data["scheduled_at"],
        location=data.get("location"),
        agenda=data.get("agenda"),
        status=MeetingStatus.PLANNED,
        created_by_id=actor.user_id,
        updated_by_id=actor.user_id,
    )
    check_times(meeting, participant)
    db.session.add(meeting)
    db.session.flush()
    db.session.add_all(MeetingMember(meeting_id=meeting.id, member_id=m.id) for m in members)
    access_log.record(actor, [participant.id], AccessAction.CREATE, RESOURCE)
    db.session.commit()
    meeting, participant = scoped(actor, meeting.id)
    return shown(meeting, participant, actor), etag(meeting), True


def _repeated(actor: Actor, participant: Participant, existing: Meeting, data: dict):
    if existing.participant_id != participant.id:
        raise Conflict(gettext("This id belongs to another meeting."))
    meeting, participant = scoped(actor, existing.id)
    same = (
        meeting.scheduled_at == data["scheduled_at"]
        and meeting.location == data.get("location")
        and meeting.agenda == data.get("agenda")
        and (
            data.get("members") is None
            or member_keys(meeting.members) == member_keys(data["members"])
        )
    )
    if not same:
        raise Conflict(
            gettext("A meeting with this id exists; change it with PATCH /meetings/{id}.")
        )
    access_log.record(actor, [participant.id], AccessAction.READ, RESOURCE)
    db.session.commit()
    return shown(meeting, participant, actor), etag(meeting), False
