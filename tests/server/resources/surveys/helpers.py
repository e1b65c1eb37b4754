"""Surveys made straight in the database for the tests of the endpoints, and the bodies
the endpoints accept."""

import uuid
from datetime import timedelta

from server import clock
from server.database import db
from server.models import Survey, SurveyCode, SurveyQuestion
from server.services.surveys import codes
from shared.vocab import QuestionKind


def today():
    return clock.local_today("Europe/Oslo")


def days(offset: int) -> str:
    """A day counted from today, as the organisation's clocks show it."""
    return (today() + timedelta(days=offset)).isoformat()


QUESTIONS = [
    {"kind": "scale", "text": "Jeg blir møtt med respekt."},
    {"kind": "yes_no", "text": "Vil du anbefale stedet til andre?"},
    {"kind": "choice", "text": "Hvor jobber du mest?", "options": ["Kjøkken", "Servering"]},
    {"kind": "text", "text": "Noe annet du vil si?"},
]


def survey_body(department_id: str | None, **changes) -> dict:
    body = {
        "title": "Brukerundersøkelse høst",
        "department_id": department_id,
        "opens_on": days(-1),
        "closes_on": days(14),
        "questions": QUESTIONS,
    }
    return {**body, **changes}


def make_survey(creator, department=None, *, opens=-1, closes=14, min_responses=5) -> Survey:
    """A survey of the department (else of the creator's whole organisation), open from
    ``opens`` to ``closes`` days from today, with the four kinds of question."""
    survey = Survey(
        organisation_id=creator.organisation_id,
        department_id=department.id if department is not None else None,
        title="Brukerundersøkelse",
        opens_on=today() + timedelta(days=opens),
        closes_on=today() + timedelta(days=closes),
        min_responses=min_responses,
        created_by_id=creator.id,
        questions=[
            SurveyQuestion(
                position=number,
                kind=QuestionKind(question["kind"]),
                text=question["text"],
                options=question.get("options"),
            )
            for number, question in enumerate(QUESTIONS, 1)
        ],
    )
    db.session.add(survey)
    db.session.commit()
    return survey


def new_code(survey) -> str:
    code = codes.make()
    db.session.add(SurveyCode(code_hash=codes.digest(code), survey_id=survey.id, used=False))
    db.session.commit()
    return code


def answers(survey, scale: int = 4, recommend: bool = True, text: str | None = None) -> dict:
    by_kind = {question.kind: str(question.id) for question in survey.questions}
    given = {by_kind[QuestionKind.SCALE]: scale, by_kind[QuestionKind.YES_NO]: recommend}
    if text:
        given[by_kind[QuestionKind.TEXT]] = text
    return given


def unknown_id() -> str:
    return str(uuid.uuid4())
