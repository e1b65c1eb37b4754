"""Anonymous surveys (leaders and admins): the surveys of their departments and of the
whole organisation, making one from the ready template or from scratch, changing it (its
questions only while nobody has answered), the next round, the code slips to print and
the results once enough have answered, over the same services and renderers as the API's
survey routes."""

import re
from dataclasses import dataclass, field
from datetime import timedelta

import marshmallow as ma
from flask import Blueprint, flash, redirect, request, url_for

from server import clock
from server.office.pages import (
    CHECK_FIELDS,
    actor,
    chosen_department,
    departments,
    error_texts,
    field_errors,
    for_roles,
    one_page,
    page,
    read_form,
)
from server.reports import survey_results, survey_slips
from server.resources.surveys.schemas import CodesIn, ResultsQuery, SurveyCopyIn, SurveyIn
from server.services import surveys
from server.services.common import scope
from server.services.common.errors import Conflict, Gone, Invalid, NotFound
from server.services.organisation import list_departments
from server.services.storage.paging import Window
from server.web import downloads
from shared import i18n, labels
from shared.i18n import N_, gettext, lazy_gettext
from shared.vocab import QuestionKind, ReportFormat, Role

bp = Blueprint("surveys", __name__, url_prefix="/surveys")
MANAGERS = (Role.LEADER, Role.ADMIN)
# Empty question rows the form offers to fill.
NEW_QUESTIONS = 2
# How long a new survey is open at first, in days (the leader changes it as they like).
FIRST_DAYS = 14
# How many codes the print form offers at first.
FIRST_CODES = 20
FILES = (ReportFormat.PDF, ReportFormat.XLSX)
# The boxes of the survey itself, in the form's order.
BOXES = ("title", "intro", "department_id", "opens_on", "closes_on", "min_responses")
STATUSES = {"planned": N_("Planned"), "open": N_("Open"), "closed": N_("Closed")}
NOT_A_FILE = lazy_gettext("Choose PDF or Excel.")
NOT_SAVED = lazy_gettext(
    "Nothing was saved. What you typed is still in the form: save again to keep your other changes."
)


@dataclass
class Draft:
    """The survey form's boxes: what the survey (or the template) holds, or what was
    typed. A question row is ``{"text", "kind", "options" (one per line), "remove"}``."""

    values: dict[str, str] = field(default_factory=dict)
    questions: list[dict] = field(default_factory=list)


def _kind_names() -> dict[str, str]:
    return {kind.value: labels.label(i18n.texts(), kind) for kind in QuestionKind}


def _empty_question() -> dict:
    return {"text": "", "kind": QuestionKind.SCALE.value, "options": "", "remove": False}


def _question_row(kind, text: str, options: list | None) -> dict:
    return {"text": text, "kind": str(kind), "options": "\n".join(options or []), "remove": False}


def _rows_of(survey) -> list[dict]:
    return [_question_row(q.kind, q.text, q.options) for q in survey.questions]


def _with_empty_rows(rows: list[dict]) -> list[dict]:
    return rows + [_empty_question() for _ in range(NEW_QUESTIONS)]


def _boxes_of(survey) -> dict[str, str]:
    return {
        "title": survey.title,
        "intro": survey.intro or "",
        "department_id": str(survey.department_id or ""),
        "opens_on": survey.opens_on.isoformat(),
        "closes_on": survey.closes_on.isoformat(),
        "min_responses": str(survey.min_responses),
    }


# --- The list ---------------------------------------------------------------------------


def _department_names() -> dict:
    items, _ = list_departments(actor(), {}, Window(0, 1000))
    return {department.id: department.name for department in items}


@bp.get("/")
@for_roles(*MANAGERS)
def index():
    items, pager = one_page(surveys.list_surveys, actor(), {})
    return page(
        "office/surveys/index.html",
        items=items,
        pager=pager,
        names=_department_names(),
        statuses=STATUSES,
    )


# --- A new survey -----------------------------------------------------------------------


def _template_draft() -> Draft:
    """The ready survey in the reader's language, opening today, with the API's default
    threshold, in the department chosen last."""
    today = clock.local_today(scope.organisation(actor()).timezone)
    department = chosen_department()
    values = {
        "title": "",
        "intro": "",
        "department_id": str(department.id) if department else "",
        "opens_on": today.isoformat(),
        "closes_on": (today + timedelta(days=FIRST_DAYS - 1)).isoformat(),
        "min_responses": str(SurveyIn().fields["min_responses"].load_default),
    }
    if request.args.get("start") == "blank":
        return Draft(values, _with_empty_rows([]))
    ready = surveys.work_training(i18n.texts())
    values |= {"title": ready["title"], "intro": ready["intro"]}
    rows = [_question_row(q["kind"], q["text"], q["options"]) for q in ready["questions"]]
    return Draft(values, _with_empty_rows(rows))


@bp.route("/new", methods=["GET", "POST"])
@for_roles(*MANAGERS)
def new():
    if request.method == "GET":
        return _form_page("office/surveys/new.html", _template_draft())
    draft, rows = _posted(BOXES, questions=True)
    try:
        data = _read(draft, rows, BOXES, questions=True)
        survey = surveys.create(actor(), data)
    except Invalid as error:
        return _form_page("office/surveys/new.html", draft, 422, _errors(error, rows))
    flash(gettext("The survey was saved."), "success")
    return redirect(url_for(".show", survey_id=survey.id), 303)


def _form_page(template: str, draft: Draft, status: int = 200, errors=None, **context):
    return page(
        template,
        status,
        draft=draft,
        values=draft.values,
        errors=errors or {},
        message=context.pop("message", None) or (CHECK_FIELDS if errors else None),
        department_options=[(str(d.id), d.name) for d in departments()],
        kinds=list(_kind_names().items()),
        kind_names=_kind_names(),
        **context,
    )


# A row number as a form writes it: ASCII digits only ("²" is a digit to str.isdigit).
_DIGITS = re.compile(r"[0-9]{1,2}")


def _row_numbers() -> list[int]:
    numbers = set()
    for key in request.form:
        parts = key.split("-")
        if len(parts) == 3 and parts[0] == "questions" and _DIGITS.fullmatch(parts[1]):
            numbers.add(int(parts[1]))
    return sorted(numbers)


def _posted(boxes: tuple[str, ...], questions: bool) -> tuple[Draft, list[int]]:
    """The form as sent: the draft to show again, and the form row each question to save
    came from (to put its errors beside its boxes)."""
    form = request.form
    values = {box: form.get(box, "").strip() for box in boxes}
    draft, rows = Draft(values), []
    if not questions:
        return draft, rows
    for number in _row_numbers():
        row = {
            name: form.get(f"questions-{number}-{name}", "").replace("\r\n", "\n").strip()
            for name in ("text", "kind", "options")
        }
        row["remove"] = form.get(f"questions-{number}-remove") == "true"
        draft.questions.append(row)
        if not row["remove"] and (row["text"] or row["options"]):
            rows.append(len(draft.questions) - 1)
    return draft, rows


def _read(draft: Draft, rows: list[int], boxes: tuple[str, ...], questions: bool) -> dict:
    """The survey's boxes and (with ``questions``) its question rows, read by the API's
    schema: the boxes as ``read_form`` reads them, the questions as its list; every error
    by its box."""
    errors = {}
    try:
        data = read_form(SurveyIn(only=[box for box in boxes if box in request.form]))
    except Invalid as error:
        data, errors = {}, field_errors(error)
    if questions:
        try:
            listed = [_question_data(draft.questions[n]) for n in rows]
            data |= SurveyIn(only=["questions"]).load({"questions": listed})
        except ma.ValidationError as error:
            errors |= _by_row(error.messages, rows)
    if errors:
        raise Invalid(errors)
    return data


def _question_data(row: dict) -> dict:
    """A question row as the API's body holds it: a choice's options one per line."""
    options = [line.strip() for line in row["options"].split("\n") if line.strip()]
    return {"text": row["text"], "kind": row["kind"], "options": options or None}


def _by_row(messages: dict, rows: list[int]) -> dict[str, list[str]]:
    """Errors of the questions list (the schema's or the service's) by the box they
    belong to: questions.1.options is the options box of the form row that question came
    from; an error of the whole list stays on ``questions``."""
    errors: dict[str, list[str]] = {}
    for key, value in messages.items():
        if key == "questions" and isinstance(value, dict):
            for index, item in value.items():
                if isinstance(index, int) and index < len(rows) and isinstance(item, dict):
                    for name, texts in item.items():
                        target = f"questions-{rows[index]}-{name}"
                        errors.setdefault(target, []).extend(error_texts(texts))
                else:
                    errors.setdefault(key, []).extend(error_texts(item))
        else:
            errors.setdefault(key, []).extend(error_texts(value))
    return errors


def _errors(error: Invalid, rows: list[int]) -> dict[str, list[str]]:
    """A refused form's errors by box: a question's beside its own boxes."""
    return _by_row(error.field_errors or {}, rows)


# --- One survey -------------------------------------------------------------------------


@bp.get("/<uuid:survey_id>")
@for_roles(*MANAGERS)
def show(survey_id):
    return _survey_page(surveys.managed(actor(), survey_id))


def _survey_page(survey, status: int = 200, **context):
    shown = surveys.shown(survey)
    context.setdefault("codes_values", {"count": str(FIRST_CODES)})
    context.setdefault("codes_warning", None)
    context.setdefault("codes_refused", None)
    previous = None
    if survey.previous_id is not None:
        try:
            previous = surveys.get(actor(), survey.previous_id)
        except NotFound:
            previous = None
    return page(
        "office/surveys/show.html",
        status,
        shown=shown,
        survey=survey,
        previous=previous,
        department_name=_department_names().get(survey.department_id),
        statuses=STATUSES,
        kind_names=_kind_names(),
        codes_errors=context.pop("codes_errors", {}),
        copy_errors=context.pop("copy_errors", {}),
        copy_values=context.pop("copy_values", {}),
        **context,
    )


@bp.route("/<uuid:survey_id>/edit", methods=["GET", "POST"])
@for_roles(*MANAGERS)
def edit(survey_id):
    survey = surveys.managed(actor(), survey_id)
    locked = surveys.shown(survey).responses > 0
    if request.method == "GET":
        rows = _rows_of(survey)
        draft = Draft(_boxes_of(survey), rows if locked else _with_empty_rows(rows))
        return _edit_page(survey, draft, locked)
    # The form shows the question rows while nobody has answered (when it was opened).
    unlocked = bool(_row_numbers())
    boxes = BOXES if unlocked else tuple(box for box in BOXES if box != "department_id")
    draft, rows = _posted(boxes, questions=unlocked)
    try:
        data = _read(draft, rows, boxes, questions=unlocked)
        # What is sent back as it was is not changed: a participant who opened the survey
        # meanwhile answers the same questions, and a form opened before the first answer
        # still saves its title and dates.
        if unlocked and _same_questions(survey, data["questions"]):
            del data["questions"]
        if data.get("department_id", survey.department_id) == survey.department_id:
            data.pop("department_id", None)
        surveys.update(actor(), survey_id, data)
    except Invalid as error:
        return _edit_page(survey, draft, locked, 422, _errors(error, rows))
    except Conflict as error:
        # Someone answered while the form was open: the questions are fixed now.
        survey = surveys.managed(actor(), survey_id)
        message = f"{error.message} {NOT_SAVED}"
        return _edit_page(survey, Draft(draft.values, _rows_of(survey)), True, 409, message=message)
    flash(gettext("The survey was saved."), "success")
    return redirect(url_for(".show", survey_id=survey_id), 303)


def _same_questions(survey, questions: list[dict]) -> bool:
    def plain(kind, text, options) -> tuple:
        return str(kind), text, tuple(options or ())

    stored = [plain(q.kind, q.text, q.options) for q in survey.questions]
    return stored == [plain(q["kind"], q["text"], q.get("options")) for q in questions]


def _edit_page(survey, draft, locked, status=200, errors=None, message=None):
    return _form_page(
        "office/surveys/edit.html",
        draft,
        status,
        errors,
        survey=survey,
        locked=locked,
        message=message,
    )


@bp.post("/<uuid:survey_id>/copy")
@for_roles(*MANAGERS)
def copy(survey_id):
    survey = surveys.managed(actor(), survey_id)
    try:
        data = read_form(SurveyCopyIn())
        made = surveys.copy(actor(), survey_id, data)
    except Invalid as error:
        values = request.form.to_dict()
        return _survey_page(survey, 422, copy_errors=field_errors(error), copy_values=values)
    flash(gettext("The next round was made, with the same questions and no codes yet."), "success")
    return redirect(url_for(".show", survey_id=made.id), 303)


# --- Code slips -------------------------------------------------------------------------


@bp.post("/<uuid:survey_id>/codes")
@for_roles(*MANAGERS)
def print_codes(survey_id):
    """Make the codes and download their slips; a batch so small that an answer may point
    to a person is made only once the leader has read the warning and confirmed."""
    survey = surveys.managed(actor(), survey_id)
    values = {"count": request.form.get("count", "").strip()}
    try:
        count = read_form(CodesIn())["count"]
    except Invalid as error:
        return _survey_page(survey, 422, codes_errors=field_errors(error), codes_values=values)
    warning = surveys.few_codes_warning(survey, count)
    if warning and request.form.get("confirmed") != "true":
        return _survey_page(survey, codes_values=values, codes_warning=warning)
    try:
        survey, codes = surveys.make_codes(actor(), survey_id, count)
    except Gone as error:
        return _survey_page(survey, 410, codes_values=values, codes_refused=error.message)
    page_url = request.host_url.rstrip("/") + "/s/"
    return downloads.send(survey_slips.render(survey, codes, page_url, i18n.texts()))


# --- Results ----------------------------------------------------------------------------


@bp.get("/<uuid:survey_id>/results")
@for_roles(*MANAGERS)
def results(survey_id):
    outcome = surveys.results(actor(), survey_id)
    return page(
        "office/surveys/results.html",
        results=outcome,
        survey=outcome.survey,
        files=[(f.value, "Excel" if f == ReportFormat.XLSX else f.value.upper()) for f in FILES],
    )


@bp.get("/<uuid:survey_id>/results/file")
@for_roles(*MANAGERS)
def results_file(survey_id):
    query = read_form(ResultsQuery(), form=request.args)
    if query["format"] not in FILES:
        raise Invalid({"format": [NOT_A_FILE]}, NOT_A_FILE)
    outcome = surveys.results(actor(), survey_id)
    return downloads.producer(survey_results.render, ReportFormat(query["format"]))(outcome)
