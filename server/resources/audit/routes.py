"""The access log, per participant (leader, admin) and across the organisation (admin)."""

from server.extensions.smorest import Blueprint, page_window
from server.resources.audit.schemas import AccessLogEntryOut, AuditQuerySchema
from server.security import current_actor
from server.services import access_log, organisation
from shared.vocab import Role

blp = Blueprint("audit", __name__, url_prefix="/api/v1", description="Access log")


@blp.get("/participants/<uuid:participant_id>/access-log")
@blp.login_required()
@blp.response(200, AccessLogEntryOut(many=True))
@blp.paginate()
def participant_log(participant_id, pagination_parameters):
    """Who read or changed this participant's data, newest first (leader, admin)"""
    items, total = access_log.for_participant(
        current_actor(), participant_id, *page_window(pagination_parameters)
    )
    pagination_parameters.item_count = total
    return items


@blp.get("/audit")
@blp.login_required(Role.ADMIN)
@blp.arguments(AuditQuerySchema, location="query")
@blp.response(200, AccessLogEntryOut(many=True))
@blp.paginate()
def audit(filters, pagination_parameters):
    """The organisation's access log by user, participant and local date (admin)"""
    actor = current_actor()
    items, total = access_log.search(
        actor,
        user_id=filters.get("user_id"),
        participant_id=filters.get("participant_id"),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
        timezone=organisation.organisation(actor).timezone,
        offset=page_window(pagination_parameters)[0],
        limit=page_window(pagination_parameters)[1],
    )
    pagination_parameters.item_count = total
    return items
