"""The Norwegian (bokmål) message catalogue: every text Spire sends or shows to people.

Texts are looked up by key and filled with ``str.format`` fields; a missing field is an
error in the code, found by the tests that render every message.
"""

CATALOGUE: dict[str, str] = {
    # SMS to a participant at the wake-up time.
    "wakeup.sms": (
        "God morgen, {first_name}! Dette er vekkingen din fra {department}. "
        "Vi gleder oss til å se deg i dag."
    ),
    # Notices on the staff's phones.
    "wakeup.due": "Vekking: ring {name} nå ({phone}).",
    "wakeup.due_again": "Vekking: ring {name} igjen ({phone}), forsøk {attempt}.",
    "wakeup.home_visit": ("{name} har ikke svart på {count} vekkingsforsøk. Vurder hjemmebesøk."),
}


def message(key: str, **fields) -> str:
    return CATALOGUE[key].format(**fields)
