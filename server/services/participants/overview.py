"""A participant's page in one request (GET /participants/{id}/overview): who they are and
their group, the current plan's goals, this month's attendance so far, the latest
follow-ups (never a note), the next meeting and the open action items.

Composed from the features' own reads, each scoped in its query, in a fixed number of
statements whatever the participant has gathered; one access-log row for the page."""

import uuid
from dataclasses import dataclass

from server import clock
from server.database import db
from server.models import Group, MeetingAction, Participant, PlanGoal
from server.services import followups, groups, meetings
from server.services.attendance.stats import summarise
from server.services.common import access_log, scope
from server.services.common.actor import Actor
from server.services.participants.plans import current_plan
from shared.vocab import AccessAction

RESOURCE = "overview"
# The follow-ups the page shows, newest first; the rest are a list away.
FOLLOWUPS_SHOWN = 10


@dataclass(frozen=True)
class Overview:
    participant: Participant
    group: groups.GroupBrief | None
    goals: list[PlanGoal]
    attendance: dict
    followups: list[followups.Listed]
    next_meeting: meetings.Listed | None
    open_actions: list[MeetingAction]


def overview(actor: Actor, participant_id: uuid.UUID) -> Overview:
    """The page, for the staff of the participant's department and the admins (404 for
    anyone else, as for every read of a participant)."""
    participant = scope.get_participant(actor, participant_id)
    department = participant.department
    group = db.session.get(Group, participant.group_id) if participant.group_id else None
    plan = current_plan(participant)
    today = clock.local_today(department.effective_timezone)
    month = summarise([participant], today.replace(day=1), today, department.organisation.country)[
        participant.id
    ]
    page = Overview(
        participant=participant,
        group=groups.GroupBrief(group.id, group.name) if group else None,
        goals=list(plan.plan_goals) if plan else [],
        attendance=month,
        followups=followups.latest(actor, participant.id, FOLLOWUPS_SHOWN),
        next_meeting=meetings.next_planned(actor, participant.id),
        open_actions=meetings.open_for_participant(actor, participant.id),
    )
    access_log.record(actor, [participant.id], AccessAction.READ, RESOURCE)
    db.session.commit()
    return page
