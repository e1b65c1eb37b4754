"""Participants: the department's list, enrolling, a participant's overview, changing them
(a form read at one version and saved against it, merged with someone else's change rather
than overwriting it), ending their time in the programme, their follow-ups, their meetings
and who has read or changed their data."""

import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, flash, redirect, request, url_for
from werkzeug.datastructures import MultiDict

from server import clock
from server.database import db
from server.office.pages import (
    Merge,
    actor,
    chosen_department,
    departments,
    one_page,
    page,
    posted_boxes,
    read_form,
    uuid_arg,
)
from server.office.templating import label
from server.resources.followups.schemas import FollowUpIn
from server.resources.participants.schemas import (
    EndSchema,
    ParticipantSchema,
    ParticipantUpdateSchema,
)
from server.services import followups, groups, meetings, participants
from server.services.common import access_log, scope
from server.services.common.errors import Invalid, NotFound, PreconditionFailed
from server.services.storage.paging import Window
from shared import i18n
from shared.i18n import gettext, lazy_gettext
from shared.vocab import (
    Country,
    EnrolmentType,
    FollowUpKind,
    Gender,
    Outcome,
    ParticipantStatus,
    Participation,
)

bp = Blueprint("participants", __name__, url_prefix="/participants")

# The boxes of a participant's form, in the order shown, with their names.
LABELS = {
    "first_name": lazy_gettext("First name"),
    "last_name": lazy_gettext("Last name"),
    "department_id": lazy_gettext("Department"),
    "status": lazy_gettext("Status"),
    "phone": lazy_gettext("Phone"),
    "gender": lazy_gettext("Gender"),
    "birth_year": lazy_gettext("Year of birth"),
    "start_date": lazy_gettext("Start date"),
    "planned_end_date": lazy_gettext("Planned end"),
    "nav_office": lazy_gettext("NAV office"),
    "nav_contact": lazy_gettext("NAV contact"),
    "consent_nav_reporting": lazy_gettext("Consents to reporting to NAV"),
    "group_id": lazy_gettext("Group"),
    "enrolment_type": lazy_gettext("Enrolment type"),
    "participation": lazy_gettext("Participation"),
    "days_per_week": lazy_gettext("Days a week"),
}
# Boxes only some forms show: the enrolment type where the country has types, the status
# (active or paused) on the change form of someone who has not ended.
COUNTRY_FIELDS = {"enrolment_type"}
CHANGE_ONLY = {"status"}
CHECKBOXES = {"consent_nav_reporting"}
# How many groups and departments a form offers at most.
CHOICES = 500
END_LABELS = {"end_date": lazy_gettext("End date"), "outcome": lazy_gettext("Outcome")}
FOLLOWUP_LABELS = {
    "kind": lazy_gettext("Kind"),
    "occurred_at": lazy_gettext("When"),
    "duration_minutes": lazy_gettext("Minutes (optional)"),
    "note": lazy_gettext("Note (optional)"),
}
STALE = lazy_gettext(
    "Someone else changed this participant while you had the form open. Nothing has been "
    "saved yet: look at the differences below, then save again."
)


# --------------------------------------------------------------------------------------
# The form's values: text in boxes, as stored and as typed


def _text(value) -> str:
    """A stored value as a box shows it (and sends it back)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _stored(participant, fields) -> dict[str, str]:
    return {field: _text(getattr(participant, field)) for field in fields}


def _fields(*, change: bool, ended: bool = False) -> list[str]:
    danish = actor().country == Country.DENMARK
    return [
        field
        for field in LABELS
        if (danish or field not in COUNTRY_FIELDS)
        and (change and not ended or field not in CHANGE_ONLY)
    ]


def _options(department_list) -> dict[str, list[tuple[str, str]]]:
    """The choices of the form's select boxes: (value, text)."""
    many = len(department_list) > 1
    group_options = []
    for department in department_list:
        found, _ = groups.list_groups(actor(), department.id, {"active": True}, Window(0, CHOICES))
        group_options += [
            (str(group.id), f"{group.name} ({department.name})" if many else group.name)
            for group in found
        ]
    return {
        "department_id": [(str(d.id), d.name) for d in department_list],
        "gender": [(value.value, label(value)) for value in Gender],
        "group_id": group_options,
        "enrolment_type": [(value.value, label(value)) for value in EnrolmentType],
        "participation": [(value.value, label(value)) for value in Participation],
        "status": [
            (value.value, label(value))
            for value in (ParticipantStatus.ACTIVE, ParticipantStatus.PAUSED)
        ],
    }


def _choices(participant=None) -> list:
    """The departments a form offers: those the actor sees, and the participant's own
    whatever it is (a select box without it would quietly send another one)."""
    visible = departments()
    if participant is not None and participant.department_id not in {d.id for d in visible}:
        visible = [participant.department, *visible]
    return visible


def _form_page(template: str, status: int = 200, **context):
    visible = context.pop("department_list", None) or _choices(context.get("participant"))
    return page(template, status, labels=LABELS, options=_options(visible), **context)


# --------------------------------------------------------------------------------------
# The list


@bp.get("/")
def index():
    visible = departments()
    department = chosen_department(visible)
    if department is None:
        return page("office/participants/index.html", department=None, departments=visible)
    department_groups, _ = groups.list_groups(actor(), department.id, {}, Window(0, CHOICES))
    status = request.args.get("status", "")
    chosen = {
        "q": request.args.get("q", "").strip()[:80],
        "status": status if status in set(ParticipantStatus) else "",
        "group": uuid_arg("group"),
    }
    filters = {"department_id": department.id, "q": chosen["q"], "status": chosen["status"]}
    if chosen["group"] in {group.id for group in department_groups}:
        filters["group_id"] = chosen["group"]
    items, pager = one_page(participants.list_participants, actor(), filters)
    return page(
        "office/participants/index.html",
        departments=visible,
        department=department,
        group_names={group.id: group.name for group in department_groups},
        group_options=[(str(group.id), group.name) for group in department_groups],
        chosen=chosen,
        statuses=[(value.value, label(value)) for value in ParticipantStatus],
        items=items,
        pager=pager,
    )


# --------------------------------------------------------------------------------------
# Enrolling


@bp.route("/new", methods=["GET", "POST"])
def new():
    if request.method == "POST":
        return _create()
    visible = departments()
    department = chosen_department(visible)
    values = {field: "" for field in _fields(change=False)}
    values.update(
        department_id=str(department.id) if department else "",
        consent_nav_reporting="false",
        gender="",
    )
    if department is not None:
        values["start_date"] = clock.local_today(department.effective_timezone).isoformat()
    return _form_page(
        "office/participants/new.html",
        department_list=visible,
        fields=_fields(change=False),
        values=values,
        errors={},
    )


def _create():
    fields = _fields(change=False)
    try:
        data = read_form(ParticipantSchema(only=fields))
        participant = participants.create_participant(actor(), data)
    except Invalid as refused:
        db.session.rollback()
        return _form_page(
            "office/participants/new.html",
            422,
            fields=fields,
            values=posted_boxes(fields),
            errors=refused.field_errors or {},
        )
    # The flash travels in the session cookie: it names no one (the page it leads to does).
    flash(
        gettext("The participant is enrolled."),
        "info",
    )
    return redirect(url_for(".show", participant_id=participant.id), 303)


# --------------------------------------------------------------------------------------
# The overview


@bp.get("/<uuid:participant_id>")
def show(participant_id):
    overview = participants.overview(actor(), participant_id)
    return page(
        "office/participants/show.html",
        overview=overview,
        participant=overview.participant,
        meeting_page="office.meetings.show" in current_app.view_functions,
    )


# --------------------------------------------------------------------------------------
# Changing: saved against the version the form was read at


def _shown(field: str, text: str, options: dict) -> str:
    """A box's value as a person reads it: the option's name, the date written out."""
    if field in CHECKBOXES:
        return gettext("Yes") if text == "true" else gettext("No")
    if field in options:
        return dict(options[field]).get(text, text)
    if field.endswith("_date"):
        try:
            return i18n.texts().date(date.fromisoformat(text), "medium")
        except ValueError:
            return text
    return text


@bp.route("/<uuid:participant_id>/edit", methods=["GET", "POST"])
def edit(participant_id):
    if request.method == "POST":
        return _update(participant_id)
    participant = participants.get_participant(actor(), participant_id)
    fields = _fields(change=True, ended=participant.status == ParticipantStatus.ENDED)
    stored = _stored(participant, fields)
    return _form_page(
        "office/participants/edit.html",
        participant=participant,
        fields=fields,
        values=stored,
        originals=stored,
        version=participants.etag(participant),
        errors={},
        differences=[],
    )


def _update(participant_id):
    who = actor()
    # The boxes the form showed (it carries what each held when it was read).
    merge = Merge.posted(LABELS)
    version = request.form.get("version", "").strip()
    changed = merge.changed
    if not changed:
        flash(gettext("Nothing was changed."), "info")
        return redirect(url_for(".show", participant_id=participant_id), 303)
    try:
        data = read_form(ParticipantUpdateSchema(only=changed), partial=True)
        expected = frozenset({version}) if version else None
        participants.update_participant(who, participant_id, data, expected)
    except Invalid as refused:
        db.session.rollback()
        participant = participants.get_participant(who, participant_id)
        return _form_page(
            "office/participants/edit.html",
            422,
            participant=participant,
            fields=list(merge.fields),
            values=merge.typed,
            originals=merge.originals,
            version=version,
            errors=refused.field_errors or {},
            differences=[],
        )
    except PreconditionFailed:
        db.session.rollback()
        return _merge_page(participant_id, merge)
    flash(gettext("The changes are saved."), "info")
    return redirect(url_for(".show", participant_id=participant_id), 303)


def _merge_page(participant_id, merge: Merge):
    """The form again at the version stored now (409): the boxes this form changed keep
    what was typed, the others show what is stored now, so that saving again sends only
    this form's changes; the boxes someone else changed are listed side by side."""
    participant = participants.get_participant(actor(), participant_id)
    fields = list(merge.fields)
    if participant.status == ParticipantStatus.ENDED:
        # Ended meanwhile: the status is no longer this form's to change.
        fields = [field for field in fields if field not in CHANGE_ONLY]
    stored = _stored(participant, fields)
    options = _options(_choices(participant))
    values = merge.values(stored)
    differences = merge.differences(
        stored, LABELS, lambda field, text: _shown(field, text, options)
    )
    return page(
        "office/participants/edit.html",
        409,
        labels=LABELS,
        options=options,
        participant=participant,
        fields=fields,
        values=values,
        originals=stored,
        version=participants.etag(participant),
        errors={},
        differences=differences,
        stale=STALE,
    )


# --------------------------------------------------------------------------------------
# Ending


def _outcomes():
    return [(value.value, label(value)) for value in Outcome]


@bp.route("/<uuid:participant_id>/end", methods=["GET", "POST"])
def end(participant_id):
    if request.method == "POST":
        return _finish(participant_id)
    participant = participants.get_participant(actor(), participant_id)
    today = clock.local_today(participant.department.effective_timezone)
    return page(
        "office/participants/end.html",
        participant=participant,
        values={"end_date": today.isoformat(), "outcome": ""},
        outcomes=_outcomes(),
        labels=END_LABELS,
        errors={},
    )


def _finish(participant_id):
    try:
        data = read_form(EndSchema())
        participant = participants.end_participant(actor(), participant_id, data)
    except Invalid as refused:
        db.session.rollback()
        return page(
            "office/participants/end.html",
            422,
            participant=participants.get_participant(actor(), participant_id),
            values=posted_boxes(("end_date", "outcome")),
            outcomes=_outcomes(),
            labels=END_LABELS,
            errors=refused.field_errors or {},
        )
    # The flash travels in the session cookie: it names no one (the page it leads to does).
    flash(
        gettext("The participation has ended: %(outcome)s.")
        % {"outcome": label(participant.outcome)},
        "info",
    )
    return redirect(url_for(".show", participant_id=participant_id), 303)


# --------------------------------------------------------------------------------------
# Follow-ups


def _now_local(participant) -> str:
    moment = clock.now().astimezone(ZoneInfo(participant.department.effective_timezone))
    return moment.strftime("%Y-%m-%dT%H:%M")


def _followups_page(participant_id, status: int = 200, **form):
    who = actor()
    participant = participants.get_participant(who, participant_id)
    items, pager = one_page(followups.list_followups, who, {"participant_id": participant.id})
    # A note is read one follow-up at a time (and each read is logged), where asked for.
    note = None
    wanted = uuid_arg("note")
    if wanted is not None:
        note = followups.get(who, wanted)
        if note.followup.participant_id != participant.id:
            raise NotFound()
    defaults = {
        "values": {
            "kind": "",
            "occurred_at": _now_local(participant),
            "duration_minutes": "",
            "note": "",
        },
        "errors": {},
        "client_id": str(uuid.uuid4()),
    }
    return page(
        "office/participants/followups.html",
        status,
        labels=FOLLOWUP_LABELS,
        participant=participant,
        items=items,
        pager=pager,
        note=note,
        # Only the staff of the department log follow-ups and read their notes.
        department_staff=scope.works_in(who, participant.department_id),
        kinds=[(value.value, label(value)) for value in FollowUpKind],
        **{**defaults, **form},
    )


@bp.route("/<uuid:participant_id>/followups", methods=["GET", "POST"], endpoint="followups")
def followups_page(participant_id):
    if request.method == "POST":
        return _log_followup(participant_id)
    return _followups_page(participant_id)


def _aware(text: str, timezone: str) -> str:
    """A datetime-local box (the organisation's clock) as the RFC 3339 moment the API's
    field reads; the text itself if it is no such value (the field then says so)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(timezone))
    return moment.replace(microsecond=0).isoformat()


def _log_followup(participant_id):
    who = actor()
    participant = participants.get_participant(who, participant_id)
    fields = ("kind", "occurred_at", "duration_minutes", "note")
    typed = posted_boxes(fields)
    try:
        # The form's own id: sent twice (a double click, a reload), it logs one follow-up.
        client_id = uuid.UUID(request.form.get("client_id", ""))
    except ValueError:
        client_id = uuid.uuid4()
    form = MultiDict(request.form)
    form["participant_id"] = str(participant.id)
    form["occurred_at"] = _aware(typed["occurred_at"], participant.department.effective_timezone)
    try:
        data = read_form(FollowUpIn(), form=form)
        followups.put(who, client_id, data)
    except Invalid as refused:
        db.session.rollback()
        return _followups_page(
            participant_id,
            422,
            values=typed,
            errors=refused.field_errors or {},
            client_id=str(client_id),
        )
    flash(gettext("The follow-up is logged."), "info")
    return redirect(url_for(".followups", participant_id=participant_id), 303)


# --------------------------------------------------------------------------------------
# Meetings and the access log


@bp.get("/<uuid:participant_id>/meetings", endpoint="meetings")
def meetings_page(participant_id):
    who = actor()
    participant = participants.get_participant(who, participant_id)
    items, pager = one_page(meetings.list_for_participant, who, participant.id)
    views = current_app.view_functions
    return page(
        "office/participants/meetings.html",
        participant=participant,
        items=items,
        pager=pager,
        meeting_page="office.meetings.show" in views,
        # Leaders and admins plan meetings (the meetings service's rule).
        planning_page="office.meetings.new" in views and who.role in scope.MANAGERS,
    )


@bp.get("/<uuid:participant_id>/access-log", endpoint="access_log")
def access_log_page(participant_id):
    who = actor()
    # The log first: it decides who may read it (leaders and admins).
    items, pager = one_page(access_log.for_participant, who, participant_id)
    participant = participants.get_participant(who, participant_id)
    return page(
        "office/participants/access_log.html",
        participant=participant,
        items=items,
        pager=pager,
    )
