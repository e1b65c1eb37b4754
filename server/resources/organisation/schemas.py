from marshmallow import fields

from server.resources.fields import Schema, Text, Timezone, enum
from shared.vocab import Country, Language


class OrganisationSchema(Schema):
    id = fields.UUID(dump_only=True)
    name = Text(120, required=True)
    country = enum(
        Country,
        required=True,
        metadata={"description": "Decides the public holidays: expected days, wake-up calls"},
    )
    language = enum(
        Language,
        required=True,
        metadata={"description": "What Spire writes in, unless a user or request asks"},
    )
    timezone = Timezone(required=True)


class OrganisationUpdateSchema(Schema):
    name = Text(120)
    country = enum(Country)
    language = enum(Language)
    timezone = Timezone()
