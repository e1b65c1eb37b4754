"""Reports for NAV and grant givers (leaders and admins): JSON for programs, or a file
to send (CSV, XLSX, PDF) in the reader's language. Each is logged as an export."""

import uuid

from server.extensions.smorest import Blueprint
from server.reports import attendance as attendance_files
from server.reports import meldeperiode as meldeperiode_files
from server.reports import progress as progress_files
from server.reports import statistics as statistics_files
from server.resources.reports.schemas import (
    AttendanceReportOut,
    AttendanceReportQuery,
    MeldeperiodeOut,
    MeldeperiodeQuery,
    ProgressQuery,
    ProgressReportOut,
    StatisticsOut,
    StatisticsQuery,
)
from server.services.reports.attendance import AttendanceReport, attendance_report
from server.services.reports.meldeperiode import meldeperiode
from server.services.reports.progress import progress_report
from server.services.reports.statistics import Statistics, statistics
from server.web import downloads
from server.web.security import current_actor
from shared.vocab import ReportFormat

blp = Blueprint("reports", __name__, url_prefix="/api/v1/reports", description="Reports")


def _producer(format: ReportFormat, render, in_full=lambda report: report):
    """What makes a report's answer: JSON (``in_full(report)``, serialised by the route's
    schema) or the file. The attendance report's service calls it before it commits."""
    if format == ReportFormat.JSON:
        return in_full
    return downloads.producer(render, format)


@blp.get("/attendance")
@blp.login_required(forbidden="Only for leaders and admins")
@blp.arguments(AttendanceReportQuery, location="query")
@blp.response(200, AttendanceReportOut)
@blp.doc(
    **downloads.documented(
        AttendanceReportOut,
        ReportFormat.CSV,
        ReportFormat.XLSX,
        ReportFormat.PDF,
        description="Participants x days with codes, and per participant the expected days, "
        "days present, absences by reason and the attendance rate",
    )
)
def attendance(query):
    """Attendance of a department over a period (at most 366 days)"""
    return attendance_report(
        current_actor(),
        query["department_id"],
        query["date_from"],
        query["date_to"],
        _producer(query["format"], attendance_files.render, AttendanceReport.in_full),
    )


@blp.get("/meldeperiode")
@blp.login_required(forbidden="Only for leaders and admins")
@blp.arguments(MeldeperiodeQuery, location="query")
@blp.response(200, MeldeperiodeOut)
@blp.alt_response(
    409,
    description="The participant has not consented to reports to NAV, or is not in a "
    "Norwegian organisation",
)
@blp.doc(
    **downloads.documented(
        MeldeperiodeOut,
        ReportFormat.CSV,
        ReportFormat.XLSX,
        ReportFormat.PDF,
        description="The 14 days in NAV's meldekort categories with hours, the totals and "
        "the plan's share of a full-time week",
    )
)
def nav_reporting_period(query):
    """A participant's NAV reporting period (meldeperiode): 14 days from a Monday"""
    report = meldeperiode(current_actor(), query["participant_id"], query["period_start"])
    return _producer(query["format"], meldeperiode_files.render)(report)


@blp.get("/participants/<uuid:participant_id>/progress")
@blp.login_required(forbidden="Only for leaders and admins")
@blp.arguments(ProgressQuery, location="query")
@blp.response(200, ProgressReportOut)
@blp.alt_response(
    409,
    description="The participant has not consented to reports to NAV, is not in a "
    "Norwegian organisation, or has not started yet",
)
@blp.doc(
    **downloads.documented(
        ProgressReportOut,
        ReportFormat.PDF,
        description="Plan goals and status, attendance, follow-ups by kind, meetings held "
        "and the outcome",
    )
)
def progress(query, participant_id: uuid.UUID):
    """A participant's progress report, or final report once they have ended"""
    report = progress_report(
        current_actor(), participant_id, query.get("date_from"), query.get("date_to")
    )
    return _producer(query["format"], progress_files.render)(report)


@blp.get("/statistics")
@blp.login_required(forbidden="Only for leaders and admins")
@blp.arguments(StatisticsQuery, location="query")
@blp.response(200, StatisticsOut)
@blp.doc(
    **downloads.documented(
        StatisticsOut,
        ReportFormat.CSV,
        ReportFormat.XLSX,
        ReportFormat.PDF,
        description="Anonymous yearly figures. JSON gives exact counts; the files, for "
        "outsiders, show counts of 1 and 2 as <3 and hide every total that would give "
        "one away",
    )
)
def yearly_statistics(query):
    """Anonymous figures of a year beside the year before (a department, or all the
    caller's)"""
    report = statistics(current_actor(), query["year"], query.get("department_id"))
    return _producer(query["format"], statistics_files.render, Statistics.as_dict)(report)
