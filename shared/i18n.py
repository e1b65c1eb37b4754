"""Every text a person reads, in their language.

The texts are English in the code and translated through gettext catalogues managed with
Babel (``shared/locale/<language>/LC_MESSAGES/spire.po``): Norwegian bokmål and Danish,
complete in both; English is the source, kept for the API's messages to integrators. The
words follow the country with the language: a Danish text says *borger*, *pædagog* and
*værksted* where the Norwegian one says *deltaker*, *tilrettelegger* and *avdeling*.

Two ways to ask for a text:

- ``texts("da").gettext("...")`` when the language is known (a PDF, an SMS, the app);
- ``gettext("...")`` in the language of the moment, which the server sets for each request
  from ``Accept-Language``, the user and the organisation (``speaking`` sets it elsewhere).

A text defined before anyone reads it (a module constant, a validator's message) is marked
with ``N_`` and translated where it is shown, or made ``lazy_gettext``, translated each time
it is turned into a string.
"""

import gettext as _gettext
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache
from pathlib import Path

from babel import Locale, dates, numbers

DOMAIN = "spire"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
# The languages with a catalogue of their own, complete; English is the texts themselves.
CATALOGUED = ("nb", "da")
LANGUAGES = (*CATALOGUED, "en")
DEFAULT = "nb"
# The region whose conventions (dates, numbers) each language writes by.
_LOCALES = {"nb": "nb_NO", "da": "da_DK", "en": "en_GB"}
# The time of day as each language writes it: Norwegians write "kl. 10.00" (Språkrådet's
# rule), where the locale data says 10:00.
_TIME = {"nb": "HH.mm", "da": "HH.mm", "en": "HH:mm"}
# Language tags that mean one of Spire's languages: a Norwegian asking for nynorsk or for
# "Norwegian" reads bokmål before English.
_ALIASES = {"nb": "nb", "no": "nb", "nn": "nb", "da": "da", "en": "en"}

_current: ContextVar[str] = ContextVar("spire_language", default=DEFAULT)


class CataloguesNotCompiled(RuntimeError):
    """The catalogues are built by the install (``python3 manage.py translations compile``)."""


@cache
def translations(language: str) -> _gettext.NullTranslations:
    if language == "en":
        return _gettext.NullTranslations()
    if language not in CATALOGUED:
        raise ValueError(f"Spire has no catalogue for {language!r}")
    try:
        return _gettext.translation(DOMAIN, LOCALE_DIR, languages=[language])
    except FileNotFoundError:
        raise CataloguesNotCompiled(
            f"No compiled catalogue for {language!r} in {LOCALE_DIR}: "
            "run `python3 manage.py translations compile`."
        ) from None


def best_match(tags: Iterable[str]) -> str | None:
    """The first of Spire's languages among language tags in the caller's order of
    preference (``nb-NO``, ``da``, ``en-GB`` ...); None when none is one of them."""
    for tag in tags:
        primary = tag.strip().lower().replace("_", "-").split("-")[0]
        if primary in _ALIASES:
            return _ALIASES[primary]
    return None


# --- The language of the moment -----------------------------------------------------------


def language() -> str:
    return _current.get()


def set_language(language: str) -> Token:
    """Make ``language`` the language of the moment (until reset with the token)."""
    if language not in LANGUAGES:
        raise ValueError(f"Spire does not speak {language!r}")
    return _current.set(language)


def reset_language(token: Token) -> None:
    """Give back the language of the moment that ``set_language`` replaced."""
    _current.reset(token)


@contextmanager
def speaking(language: str) -> Iterator[None]:
    token = set_language(language)
    try:
        yield
    finally:
        _current.reset(token)


def gettext(message: str) -> str:
    return translations(language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(language()).ngettext(singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 (gettext's name for it)
    """Mark a text for the catalogue where it is defined; it is translated where shown."""
    return message


class LazyText:
    """A text translated each time it is shown, into the language of that moment."""

    __slots__ = ("message",)

    def __init__(self, message: str):
        self.message = message

    def __str__(self) -> str:
        return gettext(self.message)

    def format(self, *args, **kwargs) -> str:
        return str(self).format(*args, **kwargs)

    def __eq__(self, other) -> bool:
        if isinstance(other, LazyText):
            return self.message == other.message
        return str(self) == other

    def __hash__(self) -> int:
        # As the text it equals now: equal to a str, it hashes like that str.
        return hash(str(self))

    def __repr__(self) -> str:
        return f"lazy_gettext({self.message!r})"


def lazy_gettext(message: str) -> LazyText:
    return LazyText(message)


# --- Texts in a known language ------------------------------------------------------------


@dataclass(frozen=True)
class Texts:
    """Spire's texts, dates and numbers in one language."""

    language: str

    @property
    def locale(self) -> Locale:
        return _locale(self.language)

    def gettext(self, message: str) -> str:
        return translations(self.language).gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return translations(self.language).ngettext(singular, plural, n)

    def date(self, day: date, format: str = "long") -> str:
        """``12. mars 2026`` (nb), ``12. marts 2026`` (da)."""
        return dates.format_date(day, format, locale=self.locale)

    def time(self, moment: time | datetime) -> str:
        """The time of day as the language writes it (``10.00``)."""
        return dates.format_time(moment, _TIME[self.language], locale=self.locale)

    def date_and_time(self, moment: datetime) -> str:
        """``torsdag 12. mars 2026 kl. 10.00`` (the moment in its own time zone)."""
        return self.gettext("{date} at {time}").format(
            date=self.date(moment.date(), "full"), time=self.time(moment.time())
        )

    def weekday(self, isoweekday: int) -> str:
        """The day's name, ``mandag`` for 1."""
        return self.locale.days["format"]["wide"][isoweekday - 1]

    def month(self, number: int, width: str = "wide") -> str:
        """The month's name on its own, ``november`` for 11 (``nov.``: "abbreviated")."""
        return self.locale.months["stand-alone"][width][number]

    def number(self, value: float | int, decimals: int | None = None) -> str:
        """``1 234,5``: the grouping and decimal signs of the language."""
        if decimals is None:
            return numbers.format_decimal(value, locale=self.locale)
        pattern = "#,##0." + "0" * decimals if decimals else "#,##0"
        return numbers.format_decimal(value, format=pattern, locale=self.locale)

    def percent(self, fraction: float, decimals: int = 0) -> str:
        """``87 %`` for 0.87."""
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + " %"
        return numbers.format_percent(fraction, format=pattern, locale=self.locale)


@cache
def _locale(language: str) -> Locale:
    return Locale.parse(_LOCALES[language])


def texts(language: str | None = None) -> Texts:
    """The texts in ``language``, or in the language of the moment."""
    chosen = language or _current.get()
    if chosen not in LANGUAGES:
        raise ValueError(f"Spire does not speak {chosen!r}")
    return Texts(chosen)
