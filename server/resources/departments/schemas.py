from marshmallow import fields

from server.resources.fields import Boolean, Schema, Text, Timezone


class DepartmentSchema(Schema):
    id = fields.UUID(dump_only=True)
    name = Text(120, required=True)
    timezone = Timezone(allow_none=True)
    active = Boolean(load_default=True)


class DepartmentUpdateSchema(Schema):
    name = Text(120)
    timezone = Timezone(allow_none=True)
    active = Boolean()


class DepartmentQuerySchema(Schema):
    active = fields.Boolean()
