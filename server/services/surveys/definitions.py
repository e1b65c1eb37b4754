"""Surveys as leaders make them: for a department, or the whole organisation (no
department), from the ready template or from scratch, copied into the next round.

Every member of staff sees the surveys of their departments and the organisation's
(a facilitator, to run one on the phone); leaders and admins make and change them.
The questions are fixed once the first answer is in: the results would mix otherwise."""

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select

from server import clock
from server.database import db
from server.models import (
    Department,
    Organisation,
    Survey,
    SurveyCode,
    SurveyQuestion,
    SurveyResponse,
)
from server.services.common import scope
from server.services.common.actor import Actor, require_role
from server.services.common.errors import Conflict, Invalid, NotFound
from server.services.storage import paging
from server.services.storage.paging import Window
from shared.i18n import gettext
from shared.vocab import QuestionKind, Role

# Longest a survey stays open.
MAX_DAYS = 366
# Most questions in a survey.
MAX_QUESTIONS = 40
# Answers needed before any result shows, unless the leader says otherwise (never below 3).
DEFAULT_MIN_RESPONSES = 5


@dataclass(frozen=True)
class Shown:
    """A survey with what the list and the page tell of it."""

    survey: Survey
    status: str  # planned, open or closed
    responses: int
    codes_made: int
    codes_used: int


def timezone(survey: Survey) -> str:
    """The time zone whose days the survey opens and closes on."""
    if survey.department_id is not None:
        return db.session.get(Department, survey.department_id).effective_timezone
    return db.session.get(Organisation, survey.organisation_id).timezone


def status(survey: Survey) -> str:
    today = clock.local_today(timezone(survey))
    if today < survey.opens_on:
        return "planned"
    return "open" if today <= survey.closes_on else "closed"


def visible(actor: Actor):
    """The surveys the actor sees: the organisation's, and those of their departments."""
    return select(Survey).where(
        Survey.organisation_id == actor.organisation_id,
        or_(Survey.department_id.is_(None), scope.department_clause(actor, Survey.department_id)),
    )


def get(actor: Actor, survey_id: uuid.UUID) -> Survey:
    survey = db.session.scalars(visible(actor).where(Survey.id == survey_id)).first()
    if survey is None:
        raise NotFound(gettext("Survey not found."))
    return survey


def managed(actor: Actor, survey_id: uuid.UUID) -> Survey:
    """A survey the actor sees (else 404) and manages (else 403): a department's by its
    leaders and the admin; the whole organisation's by the leader who made it and the
    admin (so that no other department's leader changes it for everyone)."""
    survey = get(actor, survey_id)
    require_role(actor, *scope.MANAGERS)
    if survey.department_id is None and survey.created_by_id != actor.user_id:
        require_role(actor, Role.ADMIN)
    return survey


def response_count(survey_id: uuid.UUID) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(SurveyResponse)
        .where(SurveyResponse.survey_id == survey_id)
    )


def shown(survey: Survey) -> Shown:
    made, used = db.session.execute(
        select(func.count(), func.count().filter(SurveyCode.used)).where(
            SurveyCode.survey_id == survey.id
        )
    ).one()
    return Shown(survey, status(survey), response_count(survey.id), made, used)


def list_surveys(actor: Actor, filters: dict, window: Window) -> tuple[list[Shown], int]:
    """GET /surveys: newest round first; ``department_id`` narrows to a department's
    own surveys."""
    stmt = visible(actor)
    if filters.get("department_id"):
        department = scope.get_department(actor, filters["department_id"])
        stmt = stmt.where(Survey.department_id == department.id)
    items, total = paging.one_page(stmt, window, Survey.opens_on.desc(), Survey.id)
    return [shown(survey) for survey in items], total


def _check_dates(opens_on: date, closes_on: date) -> None:
    if closes_on < opens_on:
        raise Invalid({"closes_on": gettext("Must not be before the opening date.")})
    if (closes_on - opens_on).days >= MAX_DAYS:
        raise Invalid({"closes_on": gettext("A survey is open for at most a year.")})


def _check_questions(questions: list[dict]) -> None:
    errors = {}
    for number, question in enumerate(questions):
        options = question.get("options") or None
        if question["kind"] == QuestionKind.CHOICE:
            if not options or len(options) < 2:
                errors[number] = {"options": [gettext("A choice needs at least two options.")]}
            elif len({option.casefold() for option in options}) != len(options):
                errors[number] = {"options": [gettext("Two options have the same text.")]}
        elif options:
            errors[number] = {"options": [gettext("Only a choice has options.")]}
    if errors:
        raise Invalid({"questions": errors})


def _department_id(actor: Actor, department_id: uuid.UUID | None) -> uuid.UUID | None:
    """An open department the actor may put a survey in, or none: the whole organisation."""
    if department_id is None:
        return None
    return scope.writable_department(actor, department_id).id


def _questions(data: list[dict], copied_from: dict | None = None) -> list[SurveyQuestion]:
    copied_from = copied_from or {}
    return [
        SurveyQuestion(
            position=position,
            kind=QuestionKind(question["kind"]),
            text=question["text"],
            options=list(question["options"]) if question.get("options") else None,
            copied_from_id=copied_from.get(position),
        )
        for position, question in enumerate(data, 1)
    ]


def create(actor: Actor, data: dict) -> Survey:
    """POST /surveys (leader, admin)."""
    require_role(actor, *scope.MANAGERS)
    _check_dates(data["opens_on"], data["closes_on"])
    _check_questions(data["questions"])
    survey = Survey(
        organisation_id=actor.organisation_id,
        department_id=_department_id(actor, data.get("department_id")),
        title=data["title"],
        intro=data.get("intro"),
        opens_on=data["opens_on"],
        closes_on=data["closes_on"],
        min_responses=data.get("min_responses", DEFAULT_MIN_RESPONSES),
        created_by_id=actor.user_id,
        questions=_questions(data["questions"]),
    )
    db.session.add(survey)
    db.session.commit()
    return survey


def _same_questions(survey: Survey, questions: list[dict]) -> bool:
    stored = [(q.kind, q.text, list(q.options or [])) for q in survey.questions]
    given = [(q["kind"], q["text"], list(q.get("options") or [])) for q in questions]
    return stored == given


def _check_fixed(survey: Survey, data: dict) -> None:
    """Once someone has answered, the round's questions, department and opening day stay
    (a new opening day would give later answers a date of their own); so do the questions
    of a round a next round repeats. Sending them unchanged is no change."""
    questions = "questions" in data and not _same_questions(survey, data["questions"])
    if questions and db.session.scalar(select(Survey.id).where(Survey.previous_id == survey.id)):
        raise Conflict(gettext("The next round repeats these questions: they stay as they are."))
    if response_count(survey.id) == 0:
        return
    if questions:
        raise Conflict(gettext("Someone has answered already: the questions stay as they are."))
    if "department_id" in data and data["department_id"] != survey.department_id:
        raise Conflict(gettext("Someone has answered already: the survey stays where it is."))
    if "opens_on" in data and data["opens_on"] != survey.opens_on:
        raise Conflict(gettext("Someone has answered already: the opening day stays as it is."))


def update(actor: Actor, survey_id: uuid.UUID, data: dict) -> Survey:
    """PATCH /surveys/{id} (leader, admin): the title, the texts, the dates, the threshold;
    the questions, the department and the opening day only while nobody has answered."""
    survey = managed(actor, survey_id)
    _check_fixed(survey, data)
    _check_dates(data.get("opens_on", survey.opens_on), data.get("closes_on", survey.closes_on))
    for field in ("title", "intro", "opens_on", "closes_on", "min_responses"):
        if field in data:
            setattr(survey, field, data[field])
    if "department_id" in data and data["department_id"] != survey.department_id:
        survey.department_id = _department_id(actor, data["department_id"])
    if "questions" in data and not _same_questions(survey, data["questions"]):
        _check_questions(data["questions"])
        copied = {question.position: question.copied_from_id for question in survey.questions}
        survey.questions = _questions(data["questions"], copied)
    db.session.commit()
    return survey


def copy(actor: Actor, survey_id: uuid.UUID, data: dict) -> Survey:
    """POST /surveys/{id}/copy (leader, admin): the next round of a survey, with the same
    questions (each naming the one it repeats), new dates and no codes."""
    source = managed(actor, survey_id)
    _check_dates(data["opens_on"], data["closes_on"])
    if source.department_id is not None:
        scope.writable_department(actor, source.department_id)
    survey = Survey(
        organisation_id=source.organisation_id,
        department_id=source.department_id,
        title=data.get("title") or source.title,
        intro=source.intro,
        opens_on=data["opens_on"],
        closes_on=data["closes_on"],
        min_responses=source.min_responses,
        previous_id=source.id,
        created_by_id=actor.user_id,
        questions=[
            SurveyQuestion(
                position=question.position,
                kind=question.kind,
                text=question.text,
                options=question.options,
                copied_from_id=question.id,
            )
            for question in source.questions
        ],
    )
    db.session.add(survey)
    db.session.commit()
    return survey
