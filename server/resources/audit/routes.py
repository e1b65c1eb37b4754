"""The access log, per participant (leader, admin) and across the organisation (admin), and
the security event log (admin)."""

from server.extensions.smorest import Blueprint, paginated
from server.resources.audit.schemas import (
    AccessLogEntryOut,
    AuditQuerySchema,
    SecurityEventOut,
    SecurityEventQuerySchema,
)
from server.services.common import access_log, security_events
from server.web.security import current_actor
from shared.vocab import Role

blp = Blueprint("audit", __name__, url_prefix="/api/v1", description="Access log")


@blp.get("/participants/<uuid:participant_id>/access-log")
@blp.login_required(forbidden="Only leaders and admins read the access log")
@blp.response(200, AccessLogEntryOut(many=True))
@blp.paginate()
def participant_log(participant_id, pagination_parameters):
    """Who read or changed this participant's data, newest first (leader, admin)"""
    return paginated(
        pagination_parameters, access_log.for_participant, current_actor(), participant_id
    )


@blp.get("/audit")
@blp.login_required(Role.ADMIN)
@blp.arguments(AuditQuerySchema, location="query")
@blp.response(200, AccessLogEntryOut(many=True))
@blp.paginate()
def audit(filters, pagination_parameters):
    """The organisation's access log by user, participant and local date (admin)"""
    return paginated(pagination_parameters, access_log.search, current_actor(), **filters)


@blp.get("/security-events")
@blp.login_required(Role.ADMIN)
@blp.arguments(SecurityEventQuerySchema, location="query")
@blp.response(200, SecurityEventOut(many=True))
@blp.paginate()
def security_event_log(filters, pagination_parameters):
    """The organisation's security events by type, user and local date, newest first
    (admin)"""
    return paginated(pagination_parameters, security_events.search, current_actor(), **filters)
