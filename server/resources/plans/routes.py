"""Individual plans: the current version, older versions, goal progress."""

from flask.views import MethodView

from server.extensions.smorest import Blueprint
from server.resources.plans.schemas import GoalPatchIn, GoalWithHistoryOut, PlanIn, PlanOut
from server.services import participants
from server.web.security import current_actor

blp = Blueprint("plans", __name__, url_prefix="/api/v1", description="Individual plans")


@blp.route("/participants/<uuid:participant_id>/plan")
class CurrentPlan(MethodView):
    @blp.login_required()
    @blp.response(200, PlanOut)
    def get(self, participant_id):
        """The current plan (404 when there is none yet)"""
        return participants.get_current(current_actor(), participant_id)

    @blp.login_required(forbidden="Only leaders and admins write plans")
    @blp.arguments(PlanIn)
    @blp.response(201, PlanOut)
    def put(self, data, participant_id):
        """Make a new plan version (leader, admin); earlier versions stay readable"""
        return participants.put_plan(current_actor(), participant_id, data)


@blp.get("/participants/<uuid:participant_id>/plan/versions")
@blp.login_required()
@blp.response(200, PlanOut(many=True))
def versions(participant_id):
    """Every version of the plan, newest first"""
    return participants.list_versions(current_actor(), participant_id)


@blp.patch("/participants/<uuid:participant_id>/plan/goals/<uuid:goal_id>")
@blp.login_required()
@blp.arguments(GoalPatchIn)
@blp.response(200, GoalWithHistoryOut)
def update_goal(data, participant_id, goal_id):
    """Set a goal's status, with an optional progress note (kept as history)"""
    return participants.update_goal(current_actor(), participant_id, goal_id, data)
