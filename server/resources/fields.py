"""Schema building blocks shared by the resources."""

from datetime import UTC, date

import marshmallow as ma
from marshmallow import fields, validate

from server import clock
from shared.phone import normalise_phone


class Schema(ma.Schema):
    """Unknown fields, and read-only ones such as ``id``, are refused with 422."""

    class Meta:
        unknown = ma.RAISE


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
    return fields.Integer(validate=validate.Range(min=1900, max=date.today().year), **kwargs)


def enum(vocabulary, **kwargs) -> fields.Enum:
    return fields.Enum(vocabulary, by_value=True, **kwargs)


class Timestamp(fields.AwareDateTime):
    """An ISO 8601 timestamp with an offset, kept in UTC from here on."""

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).astimezone(UTC)
