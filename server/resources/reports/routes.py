"""Reports for NAV and grant givers (leaders and admins): JSON for programs, or a file
to send (CSV, XLSX, PDF) in the reader's language. Each is logged as an export."""

from server.extensions.smorest import Blueprint
from server.reports import attendance as attendance_files
from server.resources.reports.schemas import AttendanceReportOut, AttendanceReportQuery
from server.services.reports.attendance import AttendanceReport, attendance_report
from server.web import downloads
from server.web.security import current_actor
from shared import i18n
from shared.vocab import ReportFormat

blp = Blueprint("reports", __name__, url_prefix="/api/v1/reports", description="Reports")


def _answer(report, format: ReportFormat, render, in_full=lambda report: report):
    """The report as JSON (``in_full(report)``, serialised by the route's schema), or
    rendered as a file."""
    if format == ReportFormat.JSON:
        return in_full(report)
    return downloads.send(render(report, format, i18n.texts()))


@blp.get("/attendance")
@blp.login_required()
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
    report = attendance_report(
        current_actor(), query["department_id"], query["date_from"], query["date_to"]
    )
    return _answer(report, query["format"], attendance_files.render, AttendanceReport.in_full)
