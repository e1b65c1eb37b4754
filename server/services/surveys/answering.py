"""Answering a survey with a code: on the participant's own phone (no login, the public
endpoints) or on a phone a facilitator hands over (the kiosk, which sends its answers in
shuffled batches).

A code is checked (unknown 404, used 409, survey not open 410), the answers are checked
against the questions (422), and then, in one transaction, the code is marked used, on
the condition that it still is not (two answers racing with one code: the second finds
it used, 409), and the response is added: the survey, the round's date and the answers,
nothing that names the code, the caller or the time."""

import re
import uuid
from dataclasses import dataclass

from sqlalchemy import select, update

from server.database import db
from server.models import Organisation, Survey, SurveyCode, SurveyResponse
from server.services.common import scope
from server.services.common.actor import Actor
from server.services.common.errors import (
    Conflict,
    Forbidden,
    Gone,
    Invalid,
    NotFound,
    ServiceError,
)
from server.services.surveys import codes, definitions, guesses
from shared.i18n import gettext, ngettext
from shared.vocab import QuestionKind

# The longest free-text answer.
MAX_TEXT = 2000
# Control characters other than tab and line breaks: no one types them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Most answers one kiosk batch carries.
MAX_BATCH = 50


@dataclass(frozen=True)
class Opened:
    """A survey as the participant sees it once their code is accepted."""

    survey: Survey
    language: str


def _stored_code(code: str) -> SurveyCode | None:
    """The stored code a typed one stands for, if any."""
    return db.session.get(SurveyCode, codes.digest(code)) if codes.well_formed(code) else None


def _code_row(code: str, address: str | None) -> SurveyCode:
    guesses.check(address)
    row = _stored_code(code)
    if row is None:
        guesses.missed(address)
        raise NotFound(gettext("Unknown code. Check that it is typed as it stands on the slip."))
    return row


def _usable(row: SurveyCode) -> Survey:
    if row.used:
        raise Conflict(gettext("This code has been used. Each code gives one answer."))
    survey = db.session.get(Survey, row.survey_id)
    state = definitions.status(survey)
    if state == "planned":
        raise Gone(gettext("The survey has not opened yet."))
    if state == "closed":
        raise Gone(gettext("The survey has closed."))
    return survey


def lookup(code: str, address: str | None) -> Opened:
    """POST /public/survey-lookup: the survey a valid, unused code of an open one opens."""
    survey = _usable(_code_row(code, address))
    language = str(db.session.get(Organisation, survey.organisation_id).language)
    return Opened(survey, language)


def _clean(survey: Survey, answers: dict) -> dict:
    """The answers, each checked against its question, without empty ones (422 else)."""
    questions = {str(question.id): question for question in survey.questions}
    cleaned, errors = {}, {}
    for key, value in answers.items():
        question = questions.get(str(key))
        if question is None:
            errors[str(key)] = [gettext("Not a question of this survey.")]
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        problem = _problem(question, value)
        if problem:
            errors[str(key)] = [problem]
        else:
            cleaned[str(key)] = value.strip() if isinstance(value, str) else value
    if errors:
        raise Invalid({"answers": errors})
    if not cleaned:
        raise Invalid({"answers": [gettext("Answer at least one question.")]})
    return cleaned


def _problem(question, value) -> str | None:
    kind = question.kind
    if kind == QuestionKind.SCALE:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            return gettext("Must be a whole number from 1 to 5.")
    elif kind == QuestionKind.YES_NO:
        if not isinstance(value, bool):
            return gettext("Must be yes (true) or no (false).")
    elif kind == QuestionKind.CHOICE:
        if value not in (question.options or []):
            return gettext("Must be one of the question's options.")
    elif not isinstance(value, str):
        return gettext("Must be text.")
    elif _CONTROL.search(value):
        return gettext("Must not contain control characters.")
    elif len(value.strip()) > MAX_TEXT:
        return gettext("At most {count} characters.").format(count=MAX_TEXT)
    return None


def _record(row: SurveyCode, survey: Survey, answers: dict) -> None:
    """Spend the code, if nobody else has in the meantime, and add the response."""
    spent = db.session.execute(
        update(SurveyCode)
        .where(SurveyCode.code_hash == row.code_hash, SurveyCode.used.is_(False))
        .values(used=True)
        .execution_options(synchronize_session=False)
    )
    if spent.rowcount != 1:
        raise Conflict(gettext("This code has been used. Each code gives one answer."))
    db.session.add(SurveyResponse(survey_id=survey.id, round_on=survey.opens_on, answers=answers))


def respond(code: str, answers: dict, address: str | None) -> None:
    """POST /public/survey-responses: one participant's answers, with their code."""
    row = _code_row(code, address)
    survey = _usable(row)
    cleaned = _clean(survey, answers)
    try:
        _record(row, survey, cleaned)
        db.session.commit()
    except ServiceError:
        db.session.rollback()
        raise


def respond_batch(actor: Actor, survey_id: uuid.UUID, items: list[dict]) -> list[int]:
    """POST /surveys/{id}/kiosk-responses: the kiosk's answers, each with a code of this
    survey, in the order the phone shuffled them; for each, the status the single answer
    would have had (201, or 404, 409, 410, 422). A batch sent again finds its codes used
    (409): the phone counts those as delivered."""
    survey = definitions.get(actor, survey_id)
    guesses.check(actor.address)
    statuses = [_one_of_batch(survey, item) for item in items]
    db.session.commit()
    # Unknown codes count as guesses, once the batch is stored (the count is written in a
    # transaction of its own).
    for _ in range(statuses.count(404)):
        guesses.missed(actor.address)
    return statuses


def _one_of_batch(survey: Survey, item: dict) -> int:
    row = _stored_code(item["code"])
    if row is None or row.survey_id != survey.id:
        return 404
    savepoint = db.session.begin_nested()
    try:
        _usable(row)
        _record(row, survey, _clean(survey, item["answers"]))
        savepoint.commit()
        return 201
    except ServiceError as error:
        savepoint.rollback()
        return {Conflict: 409, Gone: 410, Invalid: 422}.get(type(error), 400)


def make_codes(actor: Actor, survey_id: uuid.UUID, count: int) -> tuple[Survey, list[str]]:
    """POST /surveys/{id}/codes: ``count`` new codes, shown this once (only their hashes
    are kept). Leaders and admins make them to print; a facilitator, for the kiosk, only
    while the survey is open. Never for a closed survey."""
    survey = definitions.get(actor, survey_id)
    state = definitions.status(survey)
    if state == "closed":
        raise Gone(gettext("The survey has closed."))
    if actor.role not in scope.MANAGERS and state != "open":
        raise Forbidden()
    made: dict[str, str] = {}  # hash: code
    while len(made) < count:
        wanted = {codes.digest(code): code for code in (codes.make() for _ in range(count))}
        taken = db.session.scalars(
            select(SurveyCode.code_hash).where(SurveyCode.code_hash.in_(list(wanted)))
        )
        for code_hash in set(wanted) - set(taken):
            if len(made) < count:
                made[code_hash] = wanted[code_hash]
    db.session.add_all(
        SurveyCode(code_hash=code_hash, survey_id=survey.id, used=False) for code_hash in made
    )
    db.session.commit()
    return survey, sorted(made.values())


def few_codes_warning(survey: Survey, count: int) -> str | None:
    """A plain warning when a batch is so small that its answers may point to a person."""
    floor = max(codes.FEW, survey.min_responses)
    if count >= floor:
        return None
    return ngettext(
        "Only {count} code: with so few answers, an answer may point to the person who gave "
        "it. Hand out at least {floor}.",
        "Only {count} codes: with so few answers, an answer may point to the person who gave "
        "it. Hand out at least {floor}.",
        count,
    ).format(count=count, floor=floor)
