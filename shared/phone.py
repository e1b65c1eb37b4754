"""Phone numbers, stored in E.164 form: a number written without a country code is one of
the organisation's country (Norway and Denmark both use eight digits)."""

import re

_SEPARATORS = re.compile(r"[\s\-().]")

# The calling code of each country Spire serves.
CALLING_CODES = {"NO": "47", "DK": "45"}

# What normalise_phone accepts, as one regular expression for the API's document: eight
# digits (not starting 00), +47/+45 or 0047/0045 and eight digits, or + or 00 and 7 to 15
# digits of another country (ASCII digits); separators anywhere.
_S = r"[\s\-().]*"
_HOME = rf"4{_S}[75]"
PHONE_PATTERN = (
    rf"^{_S}(?:"
    rf"(?!0{_S}0)(?:[0-9]{_S}){{8}}"
    rf"|(?:\+|0{_S}0){_S}{_HOME}{_S}(?:[0-9]{_S}){{8}}"
    rf"|(?:\+|0{_S}0){_S}(?!{_HOME})[1-9]{_S}(?:[0-9]{_S}){{6,14}}"
    r")$"
)


def normalise_phone(raw: str, country: str = "NO") -> str | None:
    """``"+47 912 34 567"`` or ``"91234567"`` (in Norway) -> ``"+4791234567"``;
    ``"20 12 34 56"`` in Denmark -> ``"+4520123456"``; None if not a number."""
    number = _SEPARATORS.sub("", raw or "")
    if number.startswith("00"):
        number = "+" + number[2:]
    if re.fullmatch(r"[0-9]{8}", number):
        return f"+{CALLING_CODES[country]}{number}"
    if re.fullmatch(r"\+4[75][0-9]{8}", number):
        return number
    if re.fullmatch(r"\+[1-9][0-9]{6,14}", number) and not re.match(r"\+4[75]", number):
        return number
    return None
