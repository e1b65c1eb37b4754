from marshmallow import fields, validate

from server.resources.fields import Boolean, Schema, Text, enum
from server.services.accounts import passwords
from shared.i18n import lazy_gettext
from shared.vocab import Language, Role

# The service checks a new password (server.services.accounts.passwords); the document says so.
PASSWORD_RULES = {
    "minLength": passwords.MIN_LENGTH,
    "maxLength": passwords.MAX_LENGTH,
    "description": "Write-only. Common or easily guessed passwords are refused.",
}
LANGUAGE = {
    "description": "The language the user reads Spire in; null: the organisation's.",
}
USERNAME = validate.Regexp(
    r"^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$",
    error=lazy_gettext(
        "3 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit."
    ),
)


class UserSchema(Schema):
    id = fields.UUID(dump_only=True)
    username = fields.String(required=True, validate=USERNAME)
    full_name = Text(120, required=True)
    role = enum(Role, required=True)
    department_ids = fields.List(fields.UUID(), load_default=list)
    active = Boolean(load_default=True)
    password = fields.String(required=True, load_only=True, metadata=PASSWORD_RULES)
    language = enum(Language, allow_none=True, load_default=None, metadata=LANGUAGE)
    created_at = fields.DateTime(dump_only=True)


class UserUpdateSchema(Schema):
    full_name = Text(120)
    role = enum(Role)
    department_ids = fields.List(fields.UUID())
    active = Boolean()
    password = fields.String(load_only=True, metadata=PASSWORD_RULES)
    language = enum(Language, allow_none=True, metadata=LANGUAGE)


class UserQuerySchema(Schema):
    role = enum(Role)
    active = fields.Boolean()
    department_id = fields.UUID()
