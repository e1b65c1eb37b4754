from marshmallow import INCLUDE, fields, post_dump, validate

from server.resources.fields import Boolean, Date, Phone, Schema, Text, birth_year, enum
from server.web.messages import Message
from shared.i18n import N_
from shared.vocab import Gender, Outcome, ParticipantStatus


class ParticipantSchema(Schema):
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


class ParticipantUpdateSchema(Schema):
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
    meetings = fields.List(fields.Dict())
    changes = fields.List(fields.Dict())
    access_log = fields.List(fields.Dict())

    @post_dump(pass_original=True)
    def keep_every_section(self, data, original, **kwargs):
        return {**original, **data}
