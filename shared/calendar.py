"""Working days: Norwegian public holidays are no one's expected day."""

from datetime import date
from functools import lru_cache

import holidays


@lru_cache(maxsize=32)
def _public_holidays(year: int) -> frozenset[date]:
    # python-holidays counts every Sunday as a Norwegian holiday unless told not to.
    return frozenset(holidays.Norway(years=year, include_sundays=False))


def is_public_holiday(day: date) -> bool:
    return day in _public_holidays(day.year)


def holiday_name(day: date) -> str | None:
    if not is_public_holiday(day):
        return None
    return holidays.Norway(years=day.year, include_sundays=False, language="no").get(day)
