"""Participants (deltakere) of the caller's departments."""

from flask.views import MethodView

from server.extensions.smorest import Blueprint, paginated
from server.resources.participants.schemas import (
    EndSchema,
    ExportQuerySchema,
    ExportSchema,
    OverviewOut,
    ParticipantQuerySchema,
    ParticipantSchema,
    ParticipantUpdateSchema,
)
from server.services import participants
from server.web.security import current_actor
from server.web.versions import ETAG_HEADER, IF_MATCH, etag_header, expected_versions

blp = Blueprint("participants", __name__, url_prefix="/api/v1", description="Participants")


def with_etag(participant):
    return participant, etag_header(participants.etag(participant))


@blp.route("/participants")
class Participants(MethodView):
    @blp.login_required()
    @blp.arguments(ParticipantQuerySchema, location="query")
    @blp.response(200, ParticipantSchema(many=True))
    @blp.paginate()
    def get(self, filters, pagination_parameters):
        """Participants of the caller's departments, by department, status or name"""
        return paginated(
            pagination_parameters, participants.list_participants, current_actor(), filters
        )

    @blp.login_required()
    @blp.arguments(ParticipantSchema)
    @blp.response(201, ParticipantSchema, headers=ETAG_HEADER)
    def post(self, data):
        """Register a participant"""
        return with_etag(participants.create_participant(current_actor(), data))


@blp.route("/participants/<uuid:participant_id>")
class ParticipantItem(MethodView):
    @blp.login_required()
    @blp.response(200, ParticipantSchema, headers=ETAG_HEADER)
    def get(self, participant_id):
        """One participant, with the ETag to change them by"""
        return with_etag(participants.get_participant(current_actor(), participant_id))

    @blp.login_required()
    @blp.arguments(ParticipantUpdateSchema)
    @blp.doc(parameters=[IF_MATCH])
    @blp.response(200, ParticipantSchema, headers=ETAG_HEADER)
    @blp.alt_response(412, description="Changed since it was read")
    @blp.alt_response(428, description="If-Match missing")
    def patch(self, data, participant_id):
        """Change a participant (If-Match required)"""
        participant = participants.update_participant(
            current_actor(), participant_id, data, expected_versions()
        )
        return with_etag(participant)


@blp.post("/participants/<uuid:participant_id>/end")
@blp.login_required()
@blp.arguments(EndSchema)
@blp.response(200, ParticipantSchema, headers=ETAG_HEADER)
def end(data, participant_id):
    """End a participant's time in the programme with an outcome"""
    return with_etag(participants.end_participant(current_actor(), participant_id, data))


@blp.get("/participants/<uuid:participant_id>/export")
@blp.login_required(forbidden="Only leaders and admins export")
@blp.arguments(ExportQuerySchema, location="query")
@blp.response(200, ExportSchema)
def export(query, participant_id):
    """Everything stored about the participant, for a request for access (leader, admin),
    with the reason it is made"""
    return participants.export_participant(current_actor(), participant_id, query["reason"])


@blp.get("/participants/<uuid:participant_id>/overview")
@blp.etag
@blp.login_required()
@blp.response(200, OverviewOut)
def overview(participant_id):
    """A participant's page in one request: who they are, the current plan's goals, this
    month's attendance, the latest follow-ups (no notes), the next meeting and the open
    action items"""
    return participants.overview(current_actor(), participant_id)
