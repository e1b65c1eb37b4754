"""Time in Spire: timestamps are UTC; "today" is a local date in an organisation's zone."""

import functools
from datetime import UTC, date, datetime, time
from importlib import resources
from zoneinfo import ZoneInfo


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
    return name in timezone_names()


@functools.cache
def timezone_names() -> tuple[str, ...]:
    """The time zones Spire accepts: the IANA names of the tzdata package, the same on
    every machine (the API's document lists them), which zoneinfo falls back on where
    the system lacks one."""
    return tuple(sorted(resources.files("tzdata").joinpath("zones").read_text().split()))
