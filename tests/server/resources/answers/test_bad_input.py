"""Bad input to answering a survey (no login).

The cases and the checks: ``tests/server/resources/bad_input.py``. Unknown, used and
expired codes are answers about the code, not bad input: ``test_answers.py``."""

import pytest

from tests.server.resources.bad_input import DROP, Endpoint, accepts_its_body, case, run_cases
from tests.server.resources.surveys.helpers import answers, make_survey, new_code


def survey(ctx):
    if "survey" not in ctx.__dict__:
        ctx.__dict__["survey"] = make_survey(ctx.world.admin, ctx.world.dept_a1)
    return ctx.__dict__["survey"]


def responses(ctx):
    """What the leader reads of the survey: the number of responses."""
    response = ctx.admin.get(f"/surveys/{survey(ctx).id}")
    return response.status_code, response.json["responses"]


ENDPOINTS = {
    "survey-lookup": Endpoint(
        "POST",
        lambda c: "/api/v1/public/survey-lookup",
        lambda c: {"code": new_code(survey(c))},
        responses,
        200,
        required=("code",),
        anonymous=True,
    ),
    "survey-response": Endpoint(
        "POST",
        lambda c: "/api/v1/public/survey-responses",
        lambda c: {"code": new_code(survey(c)), "answers": answers(survey(c))},
        responses,
        201,
        required=("code", "answers"),
        anonymous=True,
    ),
}


@pytest.mark.parametrize("name", ENDPOINTS)
def test_valid_body_is_accepted(ctx, name):
    accepts_its_body(ctx, ENDPOINTS[name])


def answer(ctx, kind_index: int, value) -> dict:
    question = survey(ctx).questions[kind_index]
    return {"answers": {str(question.id): value}}


SCHEMA_CASES = {
    "survey-lookup": [
        case("code-blank", {"code": " "}, "code"),
        case("code-number", {"code": 12345678}, "code"),
        case("code-too-long", {"code": "A" * 41}, "code"),
        case("extra-field", {"participant": "Kari"}, "participant"),
    ],
    "survey-response": [
        case("answers-missing", {"answers": DROP}, "answers"),
        case("answers-list", {"answers": [3]}, "answers"),
        case("answers-empty", {"answers": {}}, "answers"),
        case("answers-41", {"answers": {str(n): 1 for n in range(41)}}, "answers"),
        case("unknown-question", {"answers": {"not-a-question": 3}}, "answers"),
        case("code-missing", {"code": DROP}, "code"),
    ],
}


def answer_cases(ctx) -> list:
    """Answers that do not fit their question, each refused with nothing stored."""
    scale, yes_no, choice, text = (0, 1, 2, 3)
    return [
        case("scale-0", answer(ctx, scale, 0), "answers"),
        case("scale-6", answer(ctx, scale, 6), "answers"),
        case("scale-fraction", answer(ctx, scale, 3.5), "answers"),
        case("scale-string", answer(ctx, scale, "4"), "answers"),
        case("scale-bool", answer(ctx, scale, True), "answers"),
        case("yes-no-string", answer(ctx, yes_no, "yes"), "answers"),
        case("yes-no-number", answer(ctx, yes_no, 1), "answers"),
        case("choice-unknown", answer(ctx, choice, "Kasse"), "answers"),
        case("choice-list", answer(ctx, choice, ["Kjøkken"]), "answers"),
        case("text-number", answer(ctx, text, 5), "answers"),
        case("text-object", answer(ctx, text, {"a": 1}), "answers"),
        case("text-too-long", answer(ctx, text, "x" * 2001), "answers"),
        case("only-blank-text", answer(ctx, text, "   "), "answers"),
        case("nul-in-text", answer(ctx, text, "Bra\x00"), "answers"),
    ]


@pytest.mark.parametrize("name", SCHEMA_CASES)
def test_wrong_type_or_value_is_refused(ctx, subtests, name):
    run_cases(ctx, subtests, ENDPOINTS[name], SCHEMA_CASES[name])


def test_answers_that_do_not_fit_their_question_are_refused(ctx, subtests):
    run_cases(ctx, subtests, ENDPOINTS["survey-response"], answer_cases(ctx))
