"""Phone numbers: Norwegian numbers by default, stored in E.164 form."""

import re

_SEPARATORS = re.compile(r"[\s\-().]")


def normalise_phone(raw: str) -> str | None:
    """``"+47 912 34 567"`` or ``"91234567"`` -> ``"+4791234567"``; None if not a number."""
    number = _SEPARATORS.sub("", raw or "")
    if number.startswith("00"):
        number = "+" + number[2:]
    if re.fullmatch(r"\d{8}", number):
        return "+47" + number
    if re.fullmatch(r"\+47\d{8}", number):
        return number
    if re.fullmatch(r"\+[1-9]\d{6,14}", number) and not number.startswith("+47"):
        return number
    return None
