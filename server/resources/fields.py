"""Schema building blocks shared by the resources."""

import re
from datetime import UTC, date

import marshmallow as ma
from marshmallow import fields, validate

from server import clock
from shared.phone import normalise_phone

FIRST_YEAR, LAST_YEAR = 1900, 2100
_BAD_CHARACTERS = re.compile("[\x00\ud800-\udfff]")


def _has_bad_text(value) -> bool:
    """NUL, or half of a UTF-16 surrogate pair: text no database or encoder takes."""
    if isinstance(value, str):
        return _BAD_CHARACTERS.search(value) is not None
    if isinstance(value, dict):
        return any(_has_bad_text(k) or _has_bad_text(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_bad_text(item) for item in value)
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
                message = "Must not contain NUL or unpaired surrogate characters."
                raise ma.ValidationError({key: [message] for key in bad})
        return data


class Integer(fields.Integer):
    """A whole number: 1.5 is refused, not rounded."""

    def __init__(self, **kwargs):
        super().__init__(strict=True, **kwargs)


class Text(fields.String):
    """A string with surrounding white space removed; blank counts as missing when required."""

    def __init__(self, max_length: int, *, min_length: int = 1, **kwargs):
        super().__init__(validate=validate.Length(min=min_length, max=max_length), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()


class Phone(fields.String):
    def _deserialize(self, value, attr, data, **kwargs):
        number = normalise_phone(super()._deserialize(value, attr, data, **kwargs))
        if number is None:
            raise ma.ValidationError("Not a valid phone number.")
        return number


class Timezone(fields.String):
    def _deserialize(self, value, attr, data, **kwargs):
        name = super()._deserialize(value, attr, data, **kwargs)
        if not clock.is_timezone(name):
            raise ma.ValidationError("Not a known time zone (e.g. Europe/Oslo).")
        return name


def hhmm(**kwargs) -> fields.Time:
    return fields.Time(format="%H:%M", metadata={"example": "08:30"}, **kwargs)


def birth_year(**kwargs) -> fields.Integer:
    return Integer(validate=validate.Range(min=1900, max=date.today().year), **kwargs)


def enum(vocabulary, **kwargs) -> fields.Enum:
    return fields.Enum(vocabulary, by_value=True, **kwargs)


class Timestamp(fields.AwareDateTime):
    """An ISO 8601 timestamp with an offset, kept in UTC from here on, within the years
    Spire can hold."""

    def _deserialize(self, value, attr, data, **kwargs):
        moment = super()._deserialize(value, attr, data, **kwargs)
        if not FIRST_YEAR <= moment.year <= LAST_YEAR:
            raise ma.ValidationError(f"Must be between {FIRST_YEAR} and {LAST_YEAR}.")
        return moment.astimezone(UTC)


class Date(fields.Date):
    """A date between 1900 and 2100: far enough for any plan, near enough to count on."""

    def _deserialize(self, value, attr, data, **kwargs):
        day = super()._deserialize(value, attr, data, **kwargs)
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise ma.ValidationError(f"Must be between {FIRST_YEAR} and {LAST_YEAR}.")
        return day
