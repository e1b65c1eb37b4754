"""Phone numbers, stored in E.164 form: a number written without a country code is one of
the organisation's country (Norway and Denmark both use eight digits); shown as people
of that country write them, and dialled by a ``tel:`` URI."""

import re

import phonenumbers

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


def display_phone(number: str, country: str = "NO") -> str:
    """A stored number as people of the organisation's ``country`` write it: in Norway
    ``"912 34 567"`` (mobile numbers, 3-2-3) and ``"22 12 34 56"`` (others), in Denmark
    ``"20 12 34 56"``, without the country's own calling code; any other country's
    number in international form (``"+46 70 123 45 67"``, ``"+47 912 34 567"`` in
    Denmark). What is not a number comes back as it was."""
    e164 = normalise_phone(number, country)
    if e164 is None:
        return (number or "").strip()
    national = e164[3:]
    home = e164.startswith("+" + CALLING_CODES[country])
    if e164.startswith("+47") and national[0] in "49":
        # Norwegian mobile numbers are written 3-2-3 (libphonenumber writes them 2-2-2-2).
        grouped = f"{national[:3]} {national[3:5]} {national[5:]}"
        return grouped if home else f"+47 {grouped}"
    parsed = phonenumbers.parse(e164)
    return phonenumbers.format_number(
        parsed,
        phonenumbers.PhoneNumberFormat.NATIONAL
        if home
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL,
    )


def tel_uri(number: str, country: str = "NO") -> str | None:
    """The ``tel:`` URI that opens the phone's dialer on the number (RFC 3966, a global
    number), or None if it is not a number."""
    e164 = normalise_phone(number, country)
    return f"tel:{e164}" if e164 else None
