"""Password hashing (argon2id) and the password rules."""

from functools import lru_cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from server import settings
from shared.i18n import gettext

MIN_LENGTH = 10
MAX_LENGTH = 256

# RFC 9106's second recommended profile; "fast" keeps the test suite quick.
PROFILES = {
    "standard": {"time_cost": 3, "memory_cost": 64 * 1024, "parallelism": 4},
    "fast": {"time_cost": 1, "memory_cost": 8 * 1024, "parallelism": 1},
}


@lru_cache(maxsize=4)
def _hasher(profile: str) -> PasswordHasher:
    return PasswordHasher(type=Type.ID, **PROFILES[profile])


def hasher() -> PasswordHasher:
    return _hasher(settings.config()["SPIRE_PASSWORD_HASHING"])


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=1)
def _dummy_hash(profile: str) -> str:
    return _hasher(profile).hash("not a password of anyone's")


def burn_verification_time(password: str) -> None:
    """Spend the time a real check takes, so an unknown username answers no faster."""
    verify_password(_dummy_hash(settings.config()["SPIRE_PASSWORD_HASHING"]), password)


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    words = FREQUENCY_LISTS["passwords"]
    norwegian = [
        "passord",
        "passord123",
        "sommer2024",
        "sommer2025",
        "sommer2026",
        "vinter2025",
        "vinter2026",
        "qwertyuiop",
        "1234567890",
        "0123456789",
    ]
    return frozenset(word.casefold() for word in [*words, *norwegian])


def password_problems(password: str, *, username: str = "", full_name: str = "") -> list[str]:
    """What is wrong with a new password; an empty list when it is acceptable."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(gettext("Must be at least {n} characters.").format(n=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        problems.append(gettext("Must be at most {n} characters.").format(n=MAX_LENGTH))
    folded = password.casefold()
    if folded in _common_passwords() or len(set(folded)) < 4:
        problems.append(gettext("Too common or too easy to guess."))
    elif username and username.casefold() in folded:
        problems.append(gettext("Must not contain the username."))
    elif full_name and any(
        len(part) > 2 and part.casefold() in folded for part in full_name.split()
    ):
        problems.append(gettext("Must not contain your name."))
    return problems
