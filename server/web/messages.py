"""marshmallow's and webargs' own messages, in Spire's catalogues.

The libraries say "Missing data for required field." or "Not a valid integer." in English
for every field a schema checks. Their messages are replaced here, once, when the web layer
is first imported (before any schema is built: a field copies its class's messages when it
is made), by texts translated when they are shown, so field errors reach the caller in the
language of the request like every other message.

The libraries expect their messages to be ``str`` and call ``format`` on them when raising
an error; a ``Message`` is a ``str`` that translates itself there (and when ``str()`` is
called on it, as the error envelope does).
"""

import marshmallow as ma
from marshmallow import fields, validate
from webargs import core as webargs_core

from shared.i18n import N_, LazyText, gettext, lazy_gettext


class Message(str):
    """A library's message: its English text, translated into the language of the moment
    when it is formatted or turned into a string."""

    __slots__ = ()

    def __str__(self) -> str:
        return gettext(str.__str__(self))

    def format(self, *args, **kwargs) -> str:
        return str(self).format(*args, **kwargs)


class _RangeMessage:
    """Range's message until the bounds' inclusivity is known: Range formats its message
    with the words for "at least" or "more than" when it is made; here those words choose
    a whole sentence instead, which translates well."""

    __slots__ = ("sentences",)

    def __init__(self, sentences: dict[tuple[str | None, str | None], LazyText]):
        self.sentences = sentences

    def format(self, min_op: str | None = None, max_op: str | None = None) -> LazyText:
        return self.sentences[(min_op, max_op)]


_GTE, _GT, _LTE, _LT = "gte", "gt", "lte", "lt"

FIELD_MESSAGES = {
    fields.Field: {
        "required": N_("Missing data for required field."),
        "null": N_("Must not be null."),
        "validator_failed": N_("Invalid value."),
    },
    fields.Nested: {"type": N_("Must be an object.")},
    fields.List: {"invalid": N_("Must be a list.")},
    fields.Tuple: {"invalid": N_("Must be a list.")},
    fields.String: {
        "invalid": N_("Must be a string."),
        "invalid_utf8": N_("Not valid UTF-8 text."),
    },
    fields.UUID: {"invalid_uuid": N_("Not a valid UUID.")},
    fields.Number: {
        "invalid": N_("Not a valid number."),
        "too_large": N_("The number is too large."),
    },
    fields.Integer: {"invalid": N_("Not a valid integer.")},
    fields.Float: {"special": N_("Infinity and NaN are not allowed.")},
    fields.Boolean: {"invalid": N_("Must be true or false.")},
    fields.DateTime: {
        "invalid": N_("Not a valid date and time."),
        "invalid_awareness": N_("Give the time with its UTC offset (such as Z or +01:00)."),
    },
    fields.Date: {"invalid": N_("Not a valid date (YYYY-MM-DD).")},
    fields.Time: {"invalid": N_("Not a valid time.")},
    fields.Mapping: {"invalid": N_("Must be an object.")},
    fields.Email: {"invalid": N_("Not a valid email address.")},
    fields.Enum: {"unknown": N_("Must be one of: {choices}.")},
}

SCHEMA_MESSAGES = {
    "type": N_("Invalid input type."),
    "unknown": N_("Unknown field."),
}


def install() -> None:
    """Put Spire's messages in the libraries' place (idempotent)."""
    for field, messages in FIELD_MESSAGES.items():
        own = dict(field.__dict__.get("default_error_messages", {}))
        own.update({key: Message(text) for key, text in messages.items()})
        field.default_error_messages = own
    ma.Schema._default_error_messages = {
        key: Message(text) for key, text in SCHEMA_MESSAGES.items()
    }

    validate.Length.message_min = lazy_gettext("Too short: at least {min}.")
    validate.Length.message_max = lazy_gettext("Too long: at most {max}.")
    validate.Length.message_all = lazy_gettext("The length must be between {min} and {max}.")
    validate.Length.message_equal = lazy_gettext("The length must be {equal}.")

    validate.Range.message_gte, validate.Range.message_gt = _GTE, _GT
    validate.Range.message_lte, validate.Range.message_lt = _LTE, _LT
    validate.Range.message_min = _RangeMessage(
        {
            (_GTE, None): lazy_gettext("Must be at least {min}."),
            (_GT, None): lazy_gettext("Must be more than {min}."),
        }
    )
    validate.Range.message_max = _RangeMessage(
        {
            (None, _LTE): lazy_gettext("Must be at most {max}."),
            (None, _LT): lazy_gettext("Must be less than {max}."),
        }
    )
    validate.Range.message_all = _RangeMessage(
        {
            (_GTE, _LTE): lazy_gettext("Must be between {min} and {max}."),
            (_GT, _LTE): lazy_gettext("Must be more than {min} and at most {max}."),
            (_GTE, _LT): lazy_gettext("Must be at least {min} and less than {max}."),
            (_GT, _LT): lazy_gettext("Must be more than {min} and less than {max}."),
        }
    )
    validate.OneOf.default_message = lazy_gettext("Must be one of: {choices}.")
    validate.Regexp.default_message = lazy_gettext("Not in the expected form.")
    validate.Email.default_message = lazy_gettext("Not a valid email address.")
    validate.URL.default_message = lazy_gettext("Not a valid URL.")
    validate.Equal.default_message = lazy_gettext("Must be {other}.")
    validate.ContainsOnly.default_message = lazy_gettext("Only these are allowed: {choices}.")
    validate.ContainsNoneOf.default_message = lazy_gettext("These are not allowed: {values}.")
    validate.NoneOf.default_message = lazy_gettext("Invalid value.")
    validate.Predicate.default_message = lazy_gettext("Invalid value.")
    webargs_core.Parser.DEFAULT_VALIDATION_MESSAGE = lazy_gettext("Invalid value.")


install()
