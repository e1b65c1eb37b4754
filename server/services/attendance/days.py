"""One participant's attendance day by day over a period (a month in the office): what each
day holds, by the rule of the reports' grid (``stats.Period.entry``), with the figures of
the days that have happened."""

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from server import clock
from server.database import db
from server.models import Participant
from server.services.attendance.stats import Period
from server.services.common import access_log, periods, scope
from server.services.common.actor import Actor
from shared import i18n
from shared.calendar import holiday_name
from shared.vocab import AccessAction


@dataclass(frozen=True)
class GridDay:
    day: date
    # "present", an absence reason, "leave", "unregistered" or None: as the reports show.
    key: str | None
    # The plans then in force schedule the day (not a holiday, not planned leave).
    expected: bool
    on_leave: bool
    # The public holiday's name in the language of the moment, or None.
    holiday: str | None
    future: bool

    @property
    def weekend(self) -> bool:
        return self.day.isoweekday() >= 6


@dataclass(frozen=True)
class ParticipantDays:
    participant: Participant
    first_day: date
    last_day: date
    today: date
    days: list[GridDay]
    # The figures of the period's days up to today (``stats`` summary), as the rates have.
    summary: dict


def participant_days(
    actor: Actor, participant_id: uuid.UUID, first_day: date, last_day: date
) -> ParticipantDays:
    """The participant's days from ``first_day`` to ``last_day`` (a read of their
    attendance, logged)."""
    periods.check(first_day, last_day)
    participant = scope.get_participant(actor, participant_id)
    department = participant.department
    country = department.organisation.country
    today = clock.local_today(department.effective_timezone)
    period = Period([participant], first_day, last_day, country)
    expected, on_leave = period.expected(participant), period.planned_leave(participant)
    language = i18n.language()
    days = []
    day = first_day
    while day <= last_day:
        days.append(
            GridDay(
                day=day,
                key=period.entry(participant, day, today),
                expected=day in expected,
                on_leave=day in on_leave,
                holiday=holiday_name(day, country, language),
                future=day > today,
            )
        )
        day += timedelta(days=1)
    counted_to = min(last_day, today)
    summary = period.summary(
        participant,
        first_day,
        counted_to,
        expected={day for day in expected if day <= counted_to},
    )
    access_log.record(actor, [participant.id], AccessAction.READ, "attendance")
    db.session.commit()
    return ParticipantDays(participant, first_day, last_day, today, days, summary)
