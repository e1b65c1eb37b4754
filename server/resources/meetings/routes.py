"""Responsibility-group meetings: the group, the meeting (If-Match), action items and the
summary for the members as a PDF."""

from flask.views import MethodView

from server.extensions.smorest import Blueprint, paginated
from server.reports import meeting_summary
from server.resources.briefs import ActionOut, MeetingBrief
from server.resources.meetings.schemas import (
    ActionIn,
    ActionPatch,
    MeetingIn,
    MeetingOut,
    MeetingPatch,
    MemberOut,
)
from server.services import meetings
from server.web import downloads
from server.web.security import current_actor
from server.web.versions import ETAG_HEADER, IF_MATCH, etag_header, expected_versions
from shared import i18n

blp = Blueprint("meetings", __name__, url_prefix="/api/v1", description="Meetings")


def with_etag(result):
    meeting, etag = result
    return meeting, etag_header(etag)


@blp.route("/participants/<uuid:participant_id>/meetings")
class ParticipantMeetings(MethodView):
    @blp.login_required()
    @blp.response(200, MeetingBrief(many=True))
    @blp.paginate()
    def get(self, participant_id, pagination_parameters):
        """A participant's meetings, newest first (never the minutes)"""
        return paginated(
            pagination_parameters, meetings.list_for_participant, current_actor(), participant_id
        )

    @blp.login_required(forbidden="Only leaders and admins plan meetings")
    @blp.arguments(MeetingIn)
    @blp.response(201, MeetingOut, headers=ETAG_HEADER)
    @blp.alt_response(200, schema=MeetingOut, description="The same request again")
    def post(self, data, participant_id):
        """Plan a responsibility-group meeting (leaders); members default to the group"""
        meeting, etag, created = meetings.create(current_actor(), participant_id, data)
        return meeting, 201 if created else 200, etag_header(etag)


@blp.get("/participants/<uuid:participant_id>/group-members")
@blp.login_required()
@blp.response(200, MemberOut(many=True))
def group_members(participant_id):
    """The participant's responsibility group as it stands"""
    return meetings.group(current_actor(), participant_id)


@blp.route("/meetings/<uuid:meeting_id>")
class MeetingItem(MethodView):
    @blp.login_required()
    @blp.response(200, MeetingOut, headers=ETAG_HEADER)
    def get(self, meeting_id):
        """One meeting with members and action items; minutes for the department's staff"""
        return with_etag(meetings.get(current_actor(), meeting_id))

    @blp.login_required(forbidden="Only leaders and admins change meetings")
    @blp.arguments(MeetingPatch)
    @blp.doc(parameters=[IF_MATCH])
    @blp.response(200, MeetingOut, headers=ETAG_HEADER)
    @blp.alt_response(412, description="Changed since it was read: 'current' holds it now")
    @blp.alt_response(428, description="If-Match missing")
    def patch(self, data, meeting_id):
        """Write up or change a meeting (leaders; If-Match required)"""
        try:
            changed = meetings.update(current_actor(), meeting_id, data, expected_versions())
            return with_etag(changed)
        except meetings.Stale as stale:
            stale.details = {"current": MeetingOut().dump(stale.current)}
            raise


@blp.post("/meetings/<uuid:meeting_id>/actions")
@blp.login_required(forbidden="Only leaders and admins add action items")
@blp.arguments(ActionIn)
@blp.response(201, ActionOut)
@blp.alt_response(200, schema=ActionOut, description="The same request again")
def add_action(data, meeting_id):
    """Add an action item: who does what by when (leaders)"""
    action, created = meetings.add_action(current_actor(), meeting_id, data)
    return action, 201 if created else 200


@blp.patch("/meetings/<uuid:meeting_id>/actions/<uuid:action_id>")
@blp.login_required(
    forbidden="Staff of the department tick items off; only leaders and admins change them"
)
@blp.arguments(ActionPatch)
@blp.response(200, ActionOut)
def update_action(data, meeting_id, action_id):
    """Tick an action item off (staff) or change it (leaders)"""
    return meetings.update_action(current_actor(), meeting_id, action_id, data)


@blp.get("/meetings/<uuid:meeting_id>/summary.pdf")
@blp.login_required()
@blp.doc(
    responses={
        "200": {
            "description": "The summary for the members (never the minutes or notes)",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
)
def summary_pdf(meeting_id):
    """The meeting summary to send to the members, as a PDF in the reader's language"""
    meeting, participant = meetings.summary(current_actor(), meeting_id)
    return downloads.send(meeting_summary.summary_file(meeting, participant, i18n.texts()))
