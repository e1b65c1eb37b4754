"""The start page: one department's day at a glance."""

from dataclasses import dataclass

from flask import Blueprint

from server.office.pages import actor as signed_in
from server.office.pages import chosen_department, departments, page
from server.services import followups, meetings
from server.services.storage.paging import Window
from server.services.today import day_list
from shared.vocab import AttendanceStatus, WakeupStatus

bp = Blueprint("start", __name__)
# How many rows each list on the start page shows; the full lists are a click away.
SHOWN = 8


@dataclass(frozen=True)
class Glance:
    """Today's attendance in a department, counted."""

    expected: int
    present: int
    absent: int
    waiting: int
    wakeups_open: int


def glance(today) -> Glance:
    expected = [row for row in today.participants if row.expected and not row.on_leave]
    status = [row.attendance.status if row.attendance else None for row in expected]
    return Glance(
        expected=len(expected),
        present=sum(
            1
            for row in today.participants
            if row.attendance and row.attendance.status == AttendanceStatus.PRESENT
        ),
        absent=status.count(AttendanceStatus.ABSENT),
        waiting=status.count(None),
        wakeups_open=sum(
            1
            for row in today.participants
            if row.wakeup is not None and row.wakeup.status == WakeupStatus.PENDING
        ),
    )


@bp.get("/")
def start():
    actor = signed_in()
    visible = departments()
    department = chosen_department(visible)
    if department is None:
        return page("office/start.html", departments=visible, department=None)
    filters = {"department_id": department.id}
    window = Window(0, SHOWN)
    today = day_list(actor, department.id)
    open_calls = [
        row
        for row in today.participants
        if row.wakeup is not None and row.wakeup.status == WakeupStatus.PENDING
    ]
    return page(
        "office/start.html",
        departments=visible,
        department=department,
        today=today,
        glance=glance(today),
        open_calls=open_calls,
        overdue=meetings.overdue_actions(actor, filters, window=window),
        quiet=followups.without_recent(actor, {**filters, "days": 14}, window=window),
        upcoming=meetings.upcoming(actor, filters, window=window),
    )
