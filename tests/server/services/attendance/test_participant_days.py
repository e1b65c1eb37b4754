"""A participant's days as the office's month shows them, and a correction from a desk:
the reports' day rule and the rates' figures, one office write per staff member and day,
the history."""

import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from server.database import db
from server.models import AttendanceWrite, ChangeRecord, Leave
from server.services import attendance
from server.services.common.actor import Actor
from server.services.common.errors import Conflict, Invalid
from shared.vocab import AbsenceReason, AttendanceStatus, Role
from tests.factories import AttendanceFactory

OSLO = ZoneInfo("Europe/Oslo")


@pytest.fixture(autouse=True)
def frozen_clock():
    # Thursday 2026-03-12, noon in Oslo.
    with time_machine.travel(datetime(2026, 3, 12, 12, tzinfo=OSLO), tick=False) as traveller:
        yield traveller


@pytest.fixture
def admin(world) -> Actor:
    return Actor(
        user_id=world.admin.id,
        organisation_id=world.admin.organisation_id,
        role=Role.ADMIN,
        department_ids=frozenset(),
        session_id=uuid.uuid4(),
    )


@pytest.fixture
def leader(world) -> Actor:
    return Actor(
        user_id=world.leader.id,
        organisation_id=world.leader.organisation_id,
        role=Role.LEADER,
        department_ids=frozenset({world.dept_a1.id}),
        session_id=uuid.uuid4(),
    )


def test_each_day_holds_what_the_reports_grid_shows(leader, world):
    participant = world.participant_a1
    AttendanceFactory(participant=participant, author=world.leader, date=date(2026, 3, 2))
    AttendanceFactory(
        participant=participant,
        author=world.leader,
        date=date(2026, 3, 3),
        status=AttendanceStatus.ABSENT,
        absence_reason=AbsenceReason.SICK,
    )
    db.session.add(
        Leave(
            participant_id=participant.id,
            first_day=date(2026, 3, 4),
            last_day=date(2026, 3, 4),
            created_by_id=world.leader.id,
        )
    )
    db.session.commit()
    found = attendance.participant_days(leader, participant.id, date(2026, 3, 1), date(2026, 3, 31))
    by_day = {day.day: day for day in found.days}
    assert len(found.days) == 31
    assert by_day[date(2026, 3, 1)].key is None and by_day[date(2026, 3, 1)].weekend
    assert by_day[date(2026, 3, 2)].key == "present"
    assert by_day[date(2026, 3, 3)].key == "sick"
    assert by_day[date(2026, 3, 4)].key == "leave" and by_day[date(2026, 3, 4)].on_leave
    assert by_day[date(2026, 3, 5)].key == "unregistered"
    # Tomorrow has not come: expected, nothing to show yet.
    assert by_day[date(2026, 3, 13)].key is None and by_day[date(2026, 3, 13)].expected
    assert by_day[date(2026, 3, 13)].future
    # The figures are the rates' own, up to today.
    rates = attendance.participant_rates(
        leader, participant.id, date(2026, 3, 1), date(2026, 3, 12)
    )
    for figure in ("expected_days", "present_days", "absent", "attendance_rate"):
        assert found.summary[figure] == rates[figure]


def test_a_correction_from_the_desk_replaces_the_desk_s_earlier_one(leader, world):
    participant = world.participant_a1
    day = date(2026, 3, 10)
    first = {"status": AttendanceStatus.ABSENT, "absence_reason": AbsenceReason.SICK}
    attendance.correct_day(leader, participant.id, day, {**first, "note": "Syk"})
    second = {"status": AttendanceStatus.PRESENT, "check_in": datetime(2026, 3, 10, 9).time()}
    result = attendance.correct_day(leader, participant.id, day, second)
    assert result.record.status == AttendanceStatus.PRESENT
    assert result.record.check_in_at.astimezone(OSLO).hour == 9
    assert result.record.note is None
    writes = db.session.scalars(
        select(AttendanceWrite).where(AttendanceWrite.participant_id == participant.id)
    ).all()
    assert len(writes) == 1
    found = attendance.day_record(leader, participant.id, day)
    assert [change.changes["status"] for change in found.history] == [["absent", "present"]]
    assert found.people[world.leader.id] == world.leader.full_name
    assert db.session.scalars(select(ChangeRecord)).all()


def test_each_staff_member_corrects_the_day_under_their_own_id(leader, admin, world, frozen_clock):
    participant = world.participant_a1
    day = date(2026, 3, 10)
    sick = {"status": AttendanceStatus.ABSENT, "absence_reason": AbsenceReason.SICK}
    attendance.correct_day(leader, participant.id, day, {**sick, "note": "Ringte"})
    frozen_clock.shift(60)
    appointment = {"status": AttendanceStatus.ABSENT, "absence_reason": AbsenceReason.APPOINTMENT}
    result = attendance.correct_day(admin, participant.id, day, {**appointment, "note": None})
    assert result.record.absence_reason == AbsenceReason.APPOINTMENT
    assert result.record.note == "Ringte"
    writes = db.session.scalars(
        select(AttendanceWrite).where(AttendanceWrite.participant_id == participant.id)
    ).all()
    assert len(writes) == 2
    assert attendance.day_record(leader, participant.id, day).own_note == "Ringte"
    assert attendance.day_record(admin, participant.id, day).own_note is None


def test_a_correction_made_from_an_older_version_is_refused(leader, admin, world, frozen_clock):
    participant = world.participant_a1
    day = date(2026, 3, 10)
    assert attendance.day_record(admin, participant.id, day).version == 0
    sick = {"status": AttendanceStatus.ABSENT, "absence_reason": AbsenceReason.SICK}
    attendance.correct_day(leader, participant.id, day, {**sick, "note": "Ringte"}, version=0)
    frozen_clock.shift(60)
    present = {"status": AttendanceStatus.PRESENT}
    with pytest.raises(Conflict) as refused:
        attendance.correct_day(admin, participant.id, day, present, version=0)
    assert refused.value.details == {"version": 1}
    found = attendance.day_record(admin, participant.id, day)
    assert (found.record.status, found.record.note) == (AttendanceStatus.ABSENT, "Ringte")
    assert len(found.history) == 0
    result = attendance.correct_day(admin, participant.id, day, present, version=found.version)
    assert result.record.status == AttendanceStatus.PRESENT
    assert result.record.version == 2


def test_a_future_day_is_refused(leader, world):
    with pytest.raises(Invalid) as refused:
        attendance.correct_day(
            leader, world.participant_a1.id, date(2026, 3, 13), {"status": AttendanceStatus.PRESENT}
        )
    assert "date" in refused.value.field_errors
