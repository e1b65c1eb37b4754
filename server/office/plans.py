"""A participant's plan: the version in force, the editor that makes a new version, a
goal's status and progress note, and two versions side by side."""

import re
import uuid
from dataclasses import dataclass, field

import marshmallow as ma
from flask import Blueprint, flash, redirect, request, url_for

from server.office.pages import CHECK_FIELDS, actor, error_texts, for_roles, page, read_form
from server.resources.fields import enum
from server.resources.plans.schemas import GoalPatchIn, PlanIn
from server.services import participants
from server.services.common.errors import Conflict, Invalid
from shared.i18n import gettext, lazy_gettext
from shared.vocab import GoalStatus, Role

bp = Blueprint("plans", __name__, url_prefix="/participants")

WRITERS = (Role.LEADER, Role.ADMIN)
# Empty goal rows the editor offers to fill, and boxes for new work areas.
NEW_GOALS = 3
NEW_AREAS = 3
WEEKDAYS = range(1, 8)
STALE = lazy_gettext(
    "Someone saved a newer version of the plan after you opened the editor. Nothing was "
    "saved. Your changes are still in the form: look at the newest version, then save "
    "again to make a version on top of it."
)


# --- The plan in force, and a goal's progress --------------------------------------------


@bp.get("/<uuid:participant_id>/plan")
def show(participant_id):
    book = participants.plan_book(actor(), participant_id)
    return _show(book)


def _show(
    book,
    status: int = 200,
    goal_errors: dict | None = None,
    goal_values=None,
    changed_goal: uuid.UUID | None = None,
):
    return page(
        "office/plans/show.html",
        status,
        book=book,
        participant=book.participant,
        plan=book.current,
        can_write=actor().role in WRITERS,
        statuses=_statuses(),
        goal_errors=goal_errors or {},
        goal_values=goal_values or {},
        changed_goal=changed_goal,
    )


class GoalForm(GoalPatchIn):
    """A goal's form: the API's status and progress note, and the status the page showed
    when it was opened (the status counts as changed only when it differs from that)."""

    original_status = enum(GoalStatus, required=True)


@bp.post("/<uuid:participant_id>/plan/goals/<uuid:goal_id>")
def goal(participant_id, goal_id):
    """A goal's status and progress note, kept as its history (no new version). The
    status goes to the service only when the user changed it, so a progress note never
    puts back a status someone else set meanwhile."""
    try:
        data = read_form(GoalForm())
        original = data.pop("original_status")
        if data["status"] == original:
            del data["status"]
        participants.update_goal(actor(), participant_id, goal_id, data, original)
    except Invalid as error:
        book = participants.plan_book(actor(), participant_id)
        return _show(book, 422, {goal_id: _flat(error)}, {goal_id: request.form})
    except Conflict:
        # The status stored now is what the form starts from again: saving it once more
        # is a choice made knowing it.
        book = participants.plan_book(actor(), participant_id)
        typed = request.form.to_dict()
        for plan_goal in book.current.plan_goals if book.current else []:
            if plan_goal.goal_id == goal_id:
                typed["original_status"] = str(plan_goal.goal.status)
        return _show(book, 409, goal_values={goal_id: typed}, changed_goal=goal_id)
    flash(gettext("The goal was updated."), "success")
    url = url_for(".show", participant_id=participant_id, _anchor=f"goal-{goal_id}")
    return redirect(url, 303)


# --- The editor ---------------------------------------------------------------------------


@dataclass
class Draft:
    """The editor's boxes: what the plan holds, or what was typed."""

    valid_from: str = ""
    review_date: str = ""
    notes: str = ""
    based_on: int = 0
    goals: list[dict] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)
    chosen_areas: set[str] = field(default_factory=set)
    # (weekday, start, end) rows, each weekday at least once, in weekday order.
    schedule: list[dict] = field(default_factory=list)


def _empty_goal() -> dict:
    return {"id": "", "title": "", "description": "", "status": "", "due_date": "", "remove": False}


def _draft_of(book) -> Draft:
    """The newest version in the boxes (a version starting later included: a new one
    follows it)."""
    plan = book.versions[0] if book.versions else None
    draft = Draft(valid_from=book.today.isoformat(), based_on=book.latest_version)
    if plan is not None:
        # A review date already past does not carry over: the new version needs its own.
        if plan.review_date and plan.review_date >= book.today:
            draft.review_date = plan.review_date.isoformat()
        draft.notes = plan.notes or ""
        draft.goals = [
            {
                "id": str(pg.goal_id),
                "title": pg.title,
                "description": pg.description or "",
                "status": str(pg.goal.status),
                "due_date": pg.due_date.isoformat() if pg.due_date else "",
                "remove": False,
            }
            for pg in plan.plan_goals
        ]
        draft.areas = list(plan.work_areas or [])
        draft.chosen_areas = set(draft.areas)
    draft.goals += [_empty_goal() for _ in range(NEW_GOALS)]
    slots = list(plan.schedule) if plan is not None else []
    draft.schedule = _schedule_rows(
        [
            {"weekday": s.weekday, "start": _hhmm(s.start_time), "end": _hhmm(s.end_time)}
            for s in slots
        ]
    )
    return draft


def _schedule_rows(rows: list[dict]) -> list[dict]:
    """The rows by weekday, with an empty row for a weekday that has none."""
    by_day = {day: [row for row in rows if row["weekday"] == day] for day in WEEKDAYS}
    return [
        row
        for day in WEEKDAYS
        for row in (by_day[day] or [{"weekday": day, "start": "", "end": ""}])
    ]


def _hhmm(moment) -> str:
    return moment.strftime("%H:%M")


def _posted() -> tuple[Draft, dict, list[int], list[int]]:
    """What the editor sent: the draft to show again, the plan for the schema, and which
    form row each goal and schedule item came from (to put errors beside their boxes)."""
    form = request.form

    def value(key: str) -> str:
        return form.get(key, "").strip()

    try:
        based_on = int(form.get("based_on", "0"))
    except ValueError:
        based_on = 0
    draft = Draft(
        valid_from=value("valid_from"),
        review_date=value("review_date"),
        notes=value("notes"),
        based_on=based_on,
    )
    data: dict = {"goals": [], "schedule": []}
    for key in ("valid_from", "review_date", "notes"):
        if value(key):
            data[key] = value(key)
    goal_rows, slot_rows = [], []
    for n in _row_numbers("goals"):
        row = {
            name: value(f"goals-{n}-{name}")
            for name in ("id", "title", "description", "status", "due_date")
        }
        row["remove"] = form.get(f"goals-{n}-remove") == "true"
        draft.goals.append(row)
        filled = row["id"] or row["title"] or row["description"] or row["due_date"]
        if row["remove"] or not filled:
            continue
        data["goals"].append(
            {name: text for name, text in row.items() if text and name != "remove"}
        )
        goal_rows.append(len(draft.goals) - 1)
    areas = [area.strip() for area in form.getlist("work_areas") if area.strip()]
    draft.areas = list(dict.fromkeys(areas))
    draft.chosen_areas = set(draft.areas)
    data["work_areas"] = areas
    slots = []
    for n in _row_numbers("schedule"):
        row = {
            "weekday": _int(value(f"schedule-{n}-weekday")),
            "start": value(f"schedule-{n}-start")[:5],
            "end": value(f"schedule-{n}-end")[:5],
        }
        if row["weekday"] not in WEEKDAYS:
            continue
        slots.append(row)
    draft.schedule = _schedule_rows(slots)
    for n, row in enumerate(draft.schedule):
        if row["start"] or row["end"]:
            data["schedule"].append({name: text for name, text in row.items() if text})
            slot_rows.append(n)
    return draft, data, goal_rows, slot_rows


# A row number as a form writes it: ASCII digits only ("²" is a digit to str.isdigit).
_DIGITS = re.compile(r"[0-9]{1,3}")


def _row_numbers(prefix: str) -> list[int]:
    numbers = set()
    for key in request.form:
        parts = key.split("-")
        if len(parts) == 3 and parts[0] == prefix and _DIGITS.fullmatch(parts[1]):
            numbers.add(int(parts[1]))
    return sorted(numbers)[:100]


def _int(text: str) -> int | None:
    return int(text) if _DIGITS.fullmatch(text) else None


def _plan_errors(messages: dict, goal_rows: list[int], slot_rows: list[int]) -> dict:
    """The schema's and the service's errors by the editor's box: goals.1.title is the
    title box of the form row that goal came from."""
    errors: dict[str, list[str]] = {}
    rows = {"goals": goal_rows, "schedule": slot_rows}
    for key, value in messages.items():
        if key in rows and isinstance(value, dict):
            for index, item in value.items():
                number = rows[key][index] if isinstance(index, int) else None
                if isinstance(item, dict) and number is not None:
                    for name, texts in item.items():
                        errors.setdefault(f"{key}-{number}-{name}", []).extend(error_texts(texts))
                else:
                    errors.setdefault(key, []).extend(error_texts(item))
        elif isinstance(value, dict):
            errors.setdefault(key, []).extend(
                text for item in value.values() for text in error_texts(item)
            )
        else:
            errors.setdefault(key, []).extend(error_texts(value))
    return errors


def _flat(error: Invalid) -> dict[str, list[str]]:
    return {name: error_texts(texts) for name, texts in (error.field_errors or {}).items()}


@bp.get("/<uuid:participant_id>/plan/edit")
@for_roles(*WRITERS)
def edit(participant_id):
    book = participants.plan_book(actor(), participant_id)
    return _editor(book, _draft_of(book))


@bp.post("/<uuid:participant_id>/plan/edit")
@for_roles(*WRITERS)
def save(participant_id):
    draft, data, goal_rows, slot_rows = _posted()
    try:
        try:
            plan_data = PlanIn().load(data)
        except ma.ValidationError as error:
            raise Invalid(_plan_errors(error.messages, goal_rows, slot_rows)) from None
        try:
            plan = participants.put_plan(actor(), participant_id, plan_data, draft.based_on)
        except Invalid as error:
            raise Invalid(_plan_errors(error.field_errors or {}, goal_rows, slot_rows)) from None
    except Invalid as error:
        book = participants.plan_book(actor(), participant_id)
        return _editor(book, draft, 422, errors=error.field_errors)
    except Conflict:
        book = participants.plan_book(actor(), participant_id)
        draft.based_on = book.latest_version
        return _editor(book, draft, 409, message=STALE, stale=True)
    flash(
        gettext("The plan was saved as version %(version)d.") % {"version": plan.version},
        "success",
    )
    return redirect(url_for(".show", participant_id=participant_id), 303)


def _editor(book, draft: Draft, status: int = 200, errors=None, message=None, stale=False):
    return page(
        "office/plans/edit.html",
        status,
        book=book,
        participant=book.participant,
        draft=draft,
        statuses=_statuses(),
        new_areas=NEW_AREAS,
        errors=errors or {},
        message=message or (CHECK_FIELDS if errors else None),
        stale=stale,
    )


def _statuses() -> list[GoalStatus]:
    return list(GoalStatus)


# --- Two versions side by side ------------------------------------------------------------


@dataclass(frozen=True)
class GoalPair:
    goal_id: uuid.UUID
    left: object | None
    right: object | None

    @property
    def changed(self) -> bool:
        if self.left is None or self.right is None:
            return True
        return _wording(self.left) != _wording(self.right)


def _wording(plan_goal) -> tuple:
    return (plan_goal.title, plan_goal.description or "", plan_goal.due_date)


@dataclass(frozen=True)
class DayPair:
    weekday: int
    left: str
    right: str

    @property
    def changed(self) -> bool:
        return self.left != self.right


@dataclass(frozen=True)
class Comparison:
    left: object
    right: object
    goals: list[GoalPair]
    days: list[DayPair]
    areas_left_only: set[str]
    areas_right_only: set[str]

    def changed(self, name: str) -> bool:
        return getattr(self.left, name) != getattr(self.right, name)


def _day_text(plan, weekday: int) -> str:
    return ", ".join(
        f"{_hhmm(s.start_time)}–{_hhmm(s.end_time)}" for s in plan.schedule if s.weekday == weekday
    )


def compare(left, right) -> Comparison:
    lefts = {pg.goal_id: pg for pg in left.plan_goals}
    rights = {pg.goal_id: pg for pg in right.plan_goals}
    order = list(dict.fromkeys([*lefts, *rights]))
    return Comparison(
        left=left,
        right=right,
        goals=[GoalPair(goal_id, lefts.get(goal_id), rights.get(goal_id)) for goal_id in order],
        days=[DayPair(day, _day_text(left, day), _day_text(right, day)) for day in WEEKDAYS],
        areas_left_only=set(left.work_areas or []) - set(right.work_areas or []),
        areas_right_only=set(right.work_areas or []) - set(left.work_areas or []),
    )


@bp.get("/<uuid:participant_id>/plan/versions")
def versions(participant_id):
    book = participants.plan_book(actor(), participant_id)
    by_number = {plan.version: plan for plan in book.versions}
    numbers = [plan.version for plan in book.versions]  # newest first
    right = by_number.get(request.args.get("b", type=int)) or (
        book.versions[0] if numbers else None
    )
    left = by_number.get(request.args.get("a", type=int)) or (
        book.versions[1] if len(numbers) > 1 else right
    )
    comparison = compare(left, right) if left is not None else None
    return page(
        "office/plans/versions.html",
        book=book,
        participant=book.participant,
        comparison=comparison,
        weekdays=WEEKDAYS,
    )
