"""Anonymous tallies (anonym registrering): a count of an activity with people who are not
enrolled, by who they were, on a day; no participant, no name, no free text, so no
access-log rows.

A tally is written by a client-chosen id, so the phone can send it again: the same id and
body again changes nothing (200); the same id with another body is a correction by its
author or a leader (the earlier values go to the history); the id never makes a second
tally, nor moves one to another department (409). Undoing one (DELETE) marks it withdrawn;
it stays, so that a late repeat of the write is recognised (410) instead of counted again.
"""

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from server import clock
from server.database import db
from server.models import Department, Tally, TallyActivity
from server.services.common import history, periods, scope
from server.services.common.actor import Actor
from server.services.common.errors import Conflict, Forbidden, Gone, Invalid, NotFound
from server.services.storage import paging, retries
from server.services.storage.paging import Window
from shared.i18n import gettext, lazy_gettext

RESOURCE = "tally"
FIELDS = ("department_id", "activity_id", "who", "count", "date", "first_contact")
ONLY_AUTHOR_OR_LEADER = lazy_gettext("Only the author or a leader may change a tally.")


@dataclass(frozen=True)
class Shown:
    """A tally with its activity's name."""

    tally: Tally
    activity_name: str


def put(actor: Actor, tally_id: uuid.UUID, body: dict) -> tuple[Tally, bool]:
    """PUT /tallies/{id}: (tally, created)."""
    return retries.with_retries(lambda: _put(actor, tally_id, body))


def _put(actor: Actor, tally_id: uuid.UUID, body: dict) -> tuple[Tally, bool]:
    department = scope.get_department(actor, body["department_id"])
    after = {field: history.plain(body.get(field)) for field in FIELDS}

    tally = db.session.get(Tally, tally_id, with_for_update=True, populate_existing=True)
    if tally is None:
        _validate(actor, department, body, check_activity=True)
        tally = Tally(id=tally_id, recorded_by_id=actor.user_id, updated_by_id=actor.user_id)
        _assign(tally, body)
        db.session.add(tally)
        db.session.flush()
        return tally, True

    if tally.department_id != department.id:
        raise Conflict(gettext("This id belongs to a tally of another department."))
    if tally.withdrawn_at is not None:
        raise Gone(gettext("This tally was undone."))
    before = history.snapshot(tally, FIELDS)
    if before == after:
        return tally, False
    _require_author_or_manager(actor, tally)
    _validate(actor, department, body, check_activity=before["activity_id"] != after["activity_id"])
    _assign(tally, body)
    tally.updated_by_id = actor.user_id
    history.record_change(actor, RESOURCE, tally.id, before, after)
    return tally, False


def _assign(tally: Tally, body: dict) -> None:
    for field in FIELDS:
        setattr(tally, field, body.get(field))


def _require_author_or_manager(actor: Actor, tally: Tally) -> None:
    if tally.recorded_by_id != actor.user_id and actor.role not in scope.MANAGERS:
        raise Forbidden(ONLY_AUTHOR_OR_LEADER)


def _year_back(today: date) -> date:
    """The same day a year before (28 February for 29 February)."""
    try:
        return today.replace(year=today.year - 1)
    except ValueError:
        return today.replace(year=today.year - 1, day=28)


def _validate(actor: Actor, department: Department, body: dict, check_activity: bool) -> None:
    if not department.active:
        raise Invalid({"department_id": gettext("The department is closed.")})
    day: date = body["date"]
    # A phone whose clock runs a little fast may already be past midnight.
    today = clock.local_date(clock.now() + retries.CLOCK_SKEW, department.effective_timezone)
    if day > today:
        raise Invalid({"date": gettext("Must not be in the future.")})
    if day < _year_back(clock.local_today(department.effective_timezone)):
        raise Invalid({"date": gettext("Must not be more than a year back.")})
    if check_activity:
        activity = db.session.scalars(
            select(TallyActivity).where(
                TallyActivity.id == body["activity_id"],
                TallyActivity.organisation_id == actor.organisation_id,
            )
        ).first()
        if activity is None:
            raise Invalid({"activity": gettext("Unknown activity.")})
        if not activity.active:
            raise Invalid({"activity": gettext("The activity is no longer in use.")})


def _visible(actor: Actor):
    """Tallies of the departments the actor sees, with their activity's name."""
    return (
        select(Tally, TallyActivity.name)
        .join(TallyActivity, TallyActivity.id == Tally.activity_id)
        .join(Department, Department.id == Tally.department_id)
        .where(
            Department.organisation_id == actor.organisation_id,
            scope.department_clause(actor, Tally.department_id),
        )
    )


def withdraw(actor: Actor, tally_id: uuid.UUID) -> None:
    """DELETE /tallies/{id}: undo a tally (its author or a leader); again, nothing more."""
    row = db.session.execute(_visible(actor).where(Tally.id == tally_id)).first()
    if row is None:
        raise NotFound(gettext("Tally not found."))
    tally = db.session.get(Tally, tally_id, with_for_update=True, populate_existing=True)
    if tally.withdrawn_at is not None:
        return
    _require_author_or_manager(actor, tally)
    tally.withdrawn_at = clock.now()
    tally.updated_by_id = actor.user_id
    history.record_change(actor, RESOURCE, tally.id, {"withdrawn": False}, {"withdrawn": True})
    db.session.commit()


def list_tallies(actor: Actor, filters: dict, window: Window):
    """The tallies of a department (else of every department the actor sees) in a period,
    newest first, undone ones left out."""
    stmt = _visible(actor).where(Tally.withdrawn_at.is_(None))
    if filters.get("department_id"):
        department = scope.get_department(actor, filters["department_id"])
        stmt = stmt.where(Tally.department_id == department.id)
    first, last = filters.get("date_from"), filters.get("date_to")
    if first and last:
        periods.check(first, last)
    if first:
        stmt = stmt.where(Tally.date >= first)
    if last:
        stmt = stmt.where(Tally.date <= last)
    if filters.get("activity_id"):
        stmt = stmt.where(Tally.activity_id == filters["activity_id"])
    rows, total = paging.one_page(
        stmt, window, Tally.date.desc(), Tally.created_at.desc(), Tally.id, rows=True
    )
    return [Shown(tally, name) for tally, name in rows], total


def written(tally: Tally) -> Shown:
    """The tally as a PUT answers it: with its activity's name."""
    name = db.session.scalar(
        select(TallyActivity.name).where(TallyActivity.id == tally.activity_id)
    )
    return Shown(tally, name)
