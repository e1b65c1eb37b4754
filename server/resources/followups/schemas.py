from marshmallow import fields, validate

from server.resources.briefs import FollowUpBrief, ParticipantBrief
from server.resources.fields import Date, Integer, Schema, Text, Timestamp, enum
from shared.vocab import FollowUpKind


class FollowUpIn(Schema):
    participant_id = fields.UUID(required=True)
    kind = enum(FollowUpKind, required=True)
    occurred_at = Timestamp(required=True)
    duration_minutes = Integer(validate=validate.Range(min=1, max=24 * 60), allow_none=True)
    note = Text(4000, allow_none=True)


class FollowUpListed(FollowUpBrief):
    """A row of GET /followups, which may span a department's participants: with whom
    it is about."""

    participant = fields.Nested(ParticipantBrief)


class FollowUpOut(FollowUpBrief):
    """A follow-up with its note where the caller may read it (``followups.Shown``)."""

    note = fields.String(
        allow_none=True,
        metadata={"description": "Only for the staff of the participant's department"},
    )
    note_withheld = fields.Boolean(
        metadata={"description": "There is a note, and the caller may not read it"}
    )


class FollowUpQuery(Schema):
    participant_id = fields.UUID()
    department_id = fields.UUID()
    kind = enum(FollowUpKind)
    date_from = Date(data_key="from")
    date_to = Date(data_key="to")


class CountsQuery(Schema):
    participant_id = fields.UUID()
    department_id = fields.UUID()
    date_from = Date(data_key="from", required=True)
    date_to = Date(data_key="to", required=True)


class KindCounts(Schema):
    conversation = fields.Integer()
    phone = fields.Integer()
    home_visit = fields.Integer()
    accompaniment = fields.Integer()
    other = fields.Integer()


class ParticipantCounts(Schema):
    participant = fields.Nested(ParticipantBrief)
    by_kind = fields.Nested(KindCounts)
    total = fields.Integer()
    minutes = fields.Integer()


class CountsOut(Schema):
    date_from = Date(data_key="from", attribute="from")
    date_to = Date(data_key="to", attribute="to")
    participant_id = fields.UUID(allow_none=True)
    department_id = fields.UUID(allow_none=True)
    by_kind = fields.Nested(KindCounts)
    total = fields.Integer()
    minutes = fields.Integer(metadata={"description": "Minutes logged in all"})
    participants = fields.List(fields.Nested(ParticipantCounts))
