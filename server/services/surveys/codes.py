"""Single-use survey codes: made in a batch, shown once, kept only as a keyed hash.

A code is eight characters from an alphabet without the look-alikes 0/O, 1/I/l (31
letters and digits), written ``ABCD-EFGH``: 31^8 = 8.5 * 10^11 codes, 39.6 bits, so that
guessing one of even a thousand live codes takes some 850 million guesses, while unknown
codes are counted per address (``guesses``). The hash is an HMAC under the server's
secret, so a copy of the database alone does not turn back into codes."""

import hashlib
import hmac
import secrets

from server import settings

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 8
# Most codes made in one batch.
MAX_BATCH = 500
# Fewer codes than this (or than the survey's threshold) make a plain warning.
FEW = 10


def make() -> str:
    """A new code, ``ABCD-EFGH``."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def normalise(code: str) -> str:
    """The code as typed (any case, spaces and dashes anywhere) in its plain form."""
    return "".join(code.split()).replace("-", "").upper()


def digest(code: str) -> str:
    """The keyed hash the database keeps of a code."""
    key = settings.config()["SECRET_KEY"].encode()
    return hmac.new(key, b"survey-code:" + normalise(code).encode(), hashlib.sha256).hexdigest()


def well_formed(code: str) -> bool:
    plain = normalise(code)
    return len(plain) == LENGTH and all(char in ALPHABET for char in plain)
