"""The progress report's figures come from a fixed number of queries, whatever the
history; follow-ups and meetings count by the local day they happened on."""

import uuid
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from server.database import db
from server.models import FollowUp, Meeting
from server.services.reports.progress import progress_report
from shared.vocab import FollowUpKind, MeetingStatus, Role
from tests.querycount import count_queries
from tests.server.services.reports.test_meldeperiode import actor_of

OSLO = ZoneInfo("Europe/Oslo")


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(datetime(2026, 10, 1, 12, tzinfo=OSLO), tick=False) as traveller:
        yield traveller


def followup(world, at: datetime, kind=FollowUpKind.PHONE):
    author = world.facilitator.id
    db.session.add(
        FollowUp(
            id=uuid.uuid4(),
            participant_id=world.participant_a1.id,
            kind=kind,
            occurred_at=at,
            note="Ikke i rapporten",
            author_id=author,
            updated_by_id=author,
        )
    )


def meeting(world, at: datetime, status=MeetingStatus.HELD):
    db.session.add(
        Meeting(
            participant_id=world.participant_a1.id,
            scheduled_at=at,
            status=status,
            minutes="Ikke i rapporten",
            created_by_id=world.leader.id,
            updated_by_id=world.leader.id,
        )
    )


def test_counts_by_the_local_day_and_in_a_fixed_number_of_queries(world):
    leader = actor_of(world.leader, Role.LEADER, world.dept_a1)
    participant = world.participant_a1
    first, last = date(2026, 9, 1), date(2026, 9, 30)
    with count_queries() as few:
        empty = progress_report(leader, participant.id, first, last)
    assert empty.followups["total"] == 0
    # 23:30 UTC on 31 August is 1 September in Oslo; 22:30 UTC on 30 September is 1 October.
    followup(world, datetime(2026, 8, 31, 23, 30, tzinfo=UTC))
    followup(world, datetime(2026, 9, 15, 10, tzinfo=UTC), FollowUpKind.ACCOMPANIMENT)
    followup(world, datetime(2026, 9, 30, 22, 30, tzinfo=UTC))
    meeting(world, datetime(2026, 9, 10, 8, tzinfo=UTC))
    meeting(world, datetime(2026, 9, 20, 8, tzinfo=UTC), MeetingStatus.CANCELLED)
    meeting(world, datetime(2026, 8, 31, 21, 59, tzinfo=UTC))  # 31 August, 23:59 in Oslo
    db.session.commit()
    with count_queries() as many:
        report = progress_report(leader, participant.id, first, last)
    assert len(many) == len(few)
    assert report.followups["by_kind"] == {
        "conversation": 0,
        "phone": 1,
        "home_visit": 0,
        "accompaniment": 1,
        "other": 0,
    }
    assert report.meetings_held.dates == [date(2026, 9, 10)]
    assert report.plan.version == 1
    assert [goal.title for goal in report.plan.goals] == ["Mål 1"]
