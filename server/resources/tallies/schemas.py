from marshmallow import fields, validate

from server.resources.fields import Boolean, Date, Integer, Schema, Text, Timestamp, enum
from shared.vocab import TallyWho


class TallyIn(Schema):
    department_id = fields.UUID(required=True)
    activity_id = fields.UUID(
        data_key="activity", required=True, metadata={"description": "The activity's id"}
    )
    who = enum(TallyWho, required=True)
    count = Integer(validate=validate.Range(min=1, max=500), load_default=1)
    date = Date(required=True, metadata={"description": "The local day; at most a year back"})
    first_contact = Boolean(load_default=False)


class TallyOut(Schema):
    """A tally (``tallies.Shown``) with its activity's name."""

    id = fields.UUID(attribute="tally.id")
    department_id = fields.UUID(attribute="tally.department_id")
    activity_id = fields.UUID(attribute="tally.activity_id", data_key="activity")
    activity_name = fields.String()
    who = enum(TallyWho, attribute="tally.who")
    count = fields.Integer(attribute="tally.count")
    date = Date(attribute="tally.date")
    first_contact = fields.Boolean(attribute="tally.first_contact")
    recorded_by_id = fields.UUID(attribute="tally.recorded_by_id")
    created_at = Timestamp(attribute="tally.created_at")
    updated_at = Timestamp(attribute="tally.updated_at")


class TallyQuery(Schema):
    department_id = fields.UUID()
    activity_id = fields.UUID(data_key="activity")
    date_from = Date(data_key="from")
    date_to = Date(data_key="to")


class ActivityOut(Schema):
    id = fields.UUID()
    name = fields.String()
    active = fields.Boolean()
    position = fields.Integer(metadata={"description": "The order the phone shows them in"})


class ActivityQuery(Schema):
    include_inactive = fields.Boolean(load_default=False)


class ActivityIn(Schema):
    name = Text(80, required=True)
    active = Boolean(load_default=True)


class ActivityUpdate(Schema):
    name = Text(80)
    active = Boolean()
    position = Integer(validate=validate.Range(min=0, max=10_000))
