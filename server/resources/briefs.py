"""Short forms that several resources' responses embed (the participant a row is about, a
meeting in a list), kept here so that no resource imports another one's schemas."""

from marshmallow import fields

from server.resources.fields import Schema, enum
from shared.vocab import MeetingStatus


class ParticipantBrief(Schema):
    id = fields.UUID()
    first_name = fields.String()
    last_name = fields.String()


class GroupBrief(Schema):
    """A group as the day's lists and a participant's history name it (``groups.GroupBrief``)."""

    id = fields.UUID()
    name = fields.String()


class MeetingBrief(Schema):
    """A meeting as lists show it (``meetings.Listed``): never its minutes or decisions."""

    id = fields.UUID(attribute="meeting.id")
    participant = fields.Nested(ParticipantBrief)
    scheduled_at = fields.DateTime(attribute="meeting.scheduled_at")
    location = fields.String(allow_none=True, attribute="meeting.location")
    status = enum(MeetingStatus, attribute="meeting.status")
    next_meeting_at = fields.DateTime(allow_none=True, attribute="meeting.next_meeting_at")
    member_count = fields.Integer()
    open_actions = fields.Integer()
    updated_at = fields.DateTime(attribute="meeting.updated_at")
