"""The PIN that unlocks the app on the phone: 4 to 6 digits, chosen at the first login and
stored only as a salted, deliberately slow hash (scrypt), so that a copy of the app's
folder does not give it away cheaply."""

import hashlib
import hmac
import re
import secrets

# scrypt's cost: 16 MiB and some tens of milliseconds on a phone, for each try.
N, R, P = 2**14, 8, 1


class BadPin(ValueError):
    """Not a PIN the app takes: it must be 4 to 6 digits."""


def check_form(pin: str) -> str:
    if not isinstance(pin, str) or not re.fullmatch(r"[0-9]{4,6}", pin):
        raise BadPin(pin)
    return pin


def _hash(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, maxmem=64 * 2**20, dklen=32)


def hashed(pin: str) -> dict:
    """What the app stores of a new PIN (JSON): the hash, its salt and its cost."""
    salt = secrets.token_bytes(16)
    digest = _hash(check_form(pin), salt, N, R, P)
    return {"scrypt": digest.hex(), "salt": salt.hex(), "n": N, "r": R, "p": P}


def matches(pin: str, stored: dict) -> bool:
    digest = _hash(str(pin), bytes.fromhex(stored["salt"]), stored["n"], stored["r"], stored["p"])
    return hmac.compare_digest(digest, bytes.fromhex(stored["scrypt"]))
