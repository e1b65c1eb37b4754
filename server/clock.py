"""Time in Spire: timestamps are UTC; "today" is a local date in an organisation's zone."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


def now() -> datetime:
    return datetime.now(UTC)


def local_today(timezone: str) -> date:
    return now().astimezone(ZoneInfo(timezone)).date()


def local_date(moment: datetime, timezone: str) -> date:
    return moment.astimezone(ZoneInfo(timezone)).date()


def day_start(day: date, timezone: str) -> datetime:
    """The moment a local day begins (for periods of local days: [start of first, start of
    the day after the last))."""
    return datetime.combine(day, time(), ZoneInfo(timezone))


def is_timezone(name: str) -> bool:
    if name not in available_timezones():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True
