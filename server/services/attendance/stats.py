"""Attendance rates: present days over expected days, and absences by reason."""

import uuid
from collections import Counter
from datetime import date

from sqlalchemy import select

from server.database import db
from server.models import Attendance, Participant
from server.services.attendance.expected import Calendar
from server.services.common import access_log, periods, scope
from server.services.common.actor import Actor
from shared.vocab import AbsenceReason, AccessAction, AttendanceStatus, Country, values


def summarise(
    participants: list[Participant], first_day: date, last_day: date, country: Country
) -> dict:
    """{participant_id: summary} for the period, the public holidays being ``country``'s;
    three queries whatever the number."""
    ids = [participant.id for participant in participants]
    calendar = Calendar(ids, first_day, last_day, country)
    records: dict[uuid.UUID, dict[date, Attendance]] = {pid: {} for pid in ids}
    if ids:
        for record in db.session.scalars(
            select(Attendance).where(
                Attendance.participant_id.in_(ids),
                Attendance.date >= first_day,
                Attendance.date <= last_day,
            )
        ):
            records[record.participant_id][record.date] = record
    return {
        participant.id: _summary(
            participant, records[participant.id], calendar, first_day, last_day
        )
        for participant in participants
    }


def _summary(participant, records, calendar, first_day, last_day) -> dict:
    on_leave_by_record = {
        day for day, r in records.items() if r.absence_reason == AbsenceReason.LEAVE
    }
    expected = set(calendar.expected_days(participant, first_day, last_day)) - on_leave_by_record
    present = {day for day, r in records.items() if r.status == AttendanceStatus.PRESENT}
    absences = Counter(
        r.absence_reason for r in records.values() if r.status == AttendanceStatus.ABSENT
    )
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


def department_rates(actor: Actor, department_id: uuid.UUID, first_day: date, last_day: date):
    """Every participant who was in the department's programme during the period."""
    periods.check(first_day, last_day)
    department = scope.get_department(actor, department_id)
    participants = db.session.scalars(
        select(Participant)
        .where(
            Participant.department_id == department.id,
            Participant.start_date <= last_day,
            (Participant.end_date.is_(None)) | (Participant.end_date >= first_day),
        )
        .order_by(Participant.last_name, Participant.first_name)
    ).all()
    summaries = summarise(list(participants), first_day, last_day, department.organisation.country)
    access_log.record(actor, list(summaries), AccessAction.LIST, "attendance_rates")
    db.session.commit()
    return [summaries[p.id] for p in participants]
