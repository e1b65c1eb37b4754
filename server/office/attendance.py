"""A participant's attendance: the month as a calendar, and one day with its history and
the form that corrects it."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, redirect, request, url_for
from marshmallow.validate import Range

from server import clock
from server.office.pages import actor, page, read_form
from server.office.templating import label, local_time, timezone
from server.resources.attendance.schemas import AttendanceIn
from server.resources.fields import FIRST_YEAR, LAST_YEAR, Integer, hhmm
from server.services import attendance
from server.services.common.errors import Conflict, Invalid
from shared import i18n
from shared.i18n import N_, gettext
from shared.labels import DAY_CODE_LEGEND, day_code
from shared.vocab import AbsenceReason, AttendanceStatus

bp = Blueprint("attendance", __name__, url_prefix="/participants")

# What a day without an entry shows: expected later, on planned leave, or not expected.
COMING = N_("Expected")
PLANNED_LEAVE = N_("Planned leave")
NOT_EXPECTED = N_("Not expected")
# The service's names of the times, as the form names its boxes.
BOXES = {"check_in_at": "check_in", "check_out_at": "check_out"}


class CorrectionForm(AttendanceIn):
    """The correction form: the API's status, absence reason and note (its very fields, so
    the rules cannot drift apart), the times as the local times of the day, and the
    version of the day's record the form was opened on (0: nothing was recorded)."""

    check_in = hhmm(allow_none=True)
    check_out = hhmm(allow_none=True)
    version = Integer(load_default=0, validate=Range(min=0))

    class Meta(AttendanceIn.Meta):
        exclude = ("participant_id", "date", "check_in_at", "check_out_at", "recorded_at")


@dataclass(frozen=True)
class Cell:
    """A day of the calendar as the grid shows it."""

    day: date
    code: str
    text: str
    key: str
    weekend: bool
    holiday: str | None
    future: bool


def _local_today() -> date:
    return clock.now().astimezone(timezone()).date()


def _month_of(text: str | None) -> date:
    """The first day of the month asked for (``2026-11``), else of this month."""
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        if FIRST_YEAR <= year <= LAST_YEAR:
            return date(year, month, 1)
    except ValueError:
        pass
    return _local_today().replace(day=1)


def _next_month(first: date) -> date:
    return (first + timedelta(days=32)).replace(day=1)


def _cell(grid_day) -> Cell:
    texts = i18n.texts()
    if grid_day.key:
        key = grid_day.key
        code, text = day_code(texts, key), gettext(DAY_CODE_LEGEND[key])
    elif grid_day.on_leave:
        key = "planned_leave"
        code, text = day_code(texts, str(AbsenceReason.LEAVE)), gettext(PLANNED_LEAVE)
    elif grid_day.expected:
        key, code, text = "expected", "", gettext(COMING)
    else:
        key, code, text = "not_expected", "–", gettext(NOT_EXPECTED)
    return Cell(
        day=grid_day.day,
        code=code,
        text=text,
        key=key,
        weekend=grid_day.weekend,
        holiday=grid_day.holiday,
        future=grid_day.future,
    )


@bp.get("/<uuid:participant_id>/attendance")
def month(participant_id):
    first = _month_of(request.args.get("month"))
    last = _next_month(first) - timedelta(days=1)
    found = attendance.participant_days(actor(), participant_id, first, last)
    # Whole weeks, Monday to Sunday, as a calendar shows them; the days of the months
    # around are left blank.
    cells = [None] * first.weekday() + [_cell(day) for day in found.days]
    cells += [None] * (-len(cells) % 7)
    weeks = [cells[start : start + 7] for start in range(0, len(cells), 7)]
    texts = i18n.texts()
    return page(
        "office/attendance/month.html",
        participant=found.participant,
        first=first,
        weeks=weeks,
        summary=found.summary if first <= found.today else None,
        previous=(first - timedelta(days=1)).strftime("%Y-%m"),
        following=_next_month(first).strftime("%Y-%m"),
        legend=[(day_code(texts, key), gettext(text)) for key, text in DAY_CODE_LEGEND.items()],
        reasons=list(AbsenceReason),
    )


def _parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        abort(404)


@bp.get("/<uuid:participant_id>/attendance/<day>")
def day(participant_id, day):
    found = attendance.day_record(actor(), participant_id, _parse_day(day))
    return _day_page(found, _values_of(found))


def _values_of(found) -> dict:
    """The form as the day is recorded, with the user's own note (the one their saving
    replaces; the notes of others stay beside it)."""
    record = found.record
    values = {"note": found.own_note or "", "version": found.version}
    if record is None:
        return {"status": "", "absence_reason": "", "check_in": "", "check_out": "", **values}
    return {
        "status": str(record.status),
        "absence_reason": str(record.absence_reason or ""),
        "check_in": _local(record.check_in_at, found.timezone),
        "check_out": _local(record.check_out_at, found.timezone),
        **values,
    }


def _local(moment: datetime | None, zone: str) -> str:
    if moment is None:
        return ""
    return moment.astimezone(ZoneInfo(zone)).strftime("%H:%M")


def _day_page(
    found, values: dict, status: int = 200, errors: dict | None = None, stale: bool = False
):
    return page(
        "office/attendance/day.html",
        status,
        participant=found.participant,
        found=found,
        values=values,
        errors=errors or {},
        stale=stale,
        reasons=list(AbsenceReason),
        statuses=list(AttendanceStatus),
        month=found.day.strftime("%Y-%m"),
        history=_history(found),
    )


@dataclass(frozen=True)
class Change:
    """One correction of the day as the history table shows it."""

    at: datetime
    who: str
    # (what, before, after), as the page reads them.
    fields: list[tuple[str, str, str]]


def _history(found) -> list[Change]:
    """The day's corrections, newest first."""
    return [
        Change(
            at=change.at,
            who=found.people.get(change.user_id, "–"),
            fields=[
                (gettext(FIELD_NAMES.get(name, name)), _shown(name, before), _shown(name, after))
                for name, (before, after) in change.changes.items()
            ],
        )
        for change in reversed(found.history)
    ]


def _shown(name: str, value) -> str:
    if value is None or value == "":
        return "–"
    if name in ("check_in_at", "check_out_at"):
        return local_time(datetime.fromisoformat(value), "time")
    if name == "status":
        return label(value, AttendanceStatus)
    if name == "absence_reason":
        return label(value, AbsenceReason)
    return str(value)


# The history's field names as the page reads them.
FIELD_NAMES = {
    "status": N_("Status"),
    "absence_reason": N_("Reason"),
    "check_in_at": N_("Checked in"),
    "check_out_at": N_("Checked out"),
    "note": N_("Note"),
}


@bp.post("/<uuid:participant_id>/attendance/<day>")
def correct(participant_id, day):
    when = _parse_day(day)
    try:
        data = read_form(CorrectionForm())
        version = data.pop("version")
        attendance.correct_day(actor(), participant_id, when, data, version)
    except Invalid as error:
        found = attendance.day_record(actor(), participant_id, when)
        errors = {
            BOXES.get(name, name): [str(text) for text in texts]
            for name, texts in (error.field_errors or {}).items()
        }
        return _day_page(found, _typed(), 422, errors)
    except Conflict:
        # Changed meanwhile: what is stored now beside what was typed, and the form at the
        # version stored now, so that saving it again is a choice made knowing both.
        found = attendance.day_record(actor(), participant_id, when)
        return _day_page(found, {**_typed(), "version": found.version}, 409, stale=True)
    flash(gettext("The day was saved."), "success")
    target = url_for(".month", participant_id=participant_id, month=when.strftime("%Y-%m"))
    return redirect(f"{target}#day-{when.isoformat()}", 303)


def _typed() -> dict:
    """The form's boxes as they were posted."""
    return {name: request.form.get(name, "").strip() for name in CorrectionForm().fields}
