"""Reports (leaders and admins): one page with a form per report, each a download in one
click made by the same services and renderers as the API's report routes, and the
anonymous tally's figures for a period."""

from datetime import date, timedelta

from flask import Blueprint, request

from server import clock
from server.office.pages import (
    actor,
    chosen_department,
    departments,
    field_errors,
    for_roles,
    page,
    read_form,
    uuid_arg,
)
from server.reports import attendance as attendance_files
from server.reports import meldeperiode as meldeperiode_files
from server.reports import progress as progress_files
from server.reports import statistics as statistics_files
from server.reports.statistics import published_tally
from server.resources.reports.schemas import (
    AttendanceReportQuery,
    MeldeperiodeQuery,
    ProgressQuery,
    StatisticsQuery,
)
from server.resources.tallies.schemas import TallyQuery
from server.services import participants
from server.services.common import scope
from server.services.common.errors import Conflict, Invalid
from server.services.reports.attendance import attendance_report
from server.services.reports.meldeperiode import meldeperiode
from server.services.reports.progress import progress_report
from server.services.reports.statistics import WHO, statistics
from server.services.reports.tallies import tally_figures
from server.services.storage.paging import Window
from server.web import downloads
from shared.i18n import lazy_gettext
from shared.vocab import ReportFormat, Role

bp = Blueprint("reports", __name__, url_prefix="/reports")
REPORTERS = (Role.LEADER, Role.ADMIN)
FILES = (ReportFormat.CSV, ReportFormat.XLSX, ReportFormat.PDF)
# At most this many participants in a report form's list to choose from.
CHOOSABLE = 1000
NOT_A_FILE = lazy_gettext("Choose CSV, Excel or PDF.")
CHOOSE_PARTICIPANT = lazy_gettext("Choose a participant.")


def today() -> date:
    return clock.local_today(scope.organisation(actor()).timezone)


def defaults() -> dict[str, dict[str, str]]:
    """What each report's form holds at first: this month, the reporting period that
    includes today (from last week's Monday), last year."""
    day = today()
    first = day.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    monday = day - timedelta(days=day.weekday() + 7)
    return {
        "attendance": {"from": first.isoformat(), "to": last.isoformat(), "format": "xlsx"},
        "meldeperiode": {"period_start": monday.isoformat(), "format": "pdf"},
        "progress": {"format": "pdf"},
        "statistics": {"year": str(day.year - 1), "format": "pdf"},
    }


def reports_page(kind: str | None = None, errors=None, message=None, status: int = 200):
    """The reports page; after a refused download, with what was asked for kept and the
    errors beside that report's form."""
    visible = departments()
    department = chosen_department(visible)
    choices, _ = (
        participants.list_participants(
            actor(), {"department_id": department.id}, Window(0, CHOOSABLE)
        )
        if department
        else ([], 0)
    )
    values = defaults()
    for name in values:
        values[name]["department_id"] = str(department.id) if department else ""
    values["statistics"]["department_id"] = ""
    if kind is not None:
        values[kind] = {**values[kind], **request.args.to_dict()}
    return page(
        "office/reports/index.html",
        status,
        departments=visible,
        department=department,
        participant_options=[(p.id, f"{p.last_name}, {p.first_name}") for p in choices],
        department_options=[(d.id, d.name) for d in visible],
        values=values,
        formats=[(f.value, f.value.upper() if f != ReportFormat.XLSX else "Excel") for f in FILES],
        failed=kind,
        errors=errors or {},
        message=message,
        this_year=today().year,
    )


@bp.get("/")
@for_roles(*REPORTERS)
def index():
    return reports_page()


def download(kind: str, make):
    """The file ``make()`` answers, or the reports page with why it could not be made."""
    try:
        return make()
    except Invalid as error:
        return reports_page(kind, field_errors(error), status=422)
    except Conflict as error:
        return reports_page(kind, message=error.message, status=409)


def file_format(query: dict) -> ReportFormat:
    if query["format"] not in FILES:
        raise Invalid({"format": [NOT_A_FILE]})
    return query["format"]


@bp.get("/attendance")
@for_roles(*REPORTERS)
def attendance():
    def make():
        query = read_form(AttendanceReportQuery(), form=request.args)
        return attendance_report(
            actor(),
            query["department_id"],
            query["date_from"],
            query["date_to"],
            downloads.producer(attendance_files.render, file_format(query)),
        )

    return download("attendance", make)


@bp.get("/meldeperiode")
@for_roles(*REPORTERS)
def nav_reporting_period():
    def make():
        query = read_form(MeldeperiodeQuery(), form=request.args)
        render = downloads.producer(meldeperiode_files.render, file_format(query))
        return render(meldeperiode(actor(), query["participant_id"], query["period_start"]))

    return download("meldeperiode", make)


@bp.get("/progress")
@for_roles(*REPORTERS)
def progress():
    def make():
        query = read_form(ProgressQuery(), form=request.args)
        participant_id = uuid_arg("participant_id")
        if participant_id is None:
            raise Invalid({"participant_id": [CHOOSE_PARTICIPANT]})
        if query["format"] != ReportFormat.PDF:
            raise Invalid({"format": [NOT_A_FILE]})
        report = progress_report(
            actor(), participant_id, query.get("date_from"), query.get("date_to")
        )
        return downloads.producer(progress_files.render, ReportFormat.PDF)(report)

    return download("progress", make)


@bp.get("/statistics")
@for_roles(*REPORTERS)
def yearly_statistics():
    def make():
        query = read_form(StatisticsQuery(), form=request.args)
        render = downloads.producer(statistics_files.render, file_format(query))
        return render(statistics(actor(), query["year"], query.get("department_id")))

    return download("statistics", make)


# --- The anonymous tally ----------------------------------------------------------------


@bp.get("/tallies")
@for_roles(*REPORTERS)
def tallies():
    visible = departments()
    day = today()
    first_day, last_day = day.replace(day=1), day
    values = {
        "from": first_day.isoformat(),
        "to": last_day.isoformat(),
        "department_id": "",
        **request.args.to_dict(),
    }
    context = {
        "department_options": [(d.id, d.name) for d in visible],
        "values": values,
        "who": WHO,
        "errors": {},
    }
    try:
        query = read_form(TallyQuery(), form=request.args)
        figures = tally_figures(
            actor(),
            query.get("date_from") or first_day,
            query.get("date_to") or last_day,
            query.get("department_id"),
        )
    except Invalid as error:
        return page("office/reports/tallies.html", 422, **context | {"errors": field_errors(error)})
    return page(
        "office/reports/tallies.html",
        figures=figures,
        shown=published_tally(figures.activities, figures.contacts),
        small=statistics_files.SMALL_MARK,
        hidden=statistics_files.HIDDEN_MARK,
        **context,
    )
