"""A participant's days as the office's month shows them, and a correction from a desk:
the reports' day rule and the rates' figures, one office write per day, the history."""

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
from server.services.common.errors import Invalid
from shared.vocab import AbsenceReason, AttendanceStatus, Role
from tests.factories import AttendanceFactory

OSLO = ZoneInfo("Europe/Oslo")


@pytest.fixture(autouse=True)
def frozen_clock():
    # Thursday 2026-03-12, noon in Oslo.
    with time_machine.travel(datetime(2026, 3, 12, 12, tzinfo=OSLO), tick=False):
        yield


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


def test_a_future_day_is_refused(leader, world):
    with pytest.raises(Invalid) as refused:
        attendance.correct_day(
            leader, world.participant_a1.id, date(2026, 3, 13), {"status": AttendanceStatus.PRESENT}
        )
    assert "date" in refused.value.field_errors
