"""Attendance rates: present days over expected days, and absences by reason."""

import uuid
from collections import Counter
from datetime import date

from sqlalchemy import Row, select

from server.database import db
from server.models import Attendance, Participant
from server.services.attendance.expected import Calendar
from server.services.common import access_log, periods, scope
from server.services.common.actor import Actor
from shared.labels import UNREGISTERED
from shared.vocab import AbsenceReason, AccessAction, AttendanceStatus, Country, values


class Period:
    """The records, plans and leave of a set of participants over a period, loaded in a
    fixed number of queries (three and the calendar's), for summaries and day grids."""

    def __init__(
        self, participants: list[Participant], first_day: date, last_day: date, country: Country
    ):
        self.first_day, self.last_day = first_day, last_day
        ids = [participant.id for participant in participants]
        self.calendar = Calendar(ids, first_day, last_day, country)
        # Plain rows of what the figures need, not ORM objects: a department's year is
        # tens of thousands of records.
        self.records: dict[uuid.UUID, dict[date, Row]] = {pid: {} for pid in ids}
        # Each participant's (expected days, days of planned leave), once worked out.
        self._split: dict[uuid.UUID, tuple[set[date], set[date]]] = {}
        if ids:
            for record in db.session.execute(
                select(
                    Attendance.participant_id,
                    Attendance.date,
                    Attendance.status,
                    Attendance.absence_reason,
                ).where(
                    Attendance.participant_id.in_(ids),
                    Attendance.date >= first_day,
                    Attendance.date <= last_day,
                )
            ):
                self.records[record.participant_id][record.date] = record

    def expected(self, participant: Participant) -> set[date]:
        """The days the participant was expected: by the plans then in force, not on a
        public holiday, not on planned leave nor on a day recorded as leave."""
        return self._days(participant)[0]

    def planned_leave(self, participant: Participant) -> set[date]:
        """The days the participant would have been expected but for planned leave, with
        nothing recorded: days of leave (permisjon), as a recorded leave is."""
        return self._days(participant)[1]

    def _days(self, participant: Participant) -> tuple[set[date], set[date]]:
        if participant.id not in self._split:
            records = self.records[participant.id]
            expected, on_leave = set(), set()
            calendar = self.calendar
            for day in calendar.programme_days(participant, self.first_day, self.last_day):
                (on_leave if calendar.on_leave(participant.id, day) else expected).add(day)
            recorded_leave = {
                day for day, r in records.items() if r.absence_reason == AbsenceReason.LEAVE
            }
            self._split[participant.id] = (expected - recorded_leave, on_leave - set(records))
        return self._split[participant.id]

    def entry(self, participant: Participant, day: date, counted_to: date) -> str | None:
        """What an attendance grid shows for the day: "present", the absence reason,
        "leave" for a day of planned leave, "unregistered" for an expected day with
        nothing recorded, or None (nothing to show). Days after ``counted_to`` (today)
        have not happened: only what is recorded for them shows."""
        record = self.records[participant.id].get(day)
        if record is not None:
            key = "present" if record.status == AttendanceStatus.PRESENT else record.absence_reason
            return str(key) if key else None
        if day <= counted_to and day in self.planned_leave(participant):
            return str(AbsenceReason.LEAVE)
        if day <= counted_to and day in self.expected(participant):
            return UNREGISTERED
        return None

    def summary(
        self,
        participant: Participant,
        first_day: date | None = None,
        last_day: date | None = None,
        expected: set[date] | None = None,
    ) -> dict:
        """The participant's summary over the period, or over a part of it (a month of
        a report); ``expected`` saves working the expected days out again."""
        first_day, last_day = first_day or self.first_day, last_day or self.last_day
        if expected is None:
            expected = self.expected(participant)

        def within(days):
            return {day for day in days if first_day <= day <= last_day}

        records = self.records[participant.id]
        return _summary(
            participant,
            {day: r for day, r in records.items() if first_day <= day <= last_day},
            within(expected),
            within(self.planned_leave(participant)),
            first_day,
            last_day,
        )


def summarise(
    participants: list[Participant], first_day: date, last_day: date, country: Country
) -> dict:
    """{participant_id: summary} for the period, the public holidays being ``country``'s;
    three queries and the calendar's, whatever the number."""
    period = Period(participants, first_day, last_day, country)
    return {participant.id: period.summary(participant) for participant in participants}


def _summary(participant, records, expected, planned_leave, first_day, last_day) -> dict:
    present = {day for day, r in records.items() if r.status == AttendanceStatus.PRESENT}
    absences = Counter(
        r.absence_reason for r in records.values() if r.status == AttendanceStatus.ABSENT
    )
    absences[AbsenceReason.LEAVE] += len(planned_leave)
    return {
        "participant_id": participant.id,
        "participant": participant,
        "from": first_day,
        "to": last_day,
        "expected_days": len(expected),
        "present_days": len(present),
        "present_on_expected_days": len(present & expected),
        "absent": {reason: absences.get(reason, 0) for reason in values(AbsenceReason)},
        "unregistered_expected_days": len(expected - set(records)),
        "attendance_rate": round(len(present & expected) / len(expected), 4) if expected else None,
        # The terms of the place the rate is read against (a part-time place, § 104 ...).
        "enrolment_type": participant.enrolment_type,
        "participation": participant.participation,
        "days_per_week": participant.days_per_week,
    }


def participant_rates(actor: Actor, participant_id: uuid.UUID, first_day: date, last_day: date):
    periods.check(first_day, last_day)
    participant = scope.get_participant(actor, participant_id)
    country = participant.department.organisation.country
    summary = summarise([participant], first_day, last_day, country)[participant.id]
    access_log.record(actor, [participant.id], AccessAction.READ, "attendance")
    db.session.commit()
    return summary


def in_period(department_id: uuid.UUID, first_day: date, last_day: date) -> list[Participant]:
    """The department's participants who were in its programme some day of the period,
    by name."""
    return list(
        db.session.scalars(
            select(Participant)
            .where(
                Participant.department_id == department_id,
                Participant.start_date <= last_day,
                (Participant.end_date.is_(None)) | (Participant.end_date >= first_day),
            )
            .order_by(Participant.last_name, Participant.first_name, Participant.id)
        )
    )


def department_rates(actor: Actor, department_id: uuid.UUID, first_day: date, last_day: date):
    """Every participant who was in the department's programme during the period."""
    periods.check(first_day, last_day)
    department = scope.get_department(actor, department_id)
    participants = in_period(department.id, first_day, last_day)
    summaries = summarise(participants, first_day, last_day, department.organisation.country)
    access_log.record(actor, list(summaries), AccessAction.LIST, "attendance_rates")
    db.session.commit()
    return [summaries[p.id] for p in participants]
