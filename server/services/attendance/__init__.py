"""Attendance: the day's record per participant and its writes (records), leaves,
the days a participant is expected (expected) and attendance rates (stats).

Callers use the package: ``from server.services import attendance``."""

from server.services.attendance.days import GridDay, ParticipantDays, participant_days
from server.services.attendance.leaves import add_leave, list_leaves, remove_leave
from server.services.attendance.lists import list_named
from server.services.attendance.records import (
    DayRecord,
    correct_day,
    day_record,
    get,
    list_records,
    withdraw,
    write,
)
from server.services.attendance.stats import department_rates, participant_rates

__all__ = [
    "DayRecord",
    "GridDay",
    "ParticipantDays",
    "add_leave",
    "correct_day",
    "day_record",
    "department_rates",
    "get",
    "list_leaves",
    "list_named",
    "list_records",
    "participant_days",
    "participant_rates",
    "remove_leave",
    "withdraw",
    "write",
]
