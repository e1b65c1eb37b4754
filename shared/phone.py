"""Phone numbers: Norwegian numbers by default, stored in E.164 form."""

import re

_SEPARATORS = re.compile(r"[\s\-().]")

# What normalise_phone accepts, as one regular expression for the API's document: eight
# digits (not starting 00), +47 or 0047 and eight digits, or + or 00 and 7 to 15 digits
# of another country (ASCII digits); separators anywhere.
_S = r"[\s\-().]*"
PHONE_PATTERN = (
    rf"^{_S}(?:"
    rf"(?!0{_S}0)(?:[0-9]{_S}){{8}}"
    rf"|(?:\+|0{_S}0){_S}4{_S}7{_S}(?:[0-9]{_S}){{8}}"
    rf"|(?:\+|0{_S}0){_S}(?!4{_S}7)[1-9]{_S}(?:[0-9]{_S}){{6,14}}"
    r")$"
)


def normalise_phone(raw: str) -> str | None:
    """``"+47 912 34 567"`` or ``"91234567"`` -> ``"+4791234567"``; None if not a number."""
    number = _SEPARATORS.sub("", raw or "")
    if number.startswith("00"):
        number = "+" + number[2:]
    if re.fullmatch(r"[0-9]{8}", number):
        return "+47" + number
    if re.fullmatch(r"\+47[0-9]{8}", number):
        return number
    if re.fullmatch(r"\+[1-9][0-9]{6,14}", number) and not number.startswith("+47"):
        return number
    return None
