"""Wake-up calls: schedules, the morning list, attempts, and the staff's notices."""

from flask.views import MethodView

from server.extensions.smorest import Blueprint
from server.resources.wakeups.schemas import (
    AttemptIn,
    CallOut,
    CallQuery,
    NoticeOut,
    NoticeQuery,
    ScheduleIn,
    ScheduleOut,
)
from server.services import jobs, wakeups
from server.web.security import current_actor

blp = Blueprint("wakeups", __name__, url_prefix="/api/v1", description="Wake-up calls")


@blp.route("/participants/<uuid:participant_id>/wakeup-schedule")
class Schedule(MethodView):
    @blp.login_required()
    @blp.response(200, ScheduleOut)
    def get(self, participant_id):
        """The participant's wake-up schedule"""
        return wakeups.get_schedule(current_actor(), participant_id)

    @blp.login_required()
    @blp.arguments(ScheduleIn)
    @blp.response(200, ScheduleOut)
    @blp.alt_response(201, schema=ScheduleOut, description="Created")
    def put(self, data, participant_id):
        """Set the weekdays, time and number for the wake-up call, or pause it"""
        schedule, created = wakeups.put_schedule(current_actor(), participant_id, data)
        return schedule, 201 if created else 200


@blp.get("/wakeups")
@blp.etag
@blp.login_required()
@blp.arguments(CallQuery, location="query")
@blp.response(200, CallOut(many=True))
def day_calls(query):
    """The day's calls for a department, by group (the caller's own groups first), due
    first, with every attempt so far"""
    return wakeups.day_calls(
        current_actor(), query["department_id"], query.get("date"), query.get("group_id")
    )


@blp.put("/wakeups/<uuid:wakeup_id>/attempts/<uuid:attempt_id>")
@blp.login_required()
@blp.arguments(AttemptIn)
@blp.response(200, CallOut, description="Repeated or corrected; the call as it is now")
@blp.alt_response(201, schema=CallOut, description="Recorded")
def attempt(data, wakeup_id, attempt_id):
    """Log a try at the call by a client-chosen id (safe to repeat)"""
    call, _, created = wakeups.record_attempt(current_actor(), wakeup_id, attempt_id, data)
    return wakeups.day_call(call), 201 if created else 200


@blp.get("/notifications")
@blp.etag
@blp.login_required()
@blp.arguments(NoticeQuery, location="query")
@blp.response(200, NoticeOut(many=True))
def notifications(query):
    """Notices for the staff's phones (calls due, home visits): at most 100, newest first;
    with ``since``, those sent after it, oldest first (page on by the last ``sent_at``)"""
    department_ids = [query["department_id"]] if query.get("department_id") else None
    return jobs.staff_notices(current_actor(), department_ids, query.get("since"))
