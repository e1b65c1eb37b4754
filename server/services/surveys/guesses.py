"""Throttling code guesses per address. The count sits in the login throttle's store
(Redis, else the database) under a keyed hash of the address that expires with its
window: no address is kept in clear, and none after its window."""

import hashlib
import hmac

from server import settings
from server.services.accounts.throttle import store
from server.services.common.errors import TooManyRequests


def _key(address: str) -> str:
    secret = settings.config()["SECRET_KEY"].encode()
    digest = hmac.new(secret, b"survey-address:" + address.encode(), hashlib.sha256)
    return f"spire:survey-guesses:{digest.hexdigest()[:32]}"


def check(address: str | None) -> None:
    """429 while the address has passed its limit of unknown codes."""
    if not address:
        return
    limit = settings.config()["SPIRE_SURVEY_MAX_UNKNOWN_CODES"]
    count, wait = store().count(_key(address))
    if count >= limit:
        raise TooManyRequests(wait)


def missed(address: str | None) -> None:
    """Count one unknown code from the address."""
    if address:
        store().add(_key(address), settings.config()["SPIRE_SURVEY_WINDOW_SECONDS"])
