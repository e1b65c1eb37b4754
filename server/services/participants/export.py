"""Everything stored about one participant, for a request for access (innsyn).

Each section lists whole rows, every column, so nothing stored is left out; rows that
hang off a section's rows (a plan's slots, an attendance record's write ids, a call's
attempts) come nested under them. A test checks that every table that refers to a
participant, directly or through such a parent, is covered here.
"""

import uuid
from collections import defaultdict
from collections.abc import Callable

from sqlalchemy import inspect, select

from server import clock
from server.database import db
from server.models import (
    AccessLogEntry,
    Attendance,
    AttendanceWrite,
    ChangeRecord,
    FollowUp,
    Goal,
    GoalUpdate,
    GroupMember,
    GroupMembership,
    Leave,
    Meeting,
    MeetingAction,
    MeetingMember,
    Message,
    Plan,
    PlanGoal,
    ScheduleSlot,
    WakeupAttempt,
    WakeupCall,
    WakeupSchedule,
)
from server.services.common import access_log, scope, security_events
from server.services.common.actor import Actor
from server.services.common.history import plain
from shared.vocab import AccessAction, SecurityEventType


def row(obj) -> dict:
    return {attr.key: plain(getattr(obj, attr.key)) for attr in inspect(obj).mapper.column_attrs}


class Section:
    """The rows of ``model`` with the participant's id (those ``where`` allows), each with
    its child rows."""

    def __init__(self, model, order_by, where=None, **children):
        self.model, self.order_by, self.children = model, order_by, children
        self.where = where

    def tables(self) -> set[str]:
        return {self.model.__tablename__} | {
            child.__tablename__ for child, _ in self.children.values()
        }

    def __call__(self, participant_id: uuid.UUID) -> list[dict]:
        stmt = select(self.model).where(self.model.participant_id == participant_id)
        if self.where is not None:
            stmt = stmt.where(self.where)
        parents = db.session.scalars(stmt.order_by(self.order_by)).all()
        rows = [row(parent) for parent in parents]
        ids = [parent.id for parent in parents]
        for name, (child, parent_key) in self.children.items():
            grouped: dict[uuid.UUID, list[dict]] = defaultdict(list)
            if ids:
                for item in db.session.scalars(select(child).where(parent_key.in_(ids))):
                    grouped[getattr(item, parent_key.key)].append(row(item))
            for parent, data in zip(parents, rows, strict=True):
                data[name] = grouped[parent.id]
        return rows


SECTIONS: dict[str, Callable[[uuid.UUID], list[dict]]] = {
    "plans": Section(
        Plan,
        Plan.version,
        schedule=(ScheduleSlot, ScheduleSlot.plan_id),
        goals=(PlanGoal, PlanGoal.plan_id),
    ),
    "goals": Section(Goal, Goal.id, updates=(GoalUpdate, GoalUpdate.goal_id)),
    "attendance": Section(
        Attendance, Attendance.date, writes=(AttendanceWrite, AttendanceWrite.attendance_id)
    ),
    # Write ids withdrawn from a day that has no record any more (those of a day that still
    # has one are among its writes).
    "withdrawn_attendance_writes": Section(
        AttendanceWrite, AttendanceWrite.date, where=AttendanceWrite.attendance_id.is_(None)
    ),
    "leaves": Section(Leave, Leave.first_day),
    "wakeup_schedule": Section(WakeupSchedule, WakeupSchedule.created_at),
    "wakeup_calls": Section(
        WakeupCall, WakeupCall.date, attempts=(WakeupAttempt, WakeupAttempt.call_id)
    ),
    "messages": Section(Message, Message.created_at),
    "followups": Section(FollowUp, FollowUp.occurred_at),
    "group_members": Section(GroupMember, GroupMember.created_at),
    "group_memberships": Section(GroupMembership, GroupMembership.joined_at),
    "meetings": Section(
        Meeting,
        Meeting.scheduled_at,
        members=(MeetingMember, MeetingMember.meeting_id),
        actions=(MeetingAction, MeetingAction.meeting_id),
    ),
    "changes": Section(ChangeRecord, ChangeRecord.at),
    "access_log": Section(AccessLogEntry, AccessLogEntry.at),
}


def covered_tables() -> set[str]:
    return {"participants"} | set().union(*(section.tables() for section in SECTIONS.values()))


def export_participant(actor: Actor, participant_id: uuid.UUID, reason: str) -> dict:
    """Everything, notes and minutes included, whoever asks among leaders and admins: the
    participant is owed it all. So it is an act with a stated reason (such as a request
    for access and its date), kept in the access log and the security event log."""
    participant = scope.get_participant(actor, participant_id, *scope.MANAGERS)
    document = {
        "generated_at": clock.now().isoformat(),
        "participant": row(participant),
        **{name: section(participant.id) for name, section in SECTIONS.items()},
    }
    access_log.record(actor, [participant.id], AccessAction.EXPORT, "participant", reason)
    security_events.record(
        SecurityEventType.EXPORT,
        actor=actor,
        detail={"participant_id": str(participant.id), "resource": "participant", "reason": reason},
    )
    db.session.commit()
    return document
