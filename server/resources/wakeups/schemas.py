from marshmallow import fields, validate

from server.resources.briefs import GroupBrief, ParticipantBrief
from server.resources.fields import (
    Boolean,
    Date,
    Integer,
    Phone,
    Schema,
    Text,
    Timestamp,
    enum,
    hhmm,
)
from shared.vocab import AbsenceReason, WakeupOutcome, WakeupStatus


class ScheduleIn(Schema):
    weekdays = fields.List(
        Integer(validate=validate.Range(min=1, max=7)),
        required=True,
        validate=validate.Length(min=1, max=7),
    )
    time = hhmm(required=True)
    phone = Phone(allow_none=True)
    sms = Boolean(
        load_default=False,
        metadata={"description": "Also send the participant an SMS at the wake-up time"},
    )
    active = Boolean(load_default=True)


class ScheduleOut(ScheduleIn):
    participant_id = fields.UUID()
    updated_at = fields.DateTime()
    updated_by_id = fields.UUID()


class AttemptIn(Schema):
    outcome = enum(WakeupOutcome, required=True)
    at = Timestamp(required=True)
    note = Text(1000, allow_none=True)
    absence_reason = enum(
        AbsenceReason,
        metadata={"description": "Required with answered_not_coming: records the absence"},
    )


class AttemptOut(Schema):
    id = fields.UUID()
    outcome = enum(WakeupOutcome)
    at = fields.DateTime()
    note = fields.String(allow_none=True)
    user_id = fields.UUID()


class CallOut(Schema):
    """A call on the day's list (``wakeups.DayCall``)."""

    id = fields.UUID(attribute="call.id")
    participant = fields.Nested(ParticipantBrief)
    date = Date(attribute="call.date")
    due_at = fields.DateTime(attribute="call.due_at")
    next_due_at = fields.DateTime(
        allow_none=True,
        metadata={"description": "When to call (again); null once done or cancelled"},
    )
    phone = fields.String(allow_none=True, attribute="call.phone")
    status = enum(WakeupStatus)
    outcome = enum(WakeupOutcome, allow_none=True, attribute="call.outcome")
    unanswered = fields.Integer(attribute="call.unanswered")
    home_visit = fields.Boolean(metadata={"description": "Unanswered too often: visit"})
    attempts = fields.List(fields.Nested(AttemptOut))
    group = fields.Nested(GroupBrief, allow_none=True)


class CallQuery(Schema):
    department_id = fields.UUID(required=True)
    date = Date()
    group_id = fields.UUID(metadata={"description": "Only this group of the department"})


class NoticeQuery(Schema):
    department_id = fields.UUID()
    since = Timestamp(metadata={"description": "Only notices sent after this, oldest first"})


class NoticeOut(Schema):
    id = fields.UUID()
    kind = fields.String()
    text = fields.String()
    participant_id = fields.UUID(allow_none=True)
    participant = fields.Nested(
        ParticipantBrief, allow_none=True, metadata={"description": "Whom it is about, if anyone"}
    )
    department_id = fields.UUID(allow_none=True)
    sent_at = fields.DateTime(allow_none=True)
