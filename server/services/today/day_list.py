"""The day's list for a department (GET /today): every active participant in the programme
that day, expected ones first, with the day's attendance, and the public holiday (of the
organisation's country) the day is, if any. A fixed number of queries, however many
participants."""

import uuid
from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import and_, or_, select

from server import clock
from server.database import db
from server.models import Attendance, Participant
from server.services import groups
from server.services.attendance.expected import Calendar, in_programme_on
from server.services.common import access_log, scope
from server.services.common.actor import Actor
from server.services.common.errors import Invalid
from server.services.wakeups import calls as wakeups
from shared import i18n
from shared.calendar import holiday_name
from shared.i18n import gettext
from shared.vocab import AccessAction, ParticipantStatus


@dataclass(frozen=True)
class DayRow:
    """One participant's line in the day's list."""

    participant: Participant
    expected: bool
    expected_start: time | None
    on_leave: bool
    attendance: Attendance | None
    wakeup: wakeups.CallState | None
    group: groups.GroupBrief | None = None


@dataclass(frozen=True)
class DayList:
    date: date
    department_id: uuid.UUID
    participants: list[DayRow]
    # The public holiday's name in the language of the moment, or None on a working day.
    holiday: str | None = None


def day_list(
    actor: Actor,
    department_id: uuid.UUID,
    day: date | None = None,
    group_id: uuid.UUID | None = None,
) -> DayList:
    """The day's rows: by group (the caller's own groups first, then the others by name,
    then those in none), expected ones first inside each."""
    department = scope.get_department(actor, department_id)
    if group_id is not None:
        groups.group_of_department(department, group_id)
    today = clock.local_today(department.effective_timezone)
    day = day or today
    if day > today:
        raise Invalid({"date": gettext("Must not be in the future.")})
    records = {
        record.participant_id: record
        for record in db.session.scalars(
            select(Attendance).where(
                Attendance.department_id == department.id, Attendance.date == day
            )
        )
    }
    stmt = select(Participant).where(
        Participant.organisation_id == actor.organisation_id,
        Participant.department_id == department.id,
        or_(
            and_(Participant.status == ParticipantStatus.ACTIVE, in_programme_on(day)),
            Participant.id.in_(list(records)),
        ),
    )
    found = db.session.execute(groups.with_groups(stmt, group_id)).all()
    participants = [row.Participant for row in found]
    by_participant = {row.Participant.id: row for row in found}
    ids = [participant.id for participant in participants]
    # The department's organisation comes joined with it: no query for the country.
    country = department.organisation.country
    calendar = Calendar(ids, day, day, country)
    calls = wakeups.calls_by_participant(department, day)

    rows = []
    for participant in participants:
        record = records.get(participant.id)
        start = calendar.expected_start(participant, day, record)
        rows.append(
            DayRow(
                participant=participant,
                expected=start is not None,
                expected_start=start,
                on_leave=calendar.on_leave(participant.id, day, record),
                attendance=record,
                wakeup=calls.get(participant.id),
                group=groups.brief_of(by_participant[participant.id]),
            )
        )
    rows.sort(
        key=lambda row: (
            not row.expected,
            row.expected_start or "",
            row.participant.last_name.casefold(),
            row.participant.first_name.casefold(),
        )
    )
    # Sorting is stable: the order above holds inside each group.
    rows.sort(key=lambda row: groups.own_first(actor.user_id, by_participant[row.participant.id]))
    access_log.record(actor, ids, AccessAction.LIST, "today")
    db.session.commit()
    return DayList(
        date=day,
        department_id=department.id,
        participants=rows,
        holiday=holiday_name(day, country, i18n.language()),
    )
