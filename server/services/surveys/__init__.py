"""Anonymous satisfaction surveys: the questionnaires leaders make, the single-use codes
handed out at random, the answers, and the results once enough have answered.

Callers use the package: ``from server.services import surveys``."""

from server.services.surveys.answering import (
    MAX_BATCH,
    MAX_TEXT,
    Opened,
    few_codes_warning,
    lookup,
    make_codes,
    respond,
    respond_batch,
)
from server.services.surveys.codes import MAX_BATCH as MAX_CODES
from server.services.surveys.definitions import (
    DEFAULT_MIN_RESPONSES,
    MAX_QUESTIONS,
    Shown,
    copy,
    create,
    get,
    list_surveys,
    managed,
    shown,
    status,
    update,
)
from server.services.surveys.results import QuestionResult, Results, results
from server.services.surveys.template import work_training

__all__ = [
    "DEFAULT_MIN_RESPONSES",
    "MAX_QUESTIONS",
    "MAX_BATCH",
    "MAX_CODES",
    "MAX_TEXT",
    "Opened",
    "QuestionResult",
    "Results",
    "Shown",
    "copy",
    "create",
    "few_codes_warning",
    "get",
    "list_surveys",
    "lookup",
    "make_codes",
    "managed",
    "respond",
    "respond_batch",
    "results",
    "shown",
    "status",
    "update",
    "work_training",
]
