"""Wake-up calls (vekking): the weekly schedule, the day's calls and their tries.

Callers use the package: ``from server.services import wakeups``."""

from server.services.wakeups.calls import (
    CallState,
    DayCall,
    day_call,
    day_calls,
    get_schedule,
    put_schedule,
    record_attempt,
)

__all__ = [
    "CallState",
    "DayCall",
    "day_call",
    "day_calls",
    "get_schedule",
    "put_schedule",
    "record_attempt",
]
