"""Responsibility-group meetings (ansvarsgruppemøter): a department's meetings, planning one,
writing it up, its action items and the summary for the members as a PDF, over the same
services as the API's meeting routes."""

import uuid
from datetime import datetime
from itertools import zip_longest

import marshmallow as ma
from flask import Blueprint, flash, redirect, request, url_for

from server.database import db
from server.office.pages import (
    Merge,
    actor,
    chosen_department,
    departments,
    field_errors,
    for_roles,
    one_page,
    page,
    read_form,
    uuid_arg,
)
from server.office.templating import label, local_time, timezone
from server.reports import meeting_summary
from server.resources.fields import Timestamp
from server.resources.meetings.schemas import (
    ActionIn,
    ActionPatch,
    MeetingIn,
    MeetingPatch,
    MemberIn,
)
from server.services import meetings, participants
from server.services.common.errors import Conflict, Invalid
from server.services.storage.paging import Window
from server.web import downloads
from shared import i18n
from shared.i18n import gettext, lazy_gettext
from shared.vocab import MeetingStatus, ParticipantStatus, Role

bp = Blueprint("meetings", __name__, url_prefix="/meetings")
MANAGERS = (Role.LEADER, Role.ADMIN)
# Empty rows for members from outside the group on the planning form.
NEW_MEMBER_ROWS = 3
# At most this many participants in the planning form's list to choose from.
CHOOSABLE = 1000
# The boxes of the write-up, in the order shown, with their names.
WRITE_UP = {
    "scheduled_at": lazy_gettext("Date and time"),
    "location": lazy_gettext("Place"),
    "status": lazy_gettext("Status"),
    "agenda": lazy_gettext("Agenda"),
    "minutes": lazy_gettext("Minutes"),
    "decisions": lazy_gettext("Decisions"),
    "next_meeting_at": lazy_gettext("Next meeting"),
}
# Boxes for a date and time, in the organisation's clocks.
MOMENTS = {"scheduled_at", "next_meeting_at"}
STALE = lazy_gettext(
    "Someone else changed this meeting while you had the form open. Nothing has been "
    "saved yet: look at the differences below, then save again."
)
STALE_CANCEL = lazy_gettext(
    "Someone else changed this meeting since you opened it. Look at it again and then "
    "cancel it if it still should be."
)


class LocalMoment(Timestamp):
    """A time typed in a date-and-time box: the organisation's clocks, without an offset."""

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            moment = datetime.fromisoformat(value)
        except (TypeError, ValueError):
            raise self.make_error("invalid", input=value, obj_type=self.OBJ_TYPE) from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone())
        return super()._deserialize(moment.isoformat(timespec="seconds"), attr, data, **kwargs)


PlanForm = MeetingIn.from_dict({"scheduled_at": LocalMoment(required=True)}, name="PlanForm")
WriteUpForm = MeetingPatch.from_dict(
    {"scheduled_at": LocalMoment(), "next_meeting_at": LocalMoment(allow_none=True)},
    name="WriteUpForm",
)


def local_input(moment: datetime | None) -> str:
    """A stored moment as a date-and-time box shows it, in the organisation's time."""
    if moment is None:
        return ""
    return moment.astimezone(timezone()).strftime("%Y-%m-%dT%H:%M")


def status_arg() -> MeetingStatus | None:
    try:
        return MeetingStatus(request.args.get("status", ""))
    except ValueError:
        return None


# --- The department's meetings ----------------------------------------------------------


@bp.get("/")
def index():
    visible = departments()
    department = chosen_department(visible)
    status = status_arg()
    if department is None:
        return page("office/meetings/index.html", departments=visible, department=None)
    items, pager = one_page(
        meetings.list_for_department,
        actor(),
        {"department_id": department.id, "status": status},
    )
    return page(
        "office/meetings/index.html",
        departments=visible,
        department=department,
        status=status,
        statuses=list(MeetingStatus),
        items=items,
        pager=pager,
        now=datetime.now(timezone()),
    )


# --- Planning a meeting -----------------------------------------------------------------


@bp.route("/new", methods=["GET", "POST"])
@for_roles(*MANAGERS)
def new():
    participant_id = uuid_arg("participant")
    if participant_id is None:
        visible = departments()
        department = chosen_department(visible)
        choices, _ = (
            participants.list_participants(
                actor(),
                {"department_id": department.id, "status": ParticipantStatus.ACTIVE},
                Window(0, CHOOSABLE),
            )
            if department
            else ([], 0)
        )
        return page(
            "office/meetings/choose.html",
            departments=visible,
            department=department,
            choices=choices,
        )
    participant = participants.get_participant(actor(), participant_id)
    group = meetings.group(actor(), participant.id)
    if request.method == "GET":
        values = {"id": str(uuid.uuid4())}
        return plan_page(participant, group, values, {member.id for member in group})
    values = request.form.to_dict()
    chosen = set(request.form.getlist("member"))
    try:
        errors = {}
        try:
            data = read_form(PlanForm())
        except Invalid as error:
            errors |= field_errors(error)
        members, member_errors = members_given(group)
        errors |= member_errors
        if errors:
            raise Invalid(errors)
        data["members"] = members
        shown, _etag, _created = meetings.create(actor(), participant.id, data)
    except Invalid as error:
        return plan_page(participant, group, values, chosen, field_errors(error), 422)
    except Conflict as error:
        return plan_page(participant, group, values, chosen, {}, 409, error.message)
    return redirect(url_for(".show", meeting_id=shown.meeting.id), 303)


def members_given(group) -> tuple[list[dict], dict[str, list[str]]]:
    """The members ticked from the group, and those typed in the rows for new ones, read by
    the API's member schema; the errors by row."""
    by_id = {str(member.id): member for member in group}
    members = [
        {"id": member.id, "name": member.name, "organisation": member.organisation}
        for key in request.form.getlist("member")
        if (member := by_id.get(key))
    ]
    errors = {}
    rows = zip_longest(
        *(request.form.getlist(f"new_{f}") for f in ("name", "organisation", "role"))
    )
    for index, row in enumerate(rows):
        name, organisation, role = ((value or "").strip() for value in row)
        if not (name or organisation or role):
            continue
        try:
            members.append(
                MemberIn().load({"name": name, "organisation": organisation, "role": role or None})
            )
        except ma.ValidationError as error:
            texts = [str(text) for messages in error.messages.values() for text in messages]
            errors[f"new-member-{index}"] = texts
    return members, errors


def typed_rows() -> list[tuple[str, str, str]]:
    """The rows for new members as posted: (name, organisation, role)."""
    columns = (request.form.getlist(f"new_{name}") for name in ("name", "organisation", "role"))
    return list(zip_longest(*columns, fillvalue=""))


def plan_page(participant, group, values, chosen, errors=None, status=200, message=None):
    typed = typed_rows()
    rows = typed + [("", "", "")] * max(0, NEW_MEMBER_ROWS - len(typed))
    return page(
        "office/meetings/new.html",
        status,
        participant=participant,
        group=group,
        values=values,
        chosen={str(member_id) for member_id in chosen},
        rows=rows,
        errors=errors or {},
        message=message,
    )


# --- One meeting ------------------------------------------------------------------------


@bp.get("/<uuid:meeting_id>")
def show(meeting_id):
    shown, etag = meetings.get(actor(), meeting_id)
    return meeting_page(shown, etag)


def meeting_page(shown, etag, status=200, **context):
    context.setdefault("action_values", {"id": str(uuid.uuid4())})
    context.setdefault("changing", None)
    context.setdefault("changed_values", {})
    context.setdefault("message", None)
    return page(
        "office/meetings/show.html",
        status,
        shown=shown,
        meeting=shown.meeting,
        participant=shown.participant,
        version=etag,
        may_manage=actor().role in MANAGERS,
        errors=context.pop("errors", {}),
        **context,
    )


@bp.post("/<uuid:meeting_id>/cancel")
@for_roles(*MANAGERS)
def cancel(meeting_id):
    version = request.form.get("version", "")
    try:
        meetings.update(
            actor(), meeting_id, {"status": MeetingStatus.CANCELLED}, frozenset({version})
        )
    except meetings.Stale as stale:
        return meeting_page(stale.current, stale.current_etag, 409, message=STALE_CANCEL)
    return redirect(url_for(".show", meeting_id=meeting_id), 303)


@bp.route("/<uuid:meeting_id>/edit", methods=["GET", "POST"])
@for_roles(*MANAGERS)
def edit(meeting_id):
    if request.method == "GET":
        shown, etag = meetings.get(actor(), meeting_id)
        stored = write_up_boxes(shown)
        return write_up_page(shown, etag, stored, stored)
    # Only the boxes changed since the form was opened are sent: a box left as it was
    # never undoes what someone else saved meanwhile.
    merge = Merge.posted(WRITE_UP)
    version = request.form.get("version", "").strip()
    changed = merge.changed
    if not changed:
        flash(gettext("Nothing was changed."), "info")
        return redirect(url_for(".show", meeting_id=meeting_id), 303)
    try:
        data = read_form(WriteUpForm(only=changed), partial=True)
        meetings.update(actor(), meeting_id, data, frozenset({version}))
    except meetings.Stale as stale:
        # The form again at the version stored now: saving again sends this form's own
        # changes, over what the other person saved.
        stored = write_up_boxes(stale.current)
        return write_up_page(
            stale.current,
            stale.current_etag,
            merge.values(stored),
            stored,
            status=409,
            differences=merge.differences(stored, WRITE_UP, readable),
        )
    except Invalid as error:
        # Nothing of the refused change may reach the database with the next read.
        db.session.rollback()
        shown, _etag = meetings.get(actor(), meeting_id)
        return write_up_page(shown, version, merge.typed, merge.originals, field_errors(error), 422)
    return redirect(url_for(".show", meeting_id=meeting_id), 303)


def write_up_boxes(shown) -> dict[str, str]:
    """The write-up's boxes as stored, as the form shows them (without the minutes where
    the actor may not read them)."""
    boxes = {}
    for field in WRITE_UP:
        if field == "minutes":
            if shown.minutes_withheld:
                continue
            value = shown.minutes
        else:
            value = getattr(shown.meeting, field)
        if field in MOMENTS:
            boxes[field] = local_input(value)
        else:
            boxes[field] = "" if value is None else str(value)
    return boxes


def readable(field: str, text: str) -> str:
    """A write-up box's text as a person reads it: the time written out, the status named."""
    if field in MOMENTS:
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return text
        return local_time(moment if moment.tzinfo else moment.replace(tzinfo=timezone()))
    if field == "status":
        try:
            return label(MeetingStatus(text))
        except ValueError:
            return text
    return text


def write_up_page(shown, version, values, originals, errors=None, status=200, differences=None):
    return page(
        "office/meetings/edit.html",
        status,
        shown=shown,
        meeting=shown.meeting,
        participant=shown.participant,
        version=version,
        values=values,
        originals=originals,
        errors=errors or {},
        statuses=[(s.value, label(s)) for s in MeetingStatus],
        differences=differences or [],
        stale=STALE if status == 409 else None,
    )


# --- Action items -----------------------------------------------------------------------


@bp.post("/<uuid:meeting_id>/actions")
@for_roles(*MANAGERS)
def add_action(meeting_id):
    try:
        data = read_form(ActionIn())
        meetings.add_action(actor(), meeting_id, data)
    except Invalid as error:
        shown, etag = meetings.get(actor(), meeting_id)
        return meeting_page(
            shown,
            etag,
            422,
            errors=field_errors(error),
            action_values=request.form.to_dict(),
        )
    except Conflict as error:
        shown, etag = meetings.get(actor(), meeting_id)
        return meeting_page(shown, etag, 409, message=error.message)
    return redirect(url_for(".show", meeting_id=meeting_id, _anchor="actions"), 303)


@bp.post("/<uuid:meeting_id>/actions/<uuid:action_id>")
def update_action(meeting_id, action_id):
    try:
        data = read_form(ActionPatch(), partial=True)
        meetings.update_action(actor(), meeting_id, action_id, data)
    except Invalid as error:
        shown, etag = meetings.get(actor(), meeting_id)
        return meeting_page(
            shown,
            etag,
            422,
            errors=field_errors(error),
            changing=str(action_id),
            changed_values=request.form.to_dict(),
        )
    return redirect(url_for(".show", meeting_id=meeting_id, _anchor="actions"), 303)


# --- The summary for the members --------------------------------------------------------


@bp.get("/<uuid:meeting_id>/summary.pdf")
def summary(meeting_id):
    meeting, participant = meetings.summary(actor(), meeting_id)
    return downloads.send(meeting_summary.summary_file(meeting, participant, i18n.texts()))
