"""Short forms that several resources' responses embed (the participant a row is about, a
meeting in a list, and what a participant's page gathers from plans, attendance, follow-ups
and meetings), kept here so that no resource imports another one's schemas."""

from marshmallow import fields

from server.resources.fields import Date, Schema, enum
from shared.vocab import (
    AbsenceReason,
    EnrolmentType,
    FollowUpKind,
    GoalStatus,
    MeetingStatus,
    Participation,
    values,
)


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


class ActionOut(Schema):
    """A meeting's action item."""

    id = fields.UUID()
    meeting_id = fields.UUID()
    description = fields.String()
    responsible = fields.String()
    due_date = Date(allow_none=True)
    done = fields.Boolean()
    done_at = fields.DateTime(allow_none=True)
    done_by_id = fields.UUID(allow_none=True)
    created_by_id = fields.UUID()
    updated_at = fields.DateTime()


class GoalOut(Schema):
    """A goal of a plan version (``PlanGoal``)."""

    id = fields.UUID(attribute="goal_id")
    title = fields.String()
    description = fields.String(allow_none=True)
    status = enum(GoalStatus, attribute="goal.status")
    due_date = Date(allow_none=True)


class Author(Schema):
    id = fields.UUID()
    full_name = fields.String()


class FollowUpBrief(Schema):
    """A follow-up as lists show it (``followups.Listed``): never its note."""

    id = fields.UUID(attribute="followup.id")
    participant_id = fields.UUID(attribute="followup.participant_id")
    kind = enum(FollowUpKind, attribute="followup.kind")
    occurred_at = fields.DateTime(attribute="followup.occurred_at")
    duration_minutes = fields.Integer(allow_none=True, attribute="followup.duration_minutes")
    has_note = fields.Boolean()
    author = fields.Nested(Author)
    updated_at = fields.DateTime(attribute="followup.updated_at")


# Absences by reason: every reason the vocabulary has, each a count.
AbsenceCounts = Schema.from_dict(
    {reason: fields.Integer() for reason in values(AbsenceReason)}, name="AbsenceCounts"
)


class AttendanceFiguresOut(Schema):
    """Attendance over a period (``attendance.stats``: the rates, the reports)."""

    date_from = Date(data_key="from", attribute="from")
    date_to = Date(data_key="to", attribute="to")
    expected_days = fields.Integer()
    present_days = fields.Integer()
    present_on_expected_days = fields.Integer()
    absent = fields.Nested(AbsenceCounts)
    unregistered_expected_days = fields.Integer()
    attendance_rate = fields.Float(
        allow_none=True, metadata={"description": "present on expected days / expected days"}
    )


class AttendanceSummaryOut(AttendanceFiguresOut):
    """A participant's attendance over a period, with the terms of their place."""

    participant_id = fields.UUID()
    participant = fields.Nested(ParticipantBrief)
    enrolment_type = enum(EnrolmentType, allow_none=True)
    participation = enum(Participation, allow_none=True)
    days_per_week = fields.Integer(allow_none=True)
