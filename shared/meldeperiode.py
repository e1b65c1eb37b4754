"""NAV's reporting period (meldeperiode): 14 days from a Monday, named by its two ISO
weeks ("uke 47–48"), and what each day is on the meldekort, from what Spire knows of it.

The mapping (a present day is "deltatt" whatever the plan said; every other day that is
not a programme day is "ikke tiltaksdag"):

=========================================  ======================================
Spire                                      NAV's meldekort
=========================================  ======================================
present                                    deltatt
absent: sick                               fravær syk
absent: sick child                         fravær sykt barn
absent: appointment (NAV, doctor ...)      fravær velferd eller jobbintervju
leave (registered or planned)              fravær godkjent av NAV
absent: did not come, other                annet fravær
not a programme day, not present           ikke tiltaksdag
a programme day gone by, nothing recorded  ikke registrert (never guessed)
=========================================  ======================================

A programme day is a day the plan in force schedules, within the participant's time in
the programme, that is not a public holiday: the days Spire expects the participant,
and the days of leave that would otherwise have been such days.
"""

import math
from datetime import date, datetime, timedelta

from shared.vocab import AbsenceReason, NavDayCategory

DAYS = 14
# The Norwegian full-time working week (arbeidsmiljøloven § 10-4), in hours.
FULL_TIME_HOURS = 37.5

ABSENCES: dict[AbsenceReason, NavDayCategory] = {
    AbsenceReason.SICK: NavDayCategory.SICK,
    AbsenceReason.SICK_CHILD: NavDayCategory.SICK_CHILD,
    AbsenceReason.APPOINTMENT: NavDayCategory.WELFARE,
    AbsenceReason.LEAVE: NavDayCategory.APPROVED,
    AbsenceReason.NO_SHOW: NavDayCategory.OTHER_ABSENCE,
    AbsenceReason.OTHER: NavDayCategory.OTHER_ABSENCE,
}


def is_period_start(day: date) -> bool:
    """A reporting period starts on a Monday."""
    return day.isoweekday() == 1


def period_end(first_day: date) -> date:
    """The Sunday that ends the period, thirteen days after its Monday."""
    return first_day + timedelta(days=DAYS - 1)


def period_days(first_day: date) -> list[date]:
    return [first_day + timedelta(days=n) for n in range(DAYS)]


def period_weeks(first_day: date) -> tuple[int, int]:
    """The ISO week numbers of the period's two weeks (52 and 1 across a new year)."""
    return (first_day.isocalendar().week, (first_day + timedelta(days=7)).isocalendar().week)


def category(
    *,
    programme_day: bool,
    present: bool,
    absence_reason: AbsenceReason | str | None,
    on_leave: bool,
    gone_by: bool,
) -> NavDayCategory | None:
    """The day's category on the meldekort. ``programme_day``: the plan schedules the day
    (leave aside); ``on_leave``: planned leave covers it; ``gone_by``: the day is today or
    earlier. None for a programme day still to come with nothing recorded."""
    if present:
        return NavDayCategory.ATTENDED
    if not programme_day:
        return NavDayCategory.NOT_PROGRAMME_DAY
    if on_leave:
        return NavDayCategory.APPROVED
    if absence_reason:
        return ABSENCES[AbsenceReason(absence_reason)]
    if gone_by:
        return NavDayCategory.UNREGISTERED
    return None


def round_to_half_hour(hours: float) -> float:
    """To the nearest half hour, a quarter past rounding up (6 h 15 min is 6.5)."""
    return math.floor(hours * 2 + 0.5) / 2


def hours_between(start: datetime, end: datetime) -> float:
    """The hours from check-in to check-out, to the nearest half hour."""
    return round_to_half_hour(max((end - start).total_seconds(), 0) / 3600)


def share_of_full_time(weekly_hours: float) -> float:
    """The week's hours as a fraction of a full-time week (0.5 for 18.75 hours)."""
    return round(weekly_hours / FULL_TIME_HOURS, 4)
