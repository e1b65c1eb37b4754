"""Anonymous surveys as staff see them: leaders and admins make them, their codes and
slips, and read the results; a facilitator runs an open one on the phone (the kiosk),
which fetches codes and sends the answers in shuffled batches."""

from flask import request
from flask.views import MethodView

from server.extensions.smorest import Blueprint, paginated
from server.reports import survey_results, survey_slips
from server.resources.surveys.schemas import (
    CodesIn,
    CodesOut,
    CodesQuery,
    KioskBatchIn,
    KioskBatchOut,
    ResultsOut,
    ResultsQuery,
    SurveyCopyIn,
    SurveyIn,
    SurveyOut,
    SurveyQuery,
    SurveyUpdate,
    TemplateOut,
)
from server.services import surveys
from server.web import downloads
from server.web.security import current_actor
from shared import i18n
from shared.vocab import ReportFormat, Role

blp = Blueprint("surveys", __name__, url_prefix="/api/v1", description="Anonymous surveys")

MANAGERS = "Only leaders and admins"


@blp.route("/surveys")
class Surveys(MethodView):
    @blp.login_required()
    @blp.arguments(SurveyQuery, location="query")
    @blp.response(200, SurveyOut(many=True))
    @blp.paginate()
    def get(self, query, pagination_parameters):
        """The surveys of the caller's departments and of the whole organisation, newest
        round first"""
        return paginated(pagination_parameters, surveys.list_surveys, current_actor(), query)

    @blp.login_required(Role.ADMIN, Role.LEADER)
    @blp.arguments(SurveyIn)
    @blp.response(201, SurveyOut)
    def post(self, data):
        """Make a survey for a department, or the whole organisation (leaders, admins)"""
        return surveys.shown(surveys.create(current_actor(), data))


@blp.get("/survey-templates/work-training")
@blp.login_required(Role.ADMIN, Role.LEADER)
@blp.response(200, TemplateOut)
def template():
    """The ready survey for work-training satisfaction, in the caller's language, to post
    as it is or changed (with dates)"""
    return surveys.work_training(i18n.texts())


@blp.route("/surveys/<uuid:survey_id>")
class SurveyItem(MethodView):
    @blp.login_required()
    @blp.response(200, SurveyOut)
    def get(self, survey_id):
        """A survey with its questions"""
        return surveys.shown(surveys.get(current_actor(), survey_id))

    @blp.login_required(forbidden=MANAGERS)
    @blp.arguments(SurveyUpdate)
    @blp.response(200, SurveyOut)
    @blp.alt_response(409, description="The questions change after someone has answered")
    def patch(self, data, survey_id):
        """Change a survey (leaders, admins); its questions only while nobody has answered"""
        return surveys.shown(surveys.update(current_actor(), survey_id, data))


@blp.post("/surveys/<uuid:survey_id>/copy")
@blp.login_required(forbidden=MANAGERS)
@blp.arguments(SurveyCopyIn)
@blp.response(201, SurveyOut)
def copy(data, survey_id):
    """The next round of a survey: the same questions, new dates, no codes; its results
    compare with this one's"""
    return surveys.shown(surveys.copy(current_actor(), survey_id, data))


@blp.post("/surveys/<uuid:survey_id>/codes")
@blp.login_required(forbidden="Facilitators only for an open survey (the kiosk)")
@blp.arguments(CodesIn)
@blp.response(201, CodesOut)
@blp.alt_response(410, description="The survey has closed")
def make_codes(data, survey_id):
    """Make single-use codes, shown this once (only their hashes are kept)"""
    survey, codes = surveys.make_codes(current_actor(), survey_id, data["count"])
    return {"codes": codes, "warning": surveys.few_codes_warning(survey, len(codes))}


@blp.get("/surveys/<uuid:survey_id>/codes.pdf")
@blp.login_required(forbidden=MANAGERS)
@blp.arguments(CodesQuery, location="query")
@blp.response(
    200,
    {"type": "string", "format": "binary"},
    content_type="application/pdf",
    description="Slips to print and cut, each with its code and a QR code to the survey page",
)
@blp.alt_response(410, description="The survey has closed")
def slips(query, survey_id):
    """Make ``count`` codes and print them on slips (leaders, admins)"""
    actor = current_actor()
    surveys.managed(actor, survey_id)
    survey, codes = surveys.make_codes(actor, survey_id, query["count"])
    page_url = request.host_url.rstrip("/") + "/s/"
    return downloads.send(survey_slips.render(survey, codes, page_url, i18n.texts()))


@blp.post("/surveys/<uuid:survey_id>/kiosk-responses")
@blp.login_required()
@blp.arguments(KioskBatchIn)
@blp.response(200, KioskBatchOut)
@blp.alt_response(429, description="Too many unknown codes from this address; try again later")
def kiosk_responses(data, survey_id):
    """Answers given on a phone handed over (the kiosk), each with one of its codes, in a
    shuffled batch; for each, the status it would have had alone. Safe to repeat: a code
    recorded before answers 409."""
    statuses = surveys.respond_batch(current_actor(), survey_id, data["responses"])
    return {"results": [{"status": status} for status in statuses]}


@blp.get("/surveys/<uuid:survey_id>/results")
@blp.login_required(forbidden=MANAGERS)
@blp.arguments(ResultsQuery, location="query")
@blp.response(200, ResultsOut)
@blp.doc(
    **downloads.documented(
        ResultsOut,
        ReportFormat.XLSX,
        ReportFormat.PDF,
        description="Per question the count, mean and distribution, free text in random "
        "order, and the previous round's figures; withheld below the threshold",
    )
)
def results(query, survey_id):
    """A survey's results, once at least min_responses have answered"""
    outcome = surveys.results(current_actor(), survey_id)
    format = ReportFormat(query["format"])
    if format == ReportFormat.JSON:
        return outcome
    return downloads.send(survey_results.render(outcome, format, i18n.texts()))
