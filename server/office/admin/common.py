"""What the administration pages share: their blueprint, the refused form, the filters
read from the query string, and the choices their select boxes offer."""

from collections.abc import Iterable
from enum import StrEnum

import marshmallow as ma
from flask import Blueprint, request

from server import clock
from server.office.pages import CHECK_FIELDS, page
from server.office.templating import label
from server.services.common.errors import ServiceError
from server.web.errors import status_of

bp = Blueprint("admin", __name__, url_prefix="/admin")


def posted() -> bool:
    """Whether the page was sent as a form (else it is being shown)."""
    return request.method == "POST"


def field_errors(error: ServiceError) -> dict[str, list[str]]:
    """A service's errors by field, as texts to show beside the boxes."""
    errors = {}
    for field, texts in (error.field_errors or {}).items():
        errors[field] = [str(text) for text in _flat(texts)]
    return errors


def _flat(value) -> Iterable:
    if isinstance(value, dict):
        for item in value.values():
            yield from _flat(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _flat(item)
    else:
        yield value


def refused(template: str, error: ServiceError, **context):
    """The form again, as the user sent it, with what the service found wrong: beside the
    boxes where it names a field, at the top otherwise; 422 (409 for a name taken)."""
    errors = field_errors(error)
    message = CHECK_FIELDS if errors else error.message
    return page(template, status_of(error), errors=errors, message=message, **context)


def read_query(schema: ma.Schema) -> tuple[dict, dict[str, list[str]]]:
    """A list page's filters from the query string, read by the API's query schema; an
    empty box is no filter. A filter that does not read is left out and its error kept
    for the page to show beside its box."""
    data = {
        key: value.strip()
        for key, value in request.args.items()
        if key != "page" and value.strip() and key in _keys(schema)
    }
    try:
        return schema.load(data), {}
    except ma.ValidationError as error:
        bad = error.messages if isinstance(error.messages, dict) else {}
        good = {key: value for key, value in data.items() if key not in bad}
        errors = {key: [str(text) for text in _flat(texts)] for key, texts in bad.items()}
        return schema.load(good), errors


def _keys(schema: ma.Schema) -> set[str]:
    return {field.data_key or name for name, field in schema.load_fields.items()}


def form_values() -> dict:
    """What the user typed into the form, to show again after a refusal."""
    return {key: request.form.getlist(key)[-1] for key in request.form if key != "csrf_token"}


def choices(vocabulary: type[StrEnum]) -> list[tuple[str, str]]:
    """A vocabulary's values with their labels, for a select box."""
    return [(member.value, label(member)) for member in vocabulary]


def timezones() -> list[tuple[str, str]]:
    return [(name, name) for name in clock.timezone_names()]
