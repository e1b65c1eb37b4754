"""Writes by client-chosen ids, as phones send them: retried when a concurrent request
reached the unique constraint first, and allowed a phone clock that runs a little fast."""

from datetime import timedelta

from sqlalchemy.exc import IntegrityError

from server.database import db

# A phone's clock may run a little ahead of the server's.
CLOCK_SKEW = timedelta(minutes=5)
RETRIES = 3


def with_retries(operation):
    """Run ``operation`` and commit; when a concurrent request wrote the same id (or the
    same day) first, the unique constraint says so: roll back and run it again, and it
    then finds what the other request wrote (a repeat, a correction or a merge)."""
    for attempt in range(RETRIES):
        try:
            result = operation()
            db.session.commit()
            return result
        except IntegrityError:
            db.session.rollback()
            if attempt == RETRIES - 1:
                raise
    raise AssertionError("unreachable")
