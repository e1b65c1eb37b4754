"""Periods of local days, as the lists and summaries take them (``from`` and ``to``)."""

from datetime import date, datetime, timedelta

from server import clock
from server.services.common.errors import Invalid
from shared.i18n import gettext

MAX_DAYS = 366


def check(first_day: date, last_day: date) -> None:
    if last_day < first_day:
        raise Invalid({"to": gettext("Must not be before from.")})
    if (last_day - first_day).days >= MAX_DAYS:
        raise Invalid({"to": gettext("A period is at most {n} days.").format(n=MAX_DAYS)})


def bounds(
    first_day: date | None, last_day: date | None, timezone: str
) -> tuple[datetime | None, datetime | None]:
    """UTC bounds [start, end) of the local days from ``first_day`` to ``last_day``, either
    of them open."""
    if first_day and last_day:
        check(first_day, last_day)
    return _utc(first_day, last_day, timezone)


def _utc(first_day, last_day, timezone):
    start = clock.day_start(first_day, timezone) if first_day else None
    end = clock.day_start(last_day + timedelta(days=1), timezone) if last_day else None
    return start, end


def within(column, first_day: date | None, last_day: date | None, timezone: str) -> list:
    """Conditions keeping ``column`` (a timestamp) within the local days from ``first_day``
    to ``last_day``, either of them open; the logs search any span, so it is not checked."""
    start, end = _utc(first_day, last_day, timezone)
    conditions = []
    if start:
        conditions.append(column >= start)
    if end:
        conditions.append(column < end)
    return conditions
