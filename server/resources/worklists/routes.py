"""The work lists of the day: meetings coming up, action items past due, and participants
nobody has followed up lately. All in the caller's departments."""

from server.extensions.smorest import Blueprint, paginated
from server.resources.briefs import MeetingBrief
from server.resources.worklists.schemas import (
    OverdueActionOut,
    QuietParticipantOut,
    QuietQuery,
    UpcomingQuery,
    WorklistQuery,
)
from server.services import followups, meetings
from server.web.security import current_actor

blp = Blueprint("worklists", __name__, url_prefix="/api/v1", description="Work lists")


@blp.get("/worklists/upcoming-meetings")
@blp.login_required()
@blp.arguments(UpcomingQuery, location="query")
@blp.response(200, MeetingBrief(many=True))
@blp.paginate()
def upcoming_meetings(filters, pagination_parameters):
    """Planned responsibility-group meetings from today on, soonest first"""
    return paginated(pagination_parameters, meetings.upcoming, current_actor(), filters)


@blp.get("/worklists/overdue-actions")
@blp.login_required()
@blp.arguments(WorklistQuery, location="query")
@blp.response(200, OverdueActionOut(many=True))
@blp.paginate()
def overdue_actions(filters, pagination_parameters):
    """Open action items past their due date, the oldest first"""
    return paginated(pagination_parameters, meetings.overdue_actions, current_actor(), filters)


@blp.get("/worklists/no-recent-followup")
@blp.login_required()
@blp.arguments(QuietQuery, location="query")
@blp.response(200, QuietParticipantOut(many=True))
@blp.paginate()
def no_recent_followup(filters, pagination_parameters):
    """Participants in the programme with no follow-up logged in the last N days"""
    return paginated(pagination_parameters, followups.without_recent, current_actor(), filters)
