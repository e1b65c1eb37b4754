"""Schema building blocks shared by the resources."""

from datetime import UTC, date

import marshmallow as ma
from marshmallow import fields, validate

from server import clock
from shared.phone import normalise_phone


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False


class Schema(ma.Schema):
    """Unknown fields, and read-only ones such as ``id``, are refused with 422; so is text
    with NUL characters anywhere in the input (no database stores them faithfully)."""

    class Meta:
        unknown = ma.RAISE

    @ma.pre_load
    def refuse_nul_characters(self, data, **kwargs):
        if isinstance(data, dict):
            bad = [str(key) for key, value in data.items() if _has_nul(key) or _has_nul(value)]
            if bad:
                raise ma.ValidationError({key: ["Must not contain NUL characters."] for key in bad})
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
    """An ISO 8601 timestamp with an offset, kept in UTC from here on."""

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).astimezone(UTC)
