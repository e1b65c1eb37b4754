"""The anonymous activity tally, by client id, and the organisation's activities."""

from flask.views import MethodView

from server.extensions.smorest import Blueprint, paginated
from server.resources.tallies.schemas import (
    ActivityIn,
    ActivityOut,
    ActivityQuery,
    ActivityUpdate,
    TallyIn,
    TallyOut,
    TallyQuery,
)
from server.services import tallies
from server.web.security import current_actor
from shared.vocab import Role

blp = Blueprint("tallies", __name__, url_prefix="/api/v1", description="Anonymous activity tally")


@blp.route("/tallies/<uuid:tally_id>")
class TallyItem(MethodView):
    @blp.login_required(forbidden="Only the author or a leader corrects a tally")
    @blp.arguments(TallyIn)
    @blp.response(200, TallyOut, description="Repeated or corrected")
    @blp.alt_response(201, schema=TallyOut, description="Recorded")
    @blp.alt_response(410, description="A late repeat of a tally since undone (DELETE)")
    def put(self, data, tally_id):
        """Record an anonymous tally by a client-chosen id (safe to repeat; the same id
        corrects it)"""
        tally, created = tallies.put(current_actor(), tally_id, data)
        return tallies.written(tally), 201 if created else 200

    @blp.login_required(forbidden="Only the author or a leader undoes a tally")
    @blp.response(204)
    def delete(self, tally_id):
        """Undo a tally: it no longer counts (safe to repeat)"""
        tallies.withdraw(current_actor(), tally_id)


@blp.get("/tallies")
@blp.login_required()
@blp.arguments(TallyQuery, location="query")
@blp.response(200, TallyOut(many=True))
@blp.paginate()
def tally_list(filters, pagination_parameters):
    """The tallies of a department (else of the caller's departments) in a period, newest
    first, with each activity's name"""
    return paginated(pagination_parameters, tallies.list_tallies, current_actor(), filters)


@blp.route("/tally-activities")
class Activities(MethodView):
    @blp.login_required()
    @blp.arguments(ActivityQuery, location="query")
    @blp.response(200, ActivityOut(many=True))
    def get(self, query):
        """The organisation's activities, in the phone's order (the active ones unless
        include_inactive)"""
        return tallies.list_activities(current_actor(), query["include_inactive"])

    @blp.login_required(Role.ADMIN)
    @blp.arguments(ActivityIn)
    @blp.response(201, ActivityOut)
    def post(self, data):
        """Add an activity (admin); its name unique among the active ones"""
        return tallies.create_activity(current_actor(), data)


@blp.patch("/tally-activities/<uuid:activity_id>")
@blp.login_required(forbidden="Only admins change the activities")
@blp.arguments(ActivityUpdate)
@blp.response(200, ActivityOut)
def update_activity(data, activity_id):
    """Rename, move or (de)activate an activity (admin); activities are never deleted"""
    return tallies.update_activity(current_actor(), activity_id, data)
