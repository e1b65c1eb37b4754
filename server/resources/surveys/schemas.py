from marshmallow import fields, validate

from server.resources.fields import Date, Integer, Schema, Text, Timestamp, enum
from server.services.surveys import (
    DEFAULT_MIN_RESPONSES,
    MAX_BATCH,
    MAX_CODES,
    MAX_QUESTIONS,
)
from shared.vocab import QuestionKind, ReportFormat


class QuestionIn(Schema):
    kind = enum(QuestionKind, required=True)
    text = Text(500, required=True)
    options = fields.List(
        Text(100),
        allow_none=True,
        validate=validate.Length(max=10),
        metadata={"description": "A choice's options (2 to 10), in order; only for a choice"},
    )


class TemplateQuestionOut(Schema):
    kind = enum(QuestionKind)
    text = fields.String()
    options = fields.List(fields.String(), allow_none=True)


class QuestionOut(TemplateQuestionOut):
    id = fields.UUID()


def questions(**kwargs) -> fields.List:
    return fields.List(
        fields.Nested(QuestionIn), validate=validate.Length(min=1, max=MAX_QUESTIONS), **kwargs
    )


def min_responses(**kwargs) -> Integer:
    return Integer(
        validate=validate.Range(min=3, max=1000),
        metadata={"description": "Results are withheld until this many have answered"},
        **kwargs,
    )


class SurveyIn(Schema):
    title = Text(200, required=True)
    department_id = fields.UUID(
        allow_none=True, metadata={"description": "Left out: the whole organisation"}
    )
    intro = Text(2000, allow_none=True)
    opens_on = Date(required=True)
    closes_on = Date(required=True)
    min_responses = min_responses(load_default=DEFAULT_MIN_RESPONSES)
    questions = questions(required=True)


class SurveyUpdate(Schema):
    title = Text(200)
    department_id = fields.UUID(allow_none=True)
    intro = Text(2000, allow_none=True)
    opens_on = Date()
    closes_on = Date()
    min_responses = min_responses()
    questions = questions(metadata={"description": "Only while nobody has answered"})


class SurveyCopyIn(Schema):
    title = Text(200, metadata={"description": "Left out: the title of the survey copied"})
    opens_on = Date(required=True)
    closes_on = Date(required=True)


class SurveyOut(Schema):
    """A survey (``surveys.Shown``)."""

    id = fields.UUID(attribute="survey.id")
    title = fields.String(attribute="survey.title")
    intro = fields.String(attribute="survey.intro", allow_none=True)
    department_id = fields.UUID(attribute="survey.department_id", allow_none=True)
    opens_on = Date(attribute="survey.opens_on")
    closes_on = Date(attribute="survey.closes_on")
    min_responses = fields.Integer(attribute="survey.min_responses")
    previous_id = fields.UUID(
        attribute="survey.previous_id",
        allow_none=True,
        metadata={"description": "The survey this one is the next round of"},
    )
    status = fields.String(
        validate=validate.OneOf(["planned", "open", "closed"]),
        metadata={"description": "planned, open or closed, by the local date"},
    )
    responses = fields.Integer()
    codes_made = fields.Integer()
    codes_used = fields.Integer()
    questions = fields.List(fields.Nested(QuestionOut), attribute="survey.questions")
    created_at = Timestamp(attribute="survey.created_at")


class SurveyQuery(Schema):
    department_id = fields.UUID()


class TemplateOut(Schema):
    title = fields.String()
    intro = fields.String()
    questions = fields.List(fields.Nested(TemplateQuestionOut))


class CodesIn(Schema):
    count = Integer(required=True, validate=validate.Range(min=1, max=MAX_CODES))


# Most slips in one printout: six pages (larger batches are printed in turn).
MAX_SLIPS = 60


class CodesQuery(Schema):
    # A query string's values are text: "12" is read as the number (the strict Integer of
    # the JSON bodies would refuse every one).
    count = fields.Integer(required=True, validate=validate.Range(min=1, max=MAX_SLIPS))


class CodesOut(Schema):
    codes = fields.List(
        fields.String(), metadata={"description": "Shown this once: only their hashes are kept"}
    )
    warning = fields.String(
        allow_none=True,
        metadata={
            "description": "Said when so few codes are made that an answer may point to a person"
        },
    )


class KioskAnswerIn(Schema):
    code = Text(40, required=True)
    answers = fields.Dict(
        keys=fields.String(),
        values=fields.Raw(allow_none=True),
        required=True,
        validate=validate.Length(max=MAX_QUESTIONS),
    )


class KioskBatchIn(Schema):
    responses = fields.List(
        fields.Nested(KioskAnswerIn), required=True, validate=validate.Length(min=1, max=MAX_BATCH)
    )


class KioskResultOut(Schema):
    status = fields.Integer(
        metadata={
            "description": "201 recorded; 409 code used (so delivered before); 404 "
            "unknown code; 410 survey not open; 422 invalid answers"
        }
    )


class KioskBatchOut(Schema):
    results = fields.List(fields.Nested(KioskResultOut))


class ResultsQuery(Schema):
    format = fields.String(
        load_default=ReportFormat.JSON.value,
        validate=validate.OneOf(
            [ReportFormat.JSON.value, ReportFormat.PDF.value, ReportFormat.XLSX.value]
        ),
    )


class QuestionResultOut(Schema):
    id = fields.UUID()
    kind = enum(QuestionKind)
    text = fields.String()
    options = fields.List(fields.String(), allow_none=True)
    n = fields.Integer(allow_none=True)
    mean = fields.Float(
        allow_none=True,
        metadata={"description": "A scale's mean; for yes or no, the share of yes (0 to 1)"},
    )
    distribution = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        allow_none=True,
        metadata={"description": "Each answer (1-5, yes/no, an option) and how many gave it"},
    )
    answers = fields.List(
        fields.String(), allow_none=True, metadata={"description": "Free text, in random order"}
    )
    withheld = fields.Boolean(
        metadata={
            "description": "Fewer than min_responses answered this question: no "
            "count, figures or text of it"
        }
    )
    previous_n = fields.Integer(allow_none=True)
    previous_mean = fields.Float(allow_none=True)
    previous_distribution = fields.Dict(
        keys=fields.String(), values=fields.Integer(), allow_none=True
    )


class ResultsOut(Schema):
    survey_id = fields.UUID(attribute="survey.id")
    title = fields.String(attribute="survey.title")
    responses = fields.Integer()
    min_responses = fields.Integer(attribute="survey.min_responses")
    suppressed = fields.Boolean(
        metadata={
            "description": "True while fewer than min_responses have answered: the "
            "questions then carry no counts or texts"
        }
    )
    previous_id = fields.UUID(attribute="previous.id", allow_none=True)
    previous_responses = fields.Integer(allow_none=True)
    questions = fields.List(fields.Nested(QuestionResultOut))
