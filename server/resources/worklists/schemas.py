from marshmallow import fields, validate

from server.resources.briefs import ParticipantBrief
from server.resources.fields import Date, Schema


class WorklistQuery(Schema):
    department_id = fields.UUID()


class UpcomingQuery(WorklistQuery):
    days = fields.Integer(
        validate=validate.Range(min=1, max=366),
        metadata={"description": "Only meetings within this many days (default: all)"},
    )


class QuietQuery(WorklistQuery):
    days = fields.Integer(
        validate=validate.Range(min=1, max=366),
        load_default=14,
        metadata={"description": "No follow-up logged in this many days (default 14)"},
    )


class OverdueActionOut(Schema):
    """An action item past due (``meetings.Overdue``)."""

    id = fields.UUID(attribute="action.id")
    meeting_id = fields.UUID(attribute="action.meeting_id")
    meeting_scheduled_at = fields.DateTime()
    participant = fields.Nested(ParticipantBrief)
    description = fields.String(attribute="action.description")
    responsible = fields.String(attribute="action.responsible")
    due_date = Date(attribute="action.due_date")
    days_overdue = fields.Integer()


class QuietParticipantOut(Schema):
    """A participant nobody has followed up lately (``followups.Quiet``)."""

    participant = fields.Nested(ParticipantBrief)
    department_id = fields.UUID(attribute="participant.department_id")
    last_followup_at = fields.DateTime(
        allow_none=True, metadata={"description": "Null: never followed up"}
    )
    days_since = fields.Integer(allow_none=True, metadata={"description": "Null: never"})
