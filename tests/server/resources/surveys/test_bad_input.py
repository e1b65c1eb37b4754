"""Bad input to making and changing surveys, their codes and the kiosk's batches.

The cases and the checks: ``tests/server/resources/bad_input.py``."""

import uuid

import pytest

from tests.server.resources.bad_input import (
    DROP,
    NOT_UUID,
    OTHER_ORG_DEPARTMENT,
    Endpoint,
    accepts_its_body,
    case,
    read,
    run_cases,
)
from tests.server.resources.surveys.helpers import (
    QUESTIONS,
    answers,
    days,
    make_survey,
    new_code,
    survey_body,
)


def survey(ctx):
    """The open survey of A1 the cases are about, made once per test."""
    if "survey" not in ctx.__dict__:
        ctx.__dict__["survey"] = make_survey(ctx.world.admin, ctx.world.dept_a1)
    return ctx.__dict__["survey"]


def survey_path(ctx, suffix: str = "") -> str:
    return f"/surveys/{survey(ctx).id}{suffix}"


def kiosk_body(ctx) -> dict:
    return {"responses": [{"code": new_code(survey(ctx)), "answers": answers(survey(ctx))}]}


ENDPOINTS = {
    "create-survey": Endpoint(
        "POST",
        lambda c: "/surveys",
        lambda c: survey_body(str(c.world.dept_a1.id)),
        lambda c: read(c, "/surveys"),
        201,
        required=("title", "opens_on", "closes_on", "questions"),
    ),
    "update-survey": Endpoint(
        "PATCH",
        lambda c: survey_path(c),
        lambda c: {"title": "Ny tittel", "closes_on": days(20), "min_responses": 6},
        lambda c: read(c, survey_path(c)),
        200,
    ),
    "copy-survey": Endpoint(
        "POST",
        lambda c: survey_path(c, "/copy"),
        lambda c: {"opens_on": days(30), "closes_on": days(60)},
        lambda c: read(c, "/surveys"),
        201,
        required=("opens_on", "closes_on"),
    ),
    "make-codes": Endpoint(
        "POST",
        lambda c: survey_path(c, "/codes"),
        lambda c: {"count": 10},
        lambda c: read(c, survey_path(c)),
        201,
        required=("count",),
    ),
    "kiosk-responses": Endpoint(
        "POST",
        lambda c: survey_path(c, "/kiosk-responses"),
        kiosk_body,
        lambda c: read(c, survey_path(c)),
        200,
        required=("responses",),
    ),
}


@pytest.mark.parametrize("name", ENDPOINTS)
def test_valid_body_is_accepted(ctx, name):
    accepts_its_body(ctx, ENDPOINTS[name])


def question(**changes) -> list[dict]:
    return [{**QUESTIONS[0], **changes}]


SCHEMA_CASES = {
    "create-survey": [
        case("title-blank", {"title": "  "}, "title"),
        case("title-too-long", {"title": "x" * 201}, "title"),
        case("department-invalid", {"department_id": NOT_UUID}, "department_id"),
        case("department-unknown", {"department_id": str(uuid.uuid4())}, "department_id"),
        case("department-other-org", {"department_id": OTHER_ORG_DEPARTMENT}, "department_id"),
        case("opens-invalid", {"opens_on": "2026-02-30"}, "opens_on"),
        case("closes-before-opens", {"opens_on": days(5), "closes_on": days(4)}, "closes_on"),
        case("open-over-a-year", {"closes_on": days(400)}, "closes_on"),
        case("min-responses-2", {"min_responses": 2}, "min_responses"),
        case("min-responses-string", {"min_responses": "5"}, "min_responses"),
        case("questions-empty", {"questions": []}, "questions"),
        case("questions-not-list", {"questions": {"kind": "scale"}}, "questions"),
        case("questions-41", {"questions": QUESTIONS[:1] * 41}, "questions"),
        case("question-kind-unknown", {"questions": question(kind="stars")}, "questions"),
        case("question-text-blank", {"questions": question(text=" ")}, "questions"),
        case("question-text-long", {"questions": question(text="x" * 501)}, "questions"),
        case("scale-with-options", {"questions": question(options=["a", "b"])}, "questions"),
        case(
            "choice-one-option",
            {"questions": question(kind="choice", options=["Kjøkken"])},
            "questions",
        ),
        case(
            "choice-same-option-twice",
            {"questions": question(kind="choice", options=["Kjøkken", "kjøkken"])},
            "questions",
        ),
        case("choice-no-options", {"questions": question(kind="choice")}, "questions"),
        case("question-unknown-field", {"questions": question(required=True)}, "questions"),
        case("read-only-id", {"id": str(uuid.uuid4())}, "id"),
        case("title-missing", {"title": DROP}, "title"),
    ],
    "update-survey": [
        case("title-null", {"title": None}, "title"),
        case("closes-before-opens", {"closes_on": days(-5)}, "closes_on"),
        case("min-responses-0", {"min_responses": 0}, "min_responses"),
        case("questions-empty", {"questions": []}, "questions"),
        case("read-only-status", {"status": "open"}, "status"),
    ],
    "copy-survey": [
        case("opens-missing", {"opens_on": DROP}, "opens_on"),
        case("closes-before-opens", {"closes_on": days(10)}, "closes_on"),
        case("questions", {"questions": QUESTIONS}, "questions"),
    ],
    "make-codes": [
        case("count-zero", {"count": 0}, "count"),
        case("count-501", {"count": 501}, "count"),
        case("count-string", {"count": "10"}, "count"),
        case("count-fraction", {"count": 2.5}, "count"),
    ],
    "kiosk-responses": [
        case("responses-empty", {"responses": []}, "responses"),
        case("responses-51", {"responses": [{"code": "x", "answers": {}}] * 51}, "responses"),
        case("response-no-code", {"responses": [{"answers": {}}]}, "responses"),
        case("response-code-number", {"responses": [{"code": 5, "answers": {}}]}, "responses"),
        case("response-answers-list", {"responses": [{"code": "x", "answers": []}]}, "responses"),
        case("response-extra", {"responses": [{"code": "x", "answers": {}, "at": 1}]}, "responses"),
    ],
}


@pytest.mark.parametrize("name", SCHEMA_CASES)
def test_wrong_type_or_value_is_refused(ctx, subtests, name):
    run_cases(ctx, subtests, ENDPOINTS[name], SCHEMA_CASES[name])
