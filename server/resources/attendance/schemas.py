from marshmallow import fields

from server.resources.briefs import GroupBrief, ParticipantBrief
from server.resources.fields import Date, Schema, Text, Timestamp, enum, hhmm
from shared.vocab import (
    AbsenceReason,
    AttendanceStatus,
    WakeupOutcome,
    WakeupStatus,
)


class AttendanceIn(Schema):
    participant_id = fields.UUID(required=True)
    date = Date(required=True)
    status = enum(AttendanceStatus, required=True)
    absence_reason = enum(AbsenceReason, allow_none=True)
    check_in_at = Timestamp(allow_none=True)
    check_out_at = Timestamp(allow_none=True)
    note = Text(2000, allow_none=True)
    recorded_at = Timestamp(
        metadata={
            "description": "When the user made this change on the phone; the newest "
            "status wins when two phones wrote the same day. Defaults to now."
        }
    )


class AttendanceOut(Schema):
    id = fields.UUID()
    participant_id = fields.UUID()
    department_id = fields.UUID()
    date = Date()
    status = enum(AttendanceStatus)
    absence_reason = enum(AbsenceReason, allow_none=True)
    check_in_at = fields.DateTime(allow_none=True)
    check_out_at = fields.DateTime(allow_none=True)
    status_recorded_at = fields.DateTime(
        metadata={
            "description": "When the status was recorded (the recorded_at of the write it "
            "comes from): a write recorded earlier does not change it"
        }
    )
    note = fields.String(allow_none=True)
    created_by_id = fields.UUID()
    updated_by_id = fields.UUID()
    updated_at = fields.DateTime()
    version = fields.Integer()


class ChangeOut(Schema):
    at = fields.DateTime()
    user_id = fields.UUID()
    changes = fields.Dict(
        metadata={"description": "{field: [before, after]} for each field that changed"}
    )


class AttendanceDetailOut(AttendanceOut):
    """The service's ``Detail``: the record's own fields, and its history."""

    history = fields.List(fields.Nested(ChangeOut))

    def get_attribute(self, obj, attr, default):
        return super().get_attribute(obj if attr == "history" else obj.record, attr, default)


class AttendanceListedOut(AttendanceOut):
    """A record in a list (``attendance.Listed``): its own fields and whom it is about."""

    participant = fields.Nested(ParticipantBrief)

    def get_attribute(self, obj, attr, default):
        return super().get_attribute(obj if attr == "participant" else obj.record, attr, default)


class AttendanceQuery(Schema):
    department_id = fields.UUID()
    date = Date()
    participant_id = fields.UUID()
    date_from = Date(data_key="from")
    date_to = Date(data_key="to")


class PeriodQuery(Schema):
    date_from = Date(data_key="from", required=True)
    date_to = Date(data_key="to", required=True)


class DepartmentPeriodQuery(PeriodQuery):
    department_id = fields.UUID(required=True)


class TodayQuery(Schema):
    department_id = fields.UUID(required=True)
    date = Date(metadata={"description": "Another past day; today by default"})
    group_id = fields.UUID(metadata={"description": "Only this group of the department"})


class WakeupBrief(Schema):
    """The participant's wake-up call of the day (``wakeups.CallState``)."""

    id = fields.UUID(attribute="call.id")
    status = enum(WakeupStatus)
    next_due_at = fields.DateTime(allow_none=True)
    outcome = enum(WakeupOutcome, allow_none=True, attribute="call.outcome")
    home_visit = fields.Boolean()


class TodayRow(Schema):
    participant = fields.Nested(ParticipantBrief)
    expected = fields.Boolean()
    expected_start = hhmm(allow_none=True)
    on_leave = fields.Boolean()
    attendance = fields.Nested(AttendanceOut, allow_none=True)
    wakeup = fields.Nested(WakeupBrief, allow_none=True)
    group = fields.Nested(GroupBrief, allow_none=True)


class TodayOut(Schema):
    date = Date()
    department_id = fields.UUID()
    holiday = fields.String(
        allow_none=True,
        metadata={
            "description": "The public holiday of the organisation's country the day is, "
            "named in the answer's language (no one is expected); null on other days",
            "example": "Grunnlovsdag",
        },
    )
    participants = fields.List(fields.Nested(TodayRow))


class LeaveIn(Schema):
    first_day = Date(required=True)
    last_day = Date(required=True)
    note = Text(500, allow_none=True)


class LeaveOut(LeaveIn):
    id = fields.UUID()
    created_by_id = fields.UUID()
    created_at = fields.DateTime()
