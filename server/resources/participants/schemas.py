from marshmallow import INCLUDE, fields, post_dump, validate

from server.resources.briefs import (
    ActionOut,
    AttendanceSummaryOut,
    FollowUpBrief,
    GoalOut,
    GroupBrief,
    MeetingBrief,
)
from server.resources.fields import (
    Boolean,
    Date,
    Integer,
    Phone,
    Schema,
    Text,
    birth_year,
    enum,
)
from server.web.messages import Message
from shared.i18n import N_
from shared.vocab import EnrolmentType, Gender, Outcome, ParticipantStatus, Participation


class PlaceFields(Schema):
    """The group and the terms of the place, on every participant body and representation."""

    group_id = fields.UUID(
        allow_none=True,
        metadata={"description": "An active group of the participant's department"},
    )
    enrolment_type = enum(
        EnrolmentType,
        allow_none=True,
        metadata={
            "description": "Required where the country has types (Denmark: dk_103, dk_104); "
            "none in Norway"
        },
    )
    participation = enum(Participation, allow_none=True)
    days_per_week = Integer(
        allow_none=True,
        validate=validate.Range(min=1, max=7),
        metadata={"description": "1 to 7; full-time is at least 5"},
    )


class ParticipantSchema(PlaceFields):
    id = fields.UUID(dump_only=True)
    first_name = Text(80, required=True)
    last_name = Text(80, required=True)
    department_id = fields.UUID(required=True)
    phone = Phone(allow_none=True)
    gender = enum(Gender, required=True)
    birth_year = birth_year(allow_none=True)
    start_date = Date(required=True)
    planned_end_date = Date(allow_none=True)
    nav_office = Text(120, allow_none=True)
    nav_contact = Text(120, allow_none=True)
    consent_nav_reporting = Boolean(required=True)
    status = enum(ParticipantStatus, dump_only=True)
    end_date = Date(dump_only=True, allow_none=True)
    outcome = enum(Outcome, dump_only=True, allow_none=True)
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class ParticipantUpdateSchema(PlaceFields):
    first_name = Text(80)
    last_name = Text(80)
    department_id = fields.UUID()
    phone = Phone(allow_none=True)
    gender = enum(Gender)
    birth_year = birth_year(allow_none=True)
    start_date = Date()
    planned_end_date = Date(allow_none=True)
    nav_office = Text(120, allow_none=True)
    nav_contact = Text(120, allow_none=True)
    consent_nav_reporting = Boolean()
    status = enum(
        ParticipantStatus,
        only=[ParticipantStatus.ACTIVE, ParticipantStatus.PAUSED],
        error_messages={
            "unknown": Message(
                N_(
                    "Must be one of: {choices}. "
                    "End a participant with POST /participants/{{id}}/end."
                )
            )
        },
    )


class ParticipantQuerySchema(Schema):
    department_id = fields.UUID()
    status = enum(ParticipantStatus)
    q = fields.String(validate=validate.Length(min=1, max=80))


class EndSchema(Schema):
    end_date = Date(required=True)
    outcome = enum(Outcome, required=True)


class ExportQuerySchema(Schema):
    # Why the export is made, such as "Innsyn request of 2026-11-02": kept in the access
    # log and the security event log.
    reason = Text(200, required=True)


class ExportSchema(Schema):
    """Whole stored rows per section; the sections grow as Spire stores more, so the
    document allows sections it does not name yet."""

    class Meta:
        unknown = INCLUDE

    generated_at = fields.String()
    participant = fields.Dict()
    plans = fields.List(fields.Dict())
    goals = fields.List(fields.Dict())
    attendance = fields.List(fields.Dict())
    leaves = fields.List(fields.Dict())
    wakeup_schedule = fields.List(fields.Dict())
    wakeup_calls = fields.List(fields.Dict())
    messages = fields.List(fields.Dict())
    followups = fields.List(fields.Dict())
    group_members = fields.List(fields.Dict())
    group_memberships = fields.List(
        fields.Dict(), metadata={"description": "The participant's groups (arbeidsgrupper)"}
    )
    meetings = fields.List(fields.Dict())
    changes = fields.List(fields.Dict())
    access_log = fields.List(fields.Dict())

    @post_dump(pass_original=True)
    def keep_every_section(self, data, original, **kwargs):
        return {**original, **data}


class OverviewParticipant(Schema):
    """Who the page is about (``participants.Overview``: the participant and their group)."""

    id = fields.UUID()
    first_name = fields.String()
    last_name = fields.String()
    department_id = fields.UUID()
    status = enum(ParticipantStatus)
    phone = fields.String(allow_none=True)
    group = fields.Nested(GroupBrief, allow_none=True)

    def get_attribute(self, obj, attr, default):
        return super().get_attribute(obj if attr == "group" else obj.participant, attr, default)


class OverviewOut(Schema):
    """A participant's page (``participants.Overview``)."""

    participant = fields.Nested(OverviewParticipant)
    goals = fields.List(
        fields.Nested(GoalOut), metadata={"description": "The current plan's; none without one"}
    )
    attendance = fields.Nested(
        AttendanceSummaryOut,
        metadata={"description": "This month so far: from its first day to today (local)"},
    )
    followups = fields.List(
        fields.Nested(FollowUpBrief),
        metadata={"description": "The newest ten, never a note (has_note says there is one)"},
    )
    next_meeting = fields.Nested(
        MeetingBrief,
        allow_none=True,
        metadata={"description": "The next planned meeting from now on; null if none"},
    )
    open_actions = fields.List(
        fields.Nested(ActionOut),
        metadata={
            "description": "Open action items of the participant's meetings, the soonest due "
            "first (at most 100)"
        },
    )

    def get_attribute(self, obj, attr, default):
        # The participant's fields and their group come from the page itself.
        return obj if attr == "participant" else super().get_attribute(obj, attr, default)
