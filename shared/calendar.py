"""Working days: a country's public holidays are no one's expected day.

The holidays come from python-holidays, by the organisation's country:

- Norway: the library's public holidays (the helligdager and 1 and 17 May). Sundays are
  not counted as holidays (the library counts every Sunday in Norway unless told not to),
  and Christmas Eve (julaften) is an ordinary day, as the law has it.
- Denmark: the library's public holidays (the helligdage), and two days the library lists
  as "optional" but which the workshops keep closed: Constitution Day (Grundlovsdag,
  5 June) and Christmas Eve (juleaftensdag, 24 December). The library's other optional
  days, 1 May and New Year's Eve, are ordinary days.

A holiday's name is the library's, in Norwegian for Norway and Danish for Denmark, or in
English; asked for in a language the library has no names in for that country, it is the
country's own name (a Norwegian reads "Grundlovsdag" as easily as a Dane "Grunnlovsdag").
"""

from datetime import date
from functools import lru_cache

import holidays

from shared.vocab import Country

# The library's language codes, by Spire's language, for each country's names.
_NAMES = {
    Country.NORWAY: {"nb": "no", "en": "en_US"},
    Country.DENMARK: {"da": "da", "en": "en_US"},
}
_OWN_LANGUAGE = {Country.NORWAY: "no", Country.DENMARK: "da"}
# Days of the library's "optional" category that count as holidays, as (month, day).
_OPTIONAL_KEPT = {Country.DENMARK: frozenset({(6, 5), (12, 24)})}


@lru_cache(maxsize=64)
def _holidays(country: Country, year: int, language: str) -> dict[date, str]:
    """{day: name} of the country's holidays in the year, names in the library's
    ``language``."""
    if country == Country.NORWAY:
        public = holidays.Norway(years=year, include_sundays=False, language=language)
        return dict(public.items())
    if country == Country.DENMARK:
        public = dict(holidays.Denmark(years=year, language=language).items())
        optional = holidays.Denmark(years=year, categories=("optional",), language=language)
        for day, name in optional.items():
            if (day.month, day.day) in _OPTIONAL_KEPT[country]:
                public[day] = f"{public[day]}; {name}" if day in public else name
        return public
    raise ValueError(f"no public holidays known for {country!r}")


def is_public_holiday(day: date, country: Country | str) -> bool:
    country = Country(country)
    return day in _holidays(country, day.year, _OWN_LANGUAGE[country])


def holiday_name(day: date, country: Country | str, language: str = "nb") -> str | None:
    """The holiday's name in ``language`` (nb, da or en), or None on an ordinary day."""
    country = Country(country)
    names = _NAMES[country].get(language, _OWN_LANGUAGE[country])
    return _holidays(country, day.year, names).get(day)
