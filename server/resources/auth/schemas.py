from marshmallow import fields, validate

from server.resources.fields import Schema, enum
from shared.vocab import Language, Role


class LoginSchema(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    password = fields.String(
        required=True, load_only=True, validate=validate.Length(min=1, max=256)
    )


class LogoutSchema(Schema):
    refresh_token = fields.String(validate=validate.Length(max=4096))


class MeSchema(Schema):
    id = fields.UUID(dump_only=True)
    username = fields.String(dump_only=True)
    full_name = fields.String(dump_only=True)
    role = enum(Role, dump_only=True)
    department_ids = fields.List(fields.UUID(), dump_only=True)
    language = enum(
        Language,
        dump_only=True,
        metadata={
            "description": "The language the user reads: their own, else the organisation's."
        },
    )


class MeUpdateSchema(Schema):
    language = enum(
        Language,
        allow_none=True,
        metadata={"description": "The language to read Spire in; null: the organisation's."},
    )


class TokensSchema(Schema):
    access_token = fields.String(dump_only=True)
    refresh_token = fields.String(dump_only=True)


class LoginResponseSchema(TokensSchema):
    user = fields.Nested(MeSchema, dump_only=True)
