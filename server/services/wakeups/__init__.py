"""Wake-up calls (vekking): the weekly schedule, the day's calls and their tries.

Callers use the package: ``from server.services import wakeups``."""

from server.services.wakeups.calls import (
    CallState,
    DayCall,
    absence_write_id,
    day_call,
    day_calls,
    get_schedule,
    max_unanswered,
    put_schedule,
    recompute,
    record_attempt,
)

__all__ = [
    "CallState",
    "DayCall",
    "absence_write_id",
    "day_call",
    "day_calls",
    "get_schedule",
    "max_unanswered",
    "put_schedule",
    "recompute",
    "record_attempt",
]
