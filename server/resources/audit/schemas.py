from marshmallow import fields

from server.resources.fields import Date, Schema, enum
from shared.vocab import AccessAction, SecurityEventType


class LogUserOut(Schema):
    id = fields.UUID()
    full_name = fields.String()
    username = fields.String()


class AccessLogEntryOut(Schema):
    id = fields.UUID()
    at = fields.DateTime()
    user = fields.Nested(LogUserOut)
    participant_id = fields.UUID(allow_none=True)
    participant_name = fields.String(allow_none=True)
    action = enum(AccessAction)
    resource = fields.String()
    # The stated reason, where the action needs one (an export).
    reason = fields.String(allow_none=True)


class AuditQuerySchema(Schema):
    user_id = fields.UUID()
    participant_id = fields.UUID()
    date_from = Date(data_key="from")
    date_to = Date(data_key="to")


class SecurityEventOut(Schema):
    id = fields.UUID()
    at = fields.DateTime()
    type = enum(SecurityEventType)
    # Who acted, or whose login it was.
    user_id = fields.UUID(allow_none=True)
    username = fields.String(allow_none=True)
    # Whose account a change was made to.
    subject_user_id = fields.UUID(allow_none=True)
    subject_username = fields.String(allow_none=True)
    # Cleared once older than SPIRE_SECURITY_ADDRESS_DAYS.
    address = fields.String(allow_none=True)
    detail = fields.Dict()


class SecurityEventQuerySchema(Schema):
    type = enum(SecurityEventType)
    # Events by this user or about their account.
    user_id = fields.UUID()
    date_from = Date(data_key="from")
    date_to = Date(data_key="to")
