"""The yearly statistics' service: the figures of the known history (history.py) for a
department and for all of an admin's, a department in another time zone, and the number
of statements, the same for a small history and a larger one."""

import uuid
from datetime import date

import pytest
import time_machine

from server.database import db
from server.services.accounts import actor_for_cli
from server.services.common.errors import Forbidden, Invalid, NotFound
from server.services.reports.statistics import statistics
from tests import factories
from tests.querycount import count_queries
from tests.server.services.reports import history
from tests.server.services.reports.history import NOW, expected


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def figures(stats) -> dict:
    body = stats.as_dict()
    keys = ("year", "previous_year", "activities", "contacts", "participants")
    return {key: body[key] for key in (*keys, "attendance_rate", "attendance_rate_by_month")}


def test_a_departments_figures_this_year_and_last(world):
    built = history.build(world)
    leader = actor_for_cli(world.leader.username)
    for year in (2026, 2025):
        stats = statistics(leader, year, world.dept_a1.id)
        assert figures(stats) == expected(year, {"a1"}, built["activities"]), year
        assert stats.counted_to == (date(2026, 11, 30) if year == 2026 else date(2025, 12, 31))


def test_an_admin_without_a_department_counts_the_whole_organisation(world):
    built = history.build(world)
    admin = actor_for_cli(world.admin.username)
    stats = statistics(admin, 2026)
    assert stats.department is None
    assert {d.name for d in stats.departments} == {"Songdalen", "Arendal"}
    assert figures(stats) == expected(2026, {"a1", "a2"}, built["activities"])


def test_a_leader_without_a_department_counts_their_own_departments(world):
    built = history.build(world)
    leader = actor_for_cli(world.leader.username)  # Songdalen only
    stats = statistics(leader, 2026)
    assert [d.name for d in stats.departments] == ["Songdalen"]
    assert figures(stats) == expected(2026, {"a1"}, built["activities"])


def test_who_may_and_which_years(world):
    facilitator = actor_for_cli(world.facilitator.username)
    leader = actor_for_cli(world.leader.username)
    with pytest.raises(Forbidden):
        statistics(facilitator, 2026, world.dept_a1.id)
    with pytest.raises(Forbidden):
        statistics(facilitator, 2026)
    for department in (world.dept_a2.id, world.dept_b1.id, uuid.uuid4()):
        with pytest.raises(NotFound):
            statistics(leader, 2026, department)
    for year in (1999, 2027):
        with pytest.raises(Invalid) as refused:
            statistics(leader, year, world.dept_a1.id)
        assert "year" in refused.value.field_errors
    assert statistics(leader, 2000, world.dept_a1.id).year == 2000


def test_a_department_in_another_time_zone_counts_by_its_own_days(world):
    """23:30 UTC on 31 December is still 2026 in Reykjavik (UTC+0) but 2027 in Oslo:
    the department's clock decides."""
    world.dept_a2.timezone = "Atlantic/Reykjavik"
    db.session.commit()
    participant = world.participant_a2
    moments = [history.utc(2025, 12, 31, 23, 30), history.utc(2025, 12, 31, 22, 30)]
    for moment in moments:
        factories.FollowUpFactory(participant=participant, author=world.admin, occurred_at=moment)
        factories.FollowUpFactory(
            participant=world.participant_a1, author=world.admin, occurred_at=moment
        )
    admin = actor_for_cli(world.admin.username)
    rows = {row.kind: row for row in statistics(admin, 2026).activities}
    # Songdalen (Oslo): 22:30 UTC is 2025, 23:30 UTC 2026. Arendal (Reykjavik): both 2025.
    assert rows["conversation"].counts["female"] == 1
    assert rows["conversation"].previous["female"] == 3


def test_the_statistics_take_the_same_statements_for_a_larger_history(world):
    history.build(world)
    leader = actor_for_cli(world.leader.username)
    admin = actor_for_cli(world.admin.username)
    with count_queries() as small:
        statistics(leader, 2026, world.dept_a1.id)
    with count_queries() as small_organisation:
        statistics(admin, 2026)
    activities = history.activities_of(world.org_a)
    for n in range(40):
        person = factories.ParticipantFactory(
            department=world.dept_a1 if n % 2 else world.dept_a2,
            gender=("female", "male", "other", "unspecified")[n % 4],
            start_date=date(2025 + n % 2, 1 + n % 11, 1),
        )
        factories.make_plan(person, world.admin, weekdays=(1, 3, 5))
        for day in range(1, 20):
            factories.AttendanceFactory(
                participant=person, author=world.admin, date=date(2026, 10, day)
            )
        factories.FollowUpFactory(participant=person, author=world.admin, kind="phone")
        factories.MeetingFactory(participant=person, author=world.admin)
        factories.TallyFactory(
            department=world.dept_a1,
            activity=activities[1 + n % 6],
            author=world.admin,
            count=n + 1,
        )
    with count_queries() as larger:
        stats = statistics(leader, 2026, world.dept_a1.id)
    with count_queries() as larger_organisation:
        statistics(admin, 2026)
    assert stats.participants["started"] > 4  # the larger history is counted
    assert len(larger) == len(small)
    assert len(larger_organisation) == len(small_organisation)
    assert len(small) <= 16, small
