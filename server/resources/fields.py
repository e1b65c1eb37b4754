"""Schema building blocks shared by the resources."""

import re
from datetime import UTC, date
from enum import StrEnum

import marshmallow as ma
from marshmallow import fields, validate

from server import clock
from server.web.security import current_country
from shared.i18n import gettext, lazy_gettext
from shared.phone import PHONE_PATTERN, normalise_phone

FIRST_YEAR, LAST_YEAR = 1900, 2100
# The forms the fields below take, for the document, with the years above.
_DAY = r"(19[0-9]{2}|20[0-9]{2}|2100)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
_CLOCK = r"([01][0-9]|2[0-3]):[0-5][0-9]"
DATE_PATTERN = rf"^{_DAY}$"
TIMESTAMP_PATTERN = rf"^{_DAY}T{_CLOCK}:[0-5][0-9](\.[0-9]{{1,6}})?(Z|[+-]{_CLOCK})$"
HHMM_PATTERN = rf"^{_CLOCK}$"
_BAD_CHARACTERS = re.compile("[\x00\ud800-\udfff]")


def _has_bad_text(value) -> bool:
    """NUL, or half of a UTF-16 surrogate pair: text no database or encoder takes. Read
    without recursion, so JSON nested however deep is an answer, not a crash."""
    waiting = [value]
    while waiting:
        item = waiting.pop()
        if isinstance(item, str):
            if _BAD_CHARACTERS.search(item) is not None:
                return True
        elif isinstance(item, dict):
            waiting.extend(item.keys())
            waiting.extend(item.values())
        elif isinstance(item, list):
            waiting.extend(item)
    return False


class Schema(ma.Schema):
    """Unknown fields, and read-only ones such as ``id``, are refused with 422; so is text
    with NUL or unpaired surrogate characters anywhere in the input."""

    class Meta:
        unknown = ma.RAISE

    @ma.pre_load
    def refuse_unstorable_text(self, data, **kwargs):
        if isinstance(data, dict):
            bad = [
                str(key).encode("utf-8", "replace").decode()
                for key, value in data.items()
                if _has_bad_text(key) or _has_bad_text(value)
            ]
            if bad:
                message = gettext("Must not contain NUL or unpaired surrogate characters.")
                raise ma.ValidationError({key: [message] for key in bad})
        return data


class Integer(fields.Integer):
    """A whole number: 1.5 is refused, not rounded."""

    def __init__(self, **kwargs):
        super().__init__(strict=True, **kwargs)


class Boolean(fields.Boolean):
    """JSON's true or false, nothing else: 1, 0, "true" and "yes" are refused, as the
    document's ``boolean`` says."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class Text(fields.String):
    """A string with surrounding white space removed; blank counts as missing when required."""

    def __init__(self, max_length: int, *, min_length: int = 1, **kwargs):
        super().__init__(validate=validate.Length(min=min_length, max=max_length), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()


class Phone(fields.String):
    """A phone number, stored in E.164 form (+4791234567); one written without a country
    code is a number of the caller's organisation's country."""

    def __init__(self, **kwargs):
        metadata = {"pattern": PHONE_PATTERN, "example": "+47 912 34 567"}
        super().__init__(metadata=metadata | kwargs.pop("metadata", {}), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        raw = super()._deserialize(value, attr, data, **kwargs)
        number = normalise_phone(raw, current_country())
        if number is None:
            raise ma.ValidationError(gettext("Not a valid phone number."))
        return number


class Timezone(fields.String):
    """An IANA time zone name, from the list the document gives."""

    def __init__(self, **kwargs):
        super().__init__(
            validate=validate.OneOf(
                clock.timezone_names(),
                error=lazy_gettext("Not a known time zone (such as Europe/Oslo)."),
            ),
            metadata={"example": "Europe/Oslo"},
            **kwargs,
        )


def hhmm(**kwargs) -> fields.Time:
    return fields.Time(
        format="%H:%M", metadata={"example": "08:30", "pattern": HHMM_PATTERN}, **kwargs
    )


def birth_year(**kwargs) -> fields.Integer:
    return Integer(validate=validate.Range(min=1900, max=date.today().year), **kwargs)


def enum(vocabulary, *, only=None, **kwargs) -> fields.Enum:
    """A vocabulary's values; with ``only``, just those members (and the document lists
    just those)."""
    if only is not None:
        return _EnumSubset(vocabulary, only, **kwargs)
    return fields.Enum(vocabulary, by_value=True, **kwargs)


class _EnumSubset(fields.Enum):
    def __init__(self, vocabulary, members, **kwargs):
        subset = StrEnum(vocabulary.__name__, {member.name: member.value for member in members})
        super().__init__(subset, by_value=True, **kwargs)
        self.vocabulary = vocabulary

    def _deserialize(self, value, attr, data, **kwargs):
        return self.vocabulary(super()._deserialize(value, attr, data, **kwargs).value)


class Timestamp(fields.AwareDateTime):
    """An RFC 3339 timestamp (seconds and an offset included), kept in UTC from here on,
    within the years Spire can hold."""

    def __init__(self, **kwargs):
        metadata = {"pattern": TIMESTAMP_PATTERN} | kwargs.pop("metadata", {})
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or not re.fullmatch(TIMESTAMP_PATTERN, value):
            raise self.make_error("invalid", input=value, obj_type=self.OBJ_TYPE)
        moment = super()._deserialize(value, attr, data, **kwargs)
        if not FIRST_YEAR <= moment.year <= LAST_YEAR:
            raise ma.ValidationError(
                gettext("Must be between {min} and {max}.").format(min=FIRST_YEAR, max=LAST_YEAR)
            )
        return moment.astimezone(UTC)


class Date(fields.Date):
    """A date between 1900 and 2100: far enough for any plan, near enough to count on."""

    def __init__(self, **kwargs):
        metadata = {"pattern": DATE_PATTERN} | kwargs.pop("metadata", {})
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        day = super()._deserialize(value, attr, data, **kwargs)
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise ma.ValidationError(
                gettext("Must be between {min} and {max}.").format(min=FIRST_YEAR, max=LAST_YEAR)
            )
        return day
