from marshmallow import fields, validate

from server.resources.fields import Schema, Text, enum
from server.services.surveys import MAX_QUESTIONS
from shared.vocab import QuestionKind


class CodeIn(Schema):
    code = Text(40, required=True, metadata={"example": "ABCD-EFGH"})


class AnswersIn(CodeIn):
    answers = fields.Dict(
        keys=fields.String(),
        values=fields.Raw(allow_none=True),
        required=True,
        validate=validate.Length(max=MAX_QUESTIONS),
        metadata={
            "description": "question id: 1-5 for a scale, true or false for yes/no, one of "
            "the options for a choice, text (at most 2000 characters) for text; a question "
            "left out or empty is not answered"
        },
    )


class PublicQuestionOut(Schema):
    id = fields.UUID()
    kind = enum(QuestionKind)
    text = fields.String()
    options = fields.List(fields.String(), allow_none=True)


class PublicSurveyOut(Schema):
    title = fields.String(attribute="survey.title")
    intro = fields.String(attribute="survey.intro", allow_none=True)
    language = fields.String(metadata={"description": "The organisation's language: nb or da"})
    questions = fields.List(fields.Nested(PublicQuestionOut), attribute="survey.questions")
