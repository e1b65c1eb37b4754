"""One meeting as stored and as shown: finding it in the actor's scope, its version (ETag),
the minutes only for those who may read them, and the rules every write of it shares."""

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import flag_modified

from server import clock
from server.database import db
from server.models import Meeting, Participant
from server.services.common import access_log, history, scope, versions
from server.services.common.actor import Actor
from server.services.common.errors import Invalid, NotFound, PreconditionFailed
from server.services.meetings.members import member_names
from server.services.storage import retries
from shared.i18n import gettext
from shared.vocab import AccessAction, MeetingStatus

RESOURCE = "meeting"
FIELDS = (
    "scheduled_at",
    "location",
    "agenda",
    "status",
    "minutes",
    "decisions",
    "next_meeting_at",
)


@dataclass(frozen=True)
class Shown:
    """A meeting with its participant, as the actor may read it: ``minutes`` is None and
    ``minutes_withheld`` true where there are minutes the actor may not read."""

    meeting: Meeting
    participant: Participant
    minutes: str | None
    minutes_withheld: bool


class Stale(PreconditionFailed):
    """412 for a meeting changed since it was read; ``current`` is the meeting as it is."""

    def __init__(self, current: Shown, etag: str):
        super().__init__(
            gettext(
                "The meeting was changed since you read it. Merge your changes into the "
                "current version (in 'current') and send them with its ETag."
            ),
            current_etag=etag,
        )
        self.current = current


def etag(meeting: Meeting) -> str:
    """The meeting's version rises with every change to it or its action items (``touch``),
    so the ETag covers everything the meeting shows."""
    return versions.etag_of(RESOURCE, meeting.id, meeting.version)


def touch(meeting: Meeting) -> None:
    """An action item of the meeting changed: the meeting's version (and ETag) rises."""
    meeting.updated_at = clock.now()
    flag_modified(meeting, "updated_at")  # written even when the clock has not moved


def scoped(actor: Actor, meeting_id: uuid.UUID, *, lock: bool = False):
    """(meeting, participant) if the actor sees the participant; else 404."""
    stmt = (
        scope.of_visible_participants(actor, select(Meeting, Participant), Meeting.participant_id)
        .where(Meeting.id == meeting_id)
        .options(selectinload(Meeting.members), selectinload(Meeting.actions))
        .execution_options(populate_existing=True)
    )
    if lock:
        stmt = stmt.with_for_update(of=Meeting)
    row = db.session.execute(stmt).first()
    if row is None:
        raise NotFound(gettext("Meeting not found."))
    return row.Meeting, row.Participant


def shown(meeting: Meeting, participant: Participant, actor: Actor) -> Shown:
    minutes, withheld = scope.sensitive_text(actor, participant.department_id, meeting.minutes)
    return Shown(meeting, participant, minutes, withheld)


def get(actor: Actor, meeting_id: uuid.UUID) -> tuple[Shown, str]:
    meeting, participant = scoped(actor, meeting_id)
    access_log.record(actor, [participant.id], AccessAction.READ, RESOURCE)
    db.session.commit()
    return shown(meeting, participant, actor), etag(meeting)


def check_times(meeting: Meeting, participant: Participant) -> None:
    if meeting.next_meeting_at and meeting.next_meeting_at <= meeting.scheduled_at:
        raise Invalid({"next_meeting_at": gettext("Must be after the meeting.")})
    if meeting.status == MeetingStatus.HELD and meeting.scheduled_at > (
        clock.now() + retries.CLOCK_SKEW
    ):
        raise Invalid({"status": gettext("A meeting in the future cannot have been held.")})
    start = clock.local_date(meeting.scheduled_at, participant.department.effective_timezone)
    if start < participant.start_date:
        raise Invalid({"scheduled_at": gettext("Before the participant started in the programme.")})


def snapshot(meeting: Meeting) -> dict:
    """The meeting as its history records it: the fields and who was a member."""
    return {**history.snapshot(meeting, FIELDS), "members": member_names(meeting.members)}
