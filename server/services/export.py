"""Everything stored about one participant, for a request for access (innsyn).

Each section lists whole rows, every column, so nothing stored is left out; a module that
stores more about participants adds its section to ``SECTIONS``.
"""

import uuid
from collections.abc import Callable

from sqlalchemy import inspect, select

from server import clock
from server.extensions import db
from server.models import AccessLogEntry, ChangeRecord, Goal, GoalUpdate, Plan
from server.security import Actor
from server.services import access_log, scope
from server.services.history import plain
from shared.vocab import AccessAction


def row(obj) -> dict:
    return {attr.key: plain(getattr(obj, attr.key)) for attr in inspect(obj).mapper.column_attrs}


def _plans(participant_id: uuid.UUID) -> list[dict]:
    plans = db.session.scalars(
        select(Plan).where(Plan.participant_id == participant_id).order_by(Plan.version)
    ).all()
    return [
        {
            **row(plan),
            "schedule": [row(slot) for slot in plan.schedule],
            "goals": [row(plan_goal) for plan_goal in plan.plan_goals],
        }
        for plan in plans
    ]


def _goals(participant_id: uuid.UUID) -> list[dict]:
    goals = db.session.scalars(select(Goal).where(Goal.participant_id == participant_id)).all()
    updates = db.session.scalars(
        select(GoalUpdate)
        .where(GoalUpdate.goal_id.in_([goal.id for goal in goals]))
        .order_by(GoalUpdate.at)
    ).all()
    return [
        {**row(goal), "updates": [row(u) for u in updates if u.goal_id == goal.id]}
        for goal in goals
    ]


def _rows(model, order_by) -> Callable[[uuid.UUID], list[dict]]:
    def section(participant_id: uuid.UUID) -> list[dict]:
        stmt = select(model).where(model.participant_id == participant_id).order_by(order_by)
        return [row(obj) for obj in db.session.scalars(stmt)]

    return section


SECTIONS: dict[str, Callable[[uuid.UUID], list[dict]]] = {
    "plans": _plans,
    "goals": _goals,
    "changes": _rows(ChangeRecord, ChangeRecord.at),
    "access_log": _rows(AccessLogEntry, AccessLogEntry.at),
}


def export_participant(actor: Actor, participant_id: uuid.UUID) -> dict:
    participant = scope.get_participant(actor, participant_id, *scope.MANAGERS)
    document = {
        "generated_at": clock.now().isoformat(),
        "participant": row(participant),
        **{name: section(participant.id) for name, section in SECTIONS.items()},
    }
    access_log.record(actor, [participant.id], AccessAction.EXPORT, "participant")
    db.session.commit()
    return document
