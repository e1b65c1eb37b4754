"""Attendance: the day's list, one-tap writes by client id, history and rates."""

from flask.views import MethodView

from server.extensions.smorest import Blueprint, paginated
from server.resources.attendance.schemas import (
    AttendanceDetailOut,
    AttendanceIn,
    AttendanceListedOut,
    AttendanceOut,
    AttendanceQuery,
    DepartmentPeriodQuery,
    LeaveIn,
    LeaveOut,
    PeriodQuery,
    TodayOut,
    TodayQuery,
)
from server.resources.briefs import AttendanceSummaryOut
from server.services import attendance, today
from server.web.security import current_actor

blp = Blueprint("attendance", __name__, url_prefix="/api/v1", description="Attendance")


@blp.route("/attendance/<uuid:attendance_id>")
class AttendanceItem(MethodView):
    @blp.login_required()
    @blp.arguments(AttendanceIn)
    @blp.response(200, AttendanceOut, description="Repeated, corrected or merged")
    @blp.alt_response(201, schema=AttendanceOut, description="Created")
    @blp.alt_response(410, description="A late repeat of a write since undone (DELETE)")
    def put(self, data, attendance_id):
        """Write a participant's attendance for a day, by a client-chosen id (safe to repeat)"""
        result = attendance.write(current_actor(), attendance_id, data)
        return result.record, 201 if result.created else 200

    @blp.login_required()
    @blp.response(200, AttendanceDetailOut)
    def get(self, attendance_id):
        """One record (by its id or any id merged into it) with its corrections"""
        return attendance.get(current_actor(), attendance_id)

    @blp.login_required()
    @blp.response(204)
    def delete(self, attendance_id):
        """Undo a write: withdraw what this client id said; the day is computed again from
        the other ids, and has no record when none is left (safe to repeat)"""
        attendance.withdraw(current_actor(), attendance_id)


@blp.get("/attendance")
@blp.login_required()
@blp.arguments(AttendanceQuery, location="query")
@blp.response(200, AttendanceListedOut(many=True))
@blp.paginate()
def attendance_list(filters, pagination_parameters):
    """Records by department_id with date or with from and to, or by participant_id with
    from and to, each with the participant's name"""
    return paginated(pagination_parameters, attendance.list_named, current_actor(), filters)


@blp.get("/attendance/rates")
@blp.login_required()
@blp.arguments(DepartmentPeriodQuery, location="query")
@blp.response(200, AttendanceSummaryOut(many=True))
def department_rates(query):
    """Attendance rate of every participant in a department over a period"""
    return attendance.department_rates(
        current_actor(), query["department_id"], query["date_from"], query["date_to"]
    )


@blp.get("/participants/<uuid:participant_id>/attendance-summary")
@blp.login_required()
@blp.arguments(PeriodQuery, location="query")
@blp.response(200, AttendanceSummaryOut)
def participant_summary(query, participant_id):
    """Expected days, present days, absences by reason and the attendance rate"""
    return attendance.participant_rates(
        current_actor(), participant_id, query["date_from"], query["date_to"]
    )


@blp.get("/today")
@blp.etag
@blp.login_required()
@blp.arguments(TodayQuery, location="query")
@blp.response(200, TodayOut)
def day_list(query):
    """The day's list: every active participant of the department, by group (the
    caller's own groups first), expected ones first"""
    return today.day_list(
        current_actor(), query["department_id"], query.get("date"), query.get("group_id")
    )


@blp.route("/participants/<uuid:participant_id>/leaves")
class Leaves(MethodView):
    @blp.login_required()
    @blp.response(200, LeaveOut(many=True))
    def get(self, participant_id):
        """Planned leave (permisjon)"""
        return attendance.list_leaves(current_actor(), participant_id)

    @blp.login_required()
    @blp.arguments(LeaveIn)
    @blp.response(201, LeaveOut)
    def post(self, data, participant_id):
        """Register planned leave: not expected those days, no wake-up call"""
        return attendance.add_leave(current_actor(), participant_id, data)


@blp.delete("/participants/<uuid:participant_id>/leaves/<uuid:leave_id>")
@blp.login_required()
@blp.response(204)
def remove_leave(participant_id, leave_id):
    """Remove planned leave"""
    attendance.remove_leave(current_actor(), participant_id, leave_id)
