"""Answering a survey, for participants: no login, no cookie. The code travels in the
body only (never in a URL), and neither the code nor the caller's address is logged."""

from flask import request

from server.extensions.smorest import Blueprint
from server.resources.answers.schemas import AnswersIn, CodeIn, PublicSurveyOut
from server.services import surveys

blp = Blueprint(
    "answers", __name__, url_prefix="/api/v1/public", description="Answering a survey (no login)"
)

REFUSALS = (
    (404, "Unknown code"),
    (409, "The code has been used"),
    (410, "The survey is not open"),
    (429, "Too many unknown codes from this address; try again later"),
)


def _refusals(func):
    for status, description in REFUSALS:
        func = blp.alt_response(status, description=description)(func)
    return func


@blp.post("/survey-lookup")
@blp.arguments(CodeIn)
@blp.response(200, PublicSurveyOut)
@_refusals
def lookup(data):
    """The survey a valid, unused code of an open survey opens"""
    return surveys.lookup(data["code"], request.remote_addr)


@blp.post("/survey-responses")
@blp.arguments(AnswersIn)
@blp.response(201)
@_refusals
def respond(data):
    """Answer a survey with a code; the code is then used"""
    surveys.respond(data["code"], data["answers"], request.remote_addr)
