"""A survey's results: nothing but the number of responses until at least its threshold
(``min_responses``, never below 3) have answered; then per question the count, the mean
and the distribution, free text in a random order, and the previous round's figures
beside them. The threshold holds for each question too: a question fewer have answered
is ``withheld`` (no count, no figures, no text), and so are the previous round's
figures of a question fewer answered then.

Responses are read in no particular order and counted; nothing is ever sorted by when it
came in, and free text is shuffled afresh each time it is shown."""

import random
import uuid
from dataclasses import dataclass, field

from sqlalchemy import select

from server.database import db
from server.models import Survey, SurveyResponse
from server.services.surveys import definitions
from shared.vocab import QuestionKind

SCALE = (1, 2, 3, 4, 5)
_shuffle = random.SystemRandom().shuffle


@dataclass
class QuestionResult:
    id: uuid.UUID
    kind: QuestionKind
    text: str
    options: list | None
    n: int | None = None
    mean: float | None = None
    # Each possible answer and how many gave it, in the question's order.
    distribution: dict | None = None
    answers: list[str] | None = None
    previous_n: int | None = None
    previous_mean: float | None = None
    previous_distribution: dict | None = None
    # Fewer than the threshold answered this question: nothing of it is shown.
    withheld: bool = False


@dataclass
class Results:
    survey: Survey
    responses: int
    suppressed: bool
    questions: list[QuestionResult] = field(default_factory=list)
    previous: Survey | None = None
    previous_responses: int | None = None


def _keys(question) -> list:
    if question.kind == QuestionKind.SCALE:
        return list(SCALE)
    if question.kind == QuestionKind.YES_NO:
        return [True, False]
    if question.kind == QuestionKind.CHOICE:
        return list(question.options or [])
    return []


def _label(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _answers(survey_id: uuid.UUID) -> list[dict]:
    return list(
        db.session.scalars(
            select(SurveyResponse.answers).where(SurveyResponse.survey_id == survey_id)
        )
    )


def _figures(question, values: list) -> tuple[int, float | None, dict]:
    counts = {_label(key): 0 for key in _keys(question)}
    for value in values:
        label = _label(value)
        if label in counts:
            counts[label] += 1
    n = len(values)
    mean = None
    if question.kind == QuestionKind.SCALE and n:
        mean = round(sum(values) / n, 2)
    elif question.kind == QuestionKind.YES_NO and n:
        mean = round(sum(1 for value in values if value is True) / n, 2)
    return n, mean, counts


def _column(rows: list[dict], question_id) -> list:
    key = str(question_id)
    return [row[key] for row in rows if key in row]


def results(actor, survey_id: uuid.UUID) -> Results:
    """GET /surveys/{id}/results (leader, admin)."""
    survey = definitions.managed(actor, survey_id)
    rows = _answers(survey.id)
    outcome = Results(survey, len(rows), len(rows) < survey.min_responses)
    for question in survey.questions:
        result = QuestionResult(question.id, question.kind, question.text, question.options)
        outcome.questions.append(result)
        if outcome.suppressed:
            continue
        values = _column(rows, question.id)
        if len(values) < survey.min_responses:
            result.withheld = True
        elif question.kind == QuestionKind.TEXT:
            result.n = len(values)
            result.answers = list(values)
            _shuffle(result.answers)
        else:
            result.n, result.mean, result.distribution = _figures(question, values)
    if not outcome.suppressed:
        _compare(actor, outcome)
    return outcome


def _compare(actor, outcome: Results) -> None:
    """The previous round's figures beside each question it repeats, when that round
    passed its own threshold."""
    survey = outcome.survey
    if survey.previous_id is None:
        return
    # Only a round the reader may see themselves (a copy moved to another department
    # compares with nothing).
    previous = db.session.scalars(
        definitions.visible(actor).where(Survey.id == survey.previous_id)
    ).first()
    if previous is None:
        return
    rows = _answers(previous.id)
    outcome.previous, outcome.previous_responses = previous, len(rows)
    if len(rows) < previous.min_responses:
        return
    earlier = {question.id: question for question in previous.questions}
    for question, result in zip(survey.questions, outcome.questions, strict=True):
        source = earlier.get(question.copied_from_id)
        if source is None or question.kind == QuestionKind.TEXT or source.kind != question.kind:
            continue
        values = _column(rows, source.id)
        if result.withheld or len(values) < previous.min_responses:
            continue
        result.previous_n, result.previous_mean, result.previous_distribution = _figures(
            source, values
        )
