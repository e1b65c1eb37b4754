"""The satisfaction surveys behind a demo organisation: in its first department, last
spring's round (closed, with results) and this autumn's copy of it (open, with enough
answers to show results beside the spring's). The codes are random and printed nowhere:
only their hashes exist, as always. Its random numbers are its own."""

import random
from datetime import date, timedelta

from server.database import db
from server.models import Department, Survey, SurveyCode, SurveyQuestion, SurveyResponse, User
from server.services.surveys import codes, work_training
from shared.i18n import texts
from shared.vocab import QuestionKind

# How the answers lean: mostly content, a few not.
SCALE_WEIGHTS = {"spring": (2, 4, 10, 18, 12), "autumn": (1, 2, 7, 20, 18)}
FREE_TEXT = {
    "nb": (
        "Godt å ha et sted å gå til hver dag.",
        "Ønsker meg flere oppgaver på kjøkkenet.",
        "Tilretteleggerne er flinke til å høre på meg.",
        "Savner mer hjelp med CV og jobbsøking.",
    ),
    "da": (
        "Godt at have et sted at gå hen hver dag.",
        "Jeg vil gerne have flere opgaver i køkkenet.",
        "Pædagogerne er gode til at lytte.",
        "Savner mere hjælp til CV og jobsøgning.",
    ),
}


def seed(department: Department, leader: User, language: str, today: date, seed: int) -> None:
    rng = random.Random(seed)
    ready = work_training(texts(language))
    spring_opens = date(today.year if today.month > 5 else today.year - 1, 4, 14)
    spring = _survey(department, leader, ready, spring_opens, spring_opens + timedelta(days=21))
    autumn = _survey(
        department, leader, ready, today - timedelta(days=9), today + timedelta(days=21), spring
    )
    for survey, weights, answered, made in ((spring, "spring", 11, 15), (autumn, "autumn", 7, 15)):
        _codes(survey, made, answered)
        for _ in range(answered):
            db.session.add(
                SurveyResponse(
                    survey_id=survey.id,
                    round_on=survey.opens_on,
                    answers=_answers(survey, SCALE_WEIGHTS[weights], language, rng),
                )
            )
    db.session.flush()


def _survey(department, leader, ready, opens_on, closes_on, previous=None) -> Survey:
    survey = Survey(
        organisation_id=department.organisation_id,
        department_id=department.id,
        title=ready["title"],
        intro=ready["intro"],
        opens_on=opens_on,
        closes_on=closes_on,
        min_responses=5,
        previous_id=previous.id if previous else None,
        created_by_id=leader.id,
        questions=[
            SurveyQuestion(
                position=number,
                kind=question["kind"],
                text=question["text"],
                copied_from_id=previous.questions[number - 1].id if previous else None,
            )
            for number, question in enumerate(ready["questions"], 1)
        ],
    )
    db.session.add(survey)
    db.session.flush()
    return survey


def _codes(survey: Survey, made: int, used: int) -> None:
    db.session.add_all(
        SurveyCode(code_hash=codes.digest(codes.make()), survey_id=survey.id, used=n < used)
        for n in range(made)
    )


def _answers(survey: Survey, weights, language: str, rng: random.Random) -> dict:
    given = {}
    for question in survey.questions:
        key = str(question.id)
        if question.kind == QuestionKind.SCALE and rng.random() < 0.96:
            given[key] = rng.choices((1, 2, 3, 4, 5), weights)[0]
        elif question.kind == QuestionKind.YES_NO:
            given[key] = rng.random() < 0.85
        elif question.kind == QuestionKind.TEXT and rng.random() < 0.45:
            given[key] = rng.choice(FREE_TEXT[language])
    return given
