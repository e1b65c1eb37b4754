"""The reporting period's rules where the history is less tidy than the API tests':
a plan that changes in the middle of the period, a participant who ends in it, leave
over a weekend, the facilitator when the group's responsible has left; and the number of
queries, which does not grow with the history."""

import uuid
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine

from server.database import db
from server.models import Attendance, Group, Leave, Plan, ScheduleSlot
from server.services.common.actor import Actor
from server.services.common.errors import Conflict, Forbidden, Invalid, NotFound
from server.services.reports.meldeperiode import meldeperiode
from shared.vocab import AttendanceStatus, Role
from tests.factories import ParticipantFactory, make_plan
from tests.querycount import count_queries

OSLO = ZoneInfo("Europe/Oslo")
START = date(2026, 9, 7)  # a Monday: weeks 37 and 38, no public holiday


def d(day: int) -> date:
    return date(2026, 9, day)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(datetime(2026, 10, 1, 12, tzinfo=OSLO), tick=False) as traveller:
        yield traveller


def actor_of(user, role: Role, *departments) -> Actor:
    return Actor(
        user_id=user.id,
        organisation_id=user.organisation_id,
        role=role,
        department_ids=frozenset(d.id for d in departments),
        session_id=uuid.uuid4(),
    )


@pytest.fixture
def leader(world) -> Actor:
    return actor_of(world.leader, Role.LEADER, world.dept_a1)


def record(participant, day: date, author, reason=None, check_in=None, check_out=None):
    def moment(at):
        return None if at is None else datetime.combine(day, at, OSLO)

    db.session.add(
        Attendance(
            id=uuid.uuid4(),
            organisation_id=participant.organisation_id,
            participant_id=participant.id,
            department_id=participant.department_id,
            date=day,
            status=AttendanceStatus.ABSENT if reason else AttendanceStatus.PRESENT,
            absence_reason=reason,
            check_in_at=moment(check_in),
            check_out_at=moment(check_out),
            created_by_id=author.id,
            updated_by_id=author.id,
        )
    )
    db.session.commit()


def categories(report) -> dict[int, str | None]:
    return {day.day.day: day.category for day in report.days}


def test_a_new_plan_version_changes_the_programme_days_from_its_day(world, leader):
    participant = ParticipantFactory(department=world.dept_a1, start_date=date(2026, 8, 3))
    make_plan(participant, world.admin, weekdays=(1, 2))  # Monday and Tuesday, 09-14
    db.session.add(
        Plan(
            participant_id=participant.id,
            version=2,
            valid_from=d(14),  # from the second week: Thursday and Friday, 08-16
            created_by_id=world.admin.id,
            schedule=[
                ScheduleSlot(weekday=w, start_time=time(8), end_time=time(16)) for w in (4, 5)
            ],
        )
    )
    db.session.commit()
    for day in (7, 8, 17):
        record(participant, d(day), world.facilitator)
    report = meldeperiode(leader, participant.id, START)
    got = categories(report)
    assert [day for day, category in got.items() if category == "attended"] == [7, 8, 17]
    assert [day for day, category in got.items() if category == "unregistered"] == [18]
    assert got[14] == got[15] == got[10] == "not_programme_day"
    hours = {day.day.day: (day.hours, day.hours_source) for day in report.days if day.hours}
    assert hours == {7: (5.0, "scheduled"), 8: (5.0, "scheduled"), 17: (8.0, "scheduled")}
    # The plan in force at the period's end: two days, 16 hours.
    assert (report.plan.days_per_week, report.plan.weekly_hours) == (2, 16.0)
    assert report.plan.share_of_full_time == round(16 / 37.5, 4)


def test_days_after_the_end_are_no_programme_days(world, leader):
    participant = ParticipantFactory(department=world.dept_a1, start_date=date(2026, 8, 3))
    make_plan(participant, world.admin)
    participant.end_date = d(9)
    db.session.commit()
    for day in (7, 8, 9):
        record(participant, d(day), world.facilitator)
    got = categories(meldeperiode(leader, participant.id, START))
    assert [day for day, category in got.items() if category != "not_programme_day"] == [7, 8, 9]
    with pytest.raises(Invalid) as refused:
        meldeperiode(leader, participant.id, date(2026, 9, 21))
    assert "period_start" in refused.value.field_errors


def test_leave_counts_only_on_programme_days(world, leader):
    participant = world.participant_a1  # Monday to Friday since January
    db.session.add(
        Leave(
            participant_id=participant.id,
            first_day=d(11),  # Friday to Monday
            last_day=d(14),
            created_by_id=world.leader.id,
        )
    )
    db.session.commit()
    record(participant, d(19), world.facilitator, reason="leave")  # a Saturday
    got = categories(meldeperiode(leader, participant.id, START))
    assert (got[11], got[12], got[13], got[14]) == (
        "approved",
        "not_programme_day",
        "not_programme_day",
        "approved",
    )
    assert got[19] == "not_programme_day"


def test_registered_hours_win_over_the_plans(world, leader):
    participant = world.participant_a1
    record(participant, d(7), world.facilitator, check_in=time(9, 50), check_out=time(14, 55))
    record(participant, d(8), world.facilitator, check_in=time(9))  # no check-out
    report = meldeperiode(leader, participant.id, START)
    first, second = report.days[:2]
    assert (first.hours, first.hours_source) == (5.0, "registered")  # 5 h 5 min
    assert (second.hours, second.hours_source) == (5.0, "scheduled")
    assert report.totals["hours"] == 10.0


def test_the_facilitator_is_the_groups_responsible_while_they_work_here(world, leader):
    participant = world.participant_a1
    group = Group(
        organisation_id=world.org_a.id,
        department_id=world.dept_a1.id,
        name="Verkstedet",
        responsible_user_id=world.facilitator.id,
    )
    db.session.add(group)
    db.session.flush()
    participant.group_id = group.id
    db.session.commit()
    assert meldeperiode(leader, participant.id, START).subject.facilitator == (
        world.facilitator.full_name
    )
    world.facilitator.active = False
    db.session.commit()
    assert meldeperiode(leader, participant.id, START).subject.facilitator == (
        world.leader.full_name
    )


def test_refusals(world, leader):
    facilitator = actor_of(world.facilitator, Role.FACILITATOR, world.dept_a1)
    with pytest.raises(Forbidden):
        meldeperiode(facilitator, world.participant_a1.id, START)
    with pytest.raises(NotFound):
        meldeperiode(leader, world.participant_a2.id, START)
    world.participant_a1.consent_nav_reporting = False
    db.session.commit()
    with pytest.raises(Conflict):
        meldeperiode(leader, world.participant_a1.id, START)
    with pytest.raises(Invalid):
        meldeperiode(leader, world.participant_a1.id, d(8))


def test_the_queries_do_not_grow_with_the_history(world, leader):
    participant = world.participant_a1
    with count_queries() as few:
        meldeperiode(leader, participant.id, START)
    for day in range(7, 19):
        record(participant, d(day), world.facilitator, check_in=time(9), check_out=time(14))
    db.session.add(
        Leave(
            participant_id=participant.id,
            first_day=d(1),
            last_day=d(2),
            created_by_id=world.leader.id,
        )
    )
    db.session.commit()
    with count_queries() as many:
        meldeperiode(leader, participant.id, START)
    assert len(many) == len(few)
