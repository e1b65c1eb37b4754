"""Follow-ups: logged by client id, listed without notes, counted by kind."""

from flask.views import MethodView

from server.extensions.smorest import Blueprint, paginated
from server.resources.followups.schemas import (
    CountsOut,
    CountsQuery,
    FollowUpIn,
    FollowUpListed,
    FollowUpOut,
    FollowUpQuery,
)
from server.services import followups
from server.web.security import current_actor

blp = Blueprint("followups", __name__, url_prefix="/api/v1", description="Follow-ups")


@blp.route("/followups/<uuid:followup_id>")
class FollowUpItem(MethodView):
    @blp.login_required(
        forbidden="Only the author or a leader corrects a follow-up; only the department's "
        "staff log one"
    )
    @blp.arguments(FollowUpIn)
    @blp.response(200, FollowUpOut, description="Repeated or corrected")
    @blp.alt_response(201, schema=FollowUpOut, description="Logged")
    def put(self, data, followup_id):
        """Log a follow-up by a client-chosen id (safe to repeat; the same id corrects it)"""
        actor = current_actor()
        followup, created = followups.put(actor, followup_id, data)
        return followups.written(actor, followup), 201 if created else 200

    @blp.login_required()
    @blp.response(200, FollowUpOut)
    def get(self, followup_id):
        """One follow-up, with its note for the staff of the participant's department"""
        return followups.get(current_actor(), followup_id)


@blp.get("/followups")
@blp.login_required()
@blp.arguments(FollowUpQuery, location="query")
@blp.response(200, FollowUpListed(many=True))
@blp.paginate()
def followup_list(filters, pagination_parameters):
    """A participant's or a department's follow-ups, newest first (never the notes)"""
    return paginated(pagination_parameters, followups.list_followups, current_actor(), filters)


@blp.get("/followups/counts")
@blp.login_required()
@blp.arguments(CountsQuery, location="query")
@blp.response(200, CountsOut)
def followup_counts(query):
    """Follow-ups by kind over a period, for a participant or per participant of a department"""
    return followups.counts(current_actor(), query)
