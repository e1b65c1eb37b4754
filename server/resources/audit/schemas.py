from marshmallow import fields

from server.resources.fields import Date, Schema, enum
from shared.vocab import AccessAction


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


class AuditQuerySchema(Schema):
    user_id = fields.UUID()
    participant_id = fields.UUID()
    date_from = Date(data_key="from")
    date_to = Date(data_key="to")
