from marshmallow import fields

from server.resources.briefs import GroupBrief
from server.resources.fields import Boolean, Schema, Text


class GroupSchema(Schema):
    id = fields.UUID(dump_only=True)
    department_id = fields.UUID(dump_only=True)
    name = Text(80, required=True)
    responsible_user_id = fields.UUID(
        allow_none=True,
        metadata={"description": "An active staff member of the department"},
    )
    active = Boolean(load_default=True)


class GroupUpdateSchema(Schema):
    name = Text(80)
    responsible_user_id = fields.UUID(allow_none=True)
    active = Boolean()


class GroupQuerySchema(Schema):
    active = fields.Boolean()


class MembershipSchema(Schema):
    """A span of the participant in a group (``groups.History``)."""

    group = fields.Nested(GroupBrief)
    joined_at = fields.DateTime()
    left_at = fields.DateTime(allow_none=True, metadata={"description": "Null: still in it"})
