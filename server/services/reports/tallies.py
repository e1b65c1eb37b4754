"""The anonymous tally's figures over a period: each activity of the organisation counted
by who (as the yearly statistics count them), and the first and repeat contacts. They name
nobody, so reading them is not logged."""

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from server.database import db
from server.models import Tally, TallyActivity
from server.services.common import periods, scope
from server.services.common.actor import Actor
from server.services.common.names import Named
from server.services.reports.access import require_reporter
from server.services.reports.statistics import BY_WHO, TALLY, ActivityRow


@dataclass(frozen=True)
class TallyFigures:
    # The department asked for, or None for all the caller's.
    department: Named | None
    first_day: date
    last_day: date
    activities: list[ActivityRow]
    contacts: dict[str, int]


def tally_figures(
    actor: Actor, first_day: date, last_day: date, department_id: uuid.UUID | None = None
) -> TallyFigures:
    """The tallies from ``first_day`` to ``last_day`` of the department (else of every
    department the caller sees), undone ones left out (leaders and admins)."""
    periods.check(first_day, last_day)
    if department_id is not None:
        department = scope.get_department(actor, department_id)
        department_ids = [department.id]
    else:
        department = None
        department_ids = [d.id for d in db.session.scalars(scope.departments(actor))]
    require_reporter(actor)
    counted: dict[uuid.UUID, ActivityRow] = {}
    contacts = {"first": 0, "repeat": 0}
    for activity_id, who, first_contact, n in db.session.execute(
        select(Tally.activity_id, Tally.who, Tally.first_contact, func.sum(Tally.count))
        .where(
            Tally.department_id.in_(department_ids),
            Tally.withdrawn_at.is_(None),
            Tally.date >= first_day,
            Tally.date <= last_day,
        )
        .group_by(Tally.activity_id, Tally.who, Tally.first_contact)
    ):
        row = counted.setdefault(activity_id, ActivityRow(f"{TALLY}{activity_id}"))
        row.counts[BY_WHO[who]] += int(n or 0)
        contacts["first" if first_contact else "repeat"] += int(n or 0)
    # Every activity in use, in the phone's order; one no longer in use where it counted.
    activities = []
    for activity in db.session.execute(
        select(TallyActivity.id, TallyActivity.name, TallyActivity.active)
        .where(TallyActivity.organisation_id == actor.organisation_id)
        .order_by(TallyActivity.position, TallyActivity.name_key, TallyActivity.id)
    ):
        if activity.active or activity.id in counted:
            row = counted.get(activity.id) or ActivityRow(f"{TALLY}{activity.id}")
            row.name = activity.name
            activities.append(row)
    db.session.commit()
    return TallyFigures(
        department=Named(department.id, department.name) if department else None,
        first_day=first_day,
        last_day=last_day,
        activities=activities,
        contacts=contacts,
    )
