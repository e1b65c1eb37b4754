from marshmallow import fields, validate

from server.resources.briefs import ActionOut, ParticipantBrief
from server.resources.fields import Boolean, Date, Phone, Schema, Text, Timestamp, enum
from shared.vocab import MeetingStatus

MAX_MEMBERS = 30


class MemberIn(Schema):
    id = fields.UUID(metadata={"description": "A member of the group already (to update)"})
    name = Text(120, required=True)
    organisation = Text(120, required=True, metadata={"example": "NAV Songdalen"})
    role = Text(120, allow_none=True, metadata={"example": "Veileder"})
    phone = Phone(allow_none=True)
    email = fields.Email(allow_none=True, validate=validate.Length(max=254))


class MemberOut(Schema):
    id = fields.UUID()
    name = fields.String()
    organisation = fields.String()
    role = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    email = fields.String(allow_none=True)


def members(**kwargs) -> fields.List:
    return fields.List(
        fields.Nested(MemberIn),
        validate=validate.Length(max=MAX_MEMBERS),
        metadata={"description": "The group from now on; left out: the group as it stands"},
        **kwargs,
    )


class MeetingIn(Schema):
    id = fields.UUID(metadata={"description": "Optional client-chosen id (safe to repeat)"})
    scheduled_at = Timestamp(required=True)
    location = Text(200, allow_none=True)
    agenda = Text(4000, allow_none=True)
    members = members()


class MeetingPatch(Schema):
    scheduled_at = Timestamp()
    location = Text(200, allow_none=True)
    agenda = Text(4000, allow_none=True)
    status = enum(MeetingStatus)
    minutes = Text(20000, allow_none=True)
    decisions = Text(8000, allow_none=True)
    next_meeting_at = Timestamp(
        allow_none=True,
        metadata={"description": "On a held meeting, plans the next one with the same group"},
    )
    members = members()


class ActionIn(Schema):
    id = fields.UUID(metadata={"description": "Optional client-chosen id (safe to repeat)"})
    description = Text(1000, required=True)
    responsible = Text(200, required=True)
    due_date = Date(allow_none=True)


class ActionPatch(Schema):
    description = Text(1000)
    responsible = Text(200)
    due_date = Date(allow_none=True)
    done = Boolean()
    recorded_at = Timestamp(
        metadata={
            "description": "When the user ticked the item (done or undone) on the phone; a "
            "tick recorded before the item's last one changes nothing. Defaults to now."
        }
    )


class MeetingOut(Schema):
    """A meeting as the caller may read it (``meetings.Shown``)."""

    id = fields.UUID(attribute="meeting.id")
    participant = fields.Nested(ParticipantBrief)
    scheduled_at = fields.DateTime(attribute="meeting.scheduled_at")
    location = fields.String(allow_none=True, attribute="meeting.location")
    agenda = fields.String(allow_none=True, attribute="meeting.agenda")
    status = enum(MeetingStatus, attribute="meeting.status")
    minutes = fields.String(
        allow_none=True,
        metadata={"description": "Only for the staff of the participant's department"},
    )
    minutes_withheld = fields.Boolean()
    decisions = fields.String(allow_none=True, attribute="meeting.decisions")
    next_meeting_at = fields.DateTime(allow_none=True, attribute="meeting.next_meeting_at")
    next_meeting_id = fields.UUID(allow_none=True, attribute="meeting.next_meeting_id")
    members = fields.List(fields.Nested(MemberOut), attribute="meeting.members")
    actions = fields.List(fields.Nested(ActionOut), attribute="meeting.actions")
    version = fields.Integer(attribute="meeting.version")
    updated_at = fields.DateTime(attribute="meeting.updated_at")
    updated_by_id = fields.UUID(attribute="meeting.updated_by_id")
