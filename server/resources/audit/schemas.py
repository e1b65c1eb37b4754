from marshmallow import fields

from server.resources.fields import Date, Schema, enum
from shared.vocab import AccessAction, SecurityEventType


class LogUserOut(Schema):
    id = fields.UUID()
    full_name = fields.String()
    username = fields.String()


class AccessLogEntryOut(Schema):
    id = fields.UUID(attribute="entry.id")
    at = fields.DateTime(attribute="entry.at")
    user = fields.Nested(LogUserOut)
    participant_id = fields.UUID(allow_none=True, attribute="entry.participant_id")
    participant_name = fields.String(allow_none=True)
    action = enum(AccessAction, attribute="entry.action")
    resource = fields.String(attribute="entry.resource")
    # The stated reason, where the action needs one (an export).
    reason = fields.String(allow_none=True, attribute="entry.reason")


class AuditQuerySchema(Schema):
    user_id = fields.UUID()
    participant_id = fields.UUID()
    action = enum(AccessAction)
    date_from = Date(data_key="from")
    date_to = Date(data_key="to")


class SecurityEventOut(Schema):
    id = fields.UUID(attribute="event.id")
    at = fields.DateTime(attribute="event.at")
    type = enum(SecurityEventType, attribute="event.type")
    # Who acted, or whose login it was.
    user_id = fields.UUID(allow_none=True, attribute="event.user_id")
    username = fields.String(allow_none=True)
    # Whose account a change was made to.
    subject_user_id = fields.UUID(allow_none=True, attribute="event.subject_user_id")
    subject_username = fields.String(allow_none=True)
    # Cleared once older than SPIRE_SECURITY_ADDRESS_DAYS.
    address = fields.String(allow_none=True, attribute="event.address")
    detail = fields.Dict(attribute="event.detail")


class SecurityEventQuerySchema(Schema):
    type = enum(SecurityEventType)
    # Events by this user or about their account.
    user_id = fields.UUID()
    date_from = Date(data_key="from")
    date_to = Date(data_key="to")
