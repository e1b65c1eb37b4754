"""Individual plans (tiltaksplan): versions, goals with a status history, work areas and
the weekly schedule. A plan is never edited in place: PUT makes a new version."""

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from server import clock
from server.database import db
from server.models import Goal, GoalUpdate, Participant, Plan, PlanGoal, ScheduleSlot
from server.services.common import access_log, names, scope
from server.services.common.actor import Actor
from server.services.common.errors import Conflict, Invalid, NotFound
from shared.i18n import gettext
from shared.schedule import first_plan_in_force, overlapping_slots, plan_in_force
from shared.vocab import AccessAction, GoalStatus

RESOURCE = "plan"


def _plans():
    return select(Plan).options(selectinload(Plan.schedule), selectinload(Plan.plan_goals))


def current_plan(participant) -> Plan | None:
    """The version in force today (local), or, before the first one starts, that one."""
    today = clock.local_today(participant.department.effective_timezone)
    plans = db.session.scalars(_plans().where(Plan.participant_id == participant.id)).all()
    return plan_in_force(plans, today) or first_plan_in_force(plans)


def get_current(actor: Actor, participant_id: uuid.UUID) -> Plan:
    participant = scope.get_participant(actor, participant_id)
    plan = current_plan(participant)
    if plan is None:
        raise NotFound(gettext("The participant has no plan yet."))
    access_log.record(actor, [participant.id], AccessAction.READ, RESOURCE)
    db.session.commit()
    return plan


def list_versions(actor: Actor, participant_id: uuid.UUID) -> list[Plan]:
    participant = scope.get_participant(actor, participant_id)
    plans = db.session.scalars(
        _plans().where(Plan.participant_id == participant.id).order_by(Plan.version.desc())
    ).all()
    access_log.record(actor, [participant.id], AccessAction.READ, RESOURCE)
    db.session.commit()
    return list(plans)


@dataclass(frozen=True)
class PlanBook:
    """A participant's plan as a page shows it: every version (newest first), the one in
    force, each goal's history, and the names of the staff who wrote them."""

    participant: Participant
    versions: list[Plan]
    current: Plan | None
    # The participant's local date: a new version's default first day.
    today: date
    people: dict[uuid.UUID, str]

    @property
    def latest_version(self) -> int:
        """The newest version's number (0 before the first plan): what a new version is
        made from."""
        return self.versions[0].version if self.versions else 0


def plan_book(actor: Actor, participant_id: uuid.UUID) -> PlanBook:
    """Every version of the plan, the current one and each goal's history, read once (one
    access-log row)."""
    participant = scope.get_participant(actor, participant_id)
    plans = list(
        db.session.scalars(
            _plans()
            .options(
                selectinload(Plan.plan_goals).selectinload(PlanGoal.goal).selectinload(Goal.updates)
            )
            .where(Plan.participant_id == participant.id)
            .order_by(Plan.version.desc())
        )
    )
    today = clock.local_today(participant.department.effective_timezone)
    current = plan_in_force(plans, today) or first_plan_in_force(plans)
    authors = [plan.created_by_id for plan in plans]
    for plan in plans:
        authors += [update.user_id for pg in plan.plan_goals for update in pg.goal.updates]
    book = PlanBook(participant, plans, current, today, names.staff_names(authors))
    access_log.record(actor, [participant.id], AccessAction.READ, RESOURCE)
    db.session.commit()
    return book


def _validate_schedule(slots: list[dict]) -> None:
    errors = {}
    for index, slot in enumerate(slots):
        if slot["end"] <= slot["start"]:
            errors[index] = {"end": [gettext("Must be after the start.")]}
    clashes = overlapping_slots([(s["weekday"], s["start"], s["end"]) for s in slots])
    for index in clashes:
        errors.setdefault(index, {}).setdefault("start", []).append(
            gettext("Overlaps another time on the same day.")
        )
    if errors:
        raise Invalid({"schedule": errors})


def put_plan(
    actor: Actor, participant_id: uuid.UUID, data: dict, based_on: int | None = None
) -> Plan:
    """A new version of the plan. ``based_on``, when given, is the version the change was
    made from (0: no plan yet): if someone has saved a newer one since, nothing is saved
    (409), so that no one overwrites a version they never saw."""
    participant = scope.get_participant(actor, participant_id, *scope.MANAGERS)
    _validate_schedule(data["schedule"])
    if data.get("review_date") and data["review_date"] < data["valid_from"]:
        raise Invalid({"review_date": gettext("Must not be before valid_from.")})

    given_ids = [g["id"] for g in data["goals"] if g.get("id")]
    if len(given_ids) != len(set(given_ids)):
        raise Invalid({"goals": gettext("The same goal is listed twice.")})
    existing = {
        goal.id: goal
        for goal in db.session.scalars(
            select(Goal).where(Goal.participant_id == participant.id, Goal.id.in_(given_ids))
        )
    }
    unknown = [str(goal_id) for goal_id in given_ids if goal_id not in existing]
    if unknown:
        raise Invalid(
            {"goals": gettext("Unknown goal id(s): {ids}.").format(ids=", ".join(unknown))}
        )

    latest = db.session.scalar(
        select(func.max(Plan.version)).where(Plan.participant_id == participant.id)
    )
    if based_on is not None and (latest or 0) != based_on:
        raise Conflict(
            gettext(
                "Someone saved a newer version of the plan (version {version}) after you "
                "opened it. Nothing was saved."
            ).format(version=latest)
        )
    plan = Plan(
        participant_id=participant.id,
        version=(latest or 0) + 1,
        valid_from=data["valid_from"],
        review_date=data.get("review_date"),
        work_areas=list(dict.fromkeys(data["work_areas"])),
        notes=data.get("notes"),
        created_by_id=actor.user_id,
        schedule=[
            ScheduleSlot(weekday=s["weekday"], start_time=s["start"], end_time=s["end"])
            for s in data["schedule"]
        ],
    )
    for position, item in enumerate(data["goals"]):
        goal = existing.get(item.get("id"))
        if goal is None:
            goal = Goal(id=uuid.uuid4(), participant_id=participant.id)
            db.session.add(goal)
        status = item.get("status")
        if status and status != goal.status:
            _set_goal_status(actor, goal, status, None)
        elif goal.status is None:
            goal.status = GoalStatus.NOT_STARTED
        plan.plan_goals.append(
            PlanGoal(
                goal=goal,
                position=position,
                title=item["title"],
                description=item.get("description"),
                due_date=item.get("due_date"),
            )
        )
    db.session.add(plan)
    action = AccessAction.CREATE if plan.version == 1 else AccessAction.UPDATE
    access_log.record(actor, [participant.id], action, RESOURCE)
    db.session.commit()
    return plan


def _set_goal_status(actor: Actor, goal: Goal, status: GoalStatus, note: str | None) -> None:
    if status != goal.status:
        goal.status = status
        goal.status_changed_at = clock.now()
    db.session.add(
        GoalUpdate(
            goal_id=goal.id,
            status=status,
            progress_note=note,
            user_id=actor.user_id,
            at=clock.now(),
        )
    )


def update_goal(
    actor: Actor,
    participant_id: uuid.UUID,
    goal_id: uuid.UUID,
    data: dict,
    expected_status: GoalStatus | None = None,
):
    """A status change or a progress note on a goal of the current plan. Without a
    ``status`` in ``data`` the note is kept under the goal's status as it stands, which it
    leaves alone. ``expected_status``: the status the change was made from; a status
    change on a goal whose status is another by now (someone changed it meanwhile) is
    ``Conflict``, nothing saved, its details holding the status stored now."""
    participant = scope.get_participant(actor, participant_id)
    plan = current_plan(participant)
    goals = plan.plan_goals if plan else []
    plan_goal = next((pg for pg in goals if pg.goal_id == goal_id), None)
    if plan_goal is None:
        raise NotFound(gettext("Goal not found in the current plan."))
    status, note = data.get("status"), data.get("progress_note")
    if status is None and not note:
        raise Invalid(
            {"progress_note": gettext("Write a progress note, or choose another status.")}
        )
    # Locked until saved, so that two status changes cannot pass the check at once.
    goal = db.session.get(Goal, goal_id, with_for_update=True, populate_existing=True)
    if status is not None and expected_status is not None and goal.status != expected_status:
        db.session.rollback()
        raise Conflict(
            gettext("The goal's status was changed after you opened the page."),
            details={"status": str(goal.status)},
        )
    _set_goal_status(actor, goal, goal.status if status is None else status, note)
    access_log.record(actor, [participant.id], AccessAction.UPDATE, "goal")
    db.session.commit()
    return plan_goal
