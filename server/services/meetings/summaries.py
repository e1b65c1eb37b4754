"""The meeting's summary for its members: an export, so it is logged as one."""

import uuid

from server.database import db
from server.models import Meeting, Participant
from server.services.common import access_log, security_events
from server.services.common.actor import Actor
from server.services.meetings.records import scoped
from shared.vocab import AccessAction, SecurityEventType


def summary(actor: Actor, meeting_id: uuid.UUID) -> tuple[Meeting, Participant]:
    """The meeting for its summary to the members (logged as an export)."""
    meeting, participant = scoped(actor, meeting_id)
    access_log.record(actor, [participant.id], AccessAction.EXPORT, "meeting_summary")
    security_events.record(
        SecurityEventType.EXPORT,
        actor=actor,
        detail={
            "participant_id": str(participant.id),
            "resource": "meeting_summary",
            "meeting_id": str(meeting.id),
        },
    )
    db.session.commit()
    return meeting, participant
