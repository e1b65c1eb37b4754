"""ETags for optimistic concurrency: derived from a record's version counter, which rises
with every change to what the record shows."""

import hashlib
import uuid

from server.services.common.errors import PreconditionFailed, PreconditionRequired
from shared.i18n import gettext


def etag_of(kind: str, record_id: uuid.UUID, version: int) -> str:
    return hashlib.sha256(f"{kind}:{record_id}:{version}".encode()).hexdigest()[:32]


def require_match(
    expected: frozenset[str] | None, current: str, stale=None, changes_nothing: bool = False
) -> None:
    """``expected`` holds the ETags the caller says it read (None: it named none). When
    none of them is ``current``, ``stale()`` (if given) makes the error to raise, unless the
    change would change nothing (``changes_nothing``): that is a repeat of a change already
    made, such as the caller's own after its answer was lost, and it overwrites nothing.

    Checked here, after the record was found and the caller's right to change it, so a
    record the caller may not see or change is refused as such first."""
    if expected is None:
        raise PreconditionRequired(
            gettext("This change needs an If-Match header with the ETag you read.")
        )
    if current not in expected and not changes_nothing:
        if stale is not None:
            raise stale()
        raise PreconditionFailed(
            gettext("The record was changed since you read it. Reload it and try again."),
            current_etag=current,
        )
