"""ETags for optimistic concurrency: derived from a record's version counter, which rises
with every change to what the record shows."""

import hashlib
import uuid

from server.services.common.errors import PreconditionFailed, PreconditionRequired


def etag_of(kind: str, record_id: uuid.UUID, version: int) -> str:
    return hashlib.sha256(f"{kind}:{record_id}:{version}".encode()).hexdigest()[:32]


def require_match(if_match, current: str, stale=None, changes_nothing: bool = False) -> None:
    """``if_match`` is the request's parsed If-Match header (werkzeug ``ETags``). When it
    names an older version, ``stale()`` (if given) makes the 412 to raise, unless the
    change would change nothing (``changes_nothing``): that is a repeat of a change already
    made, such as the caller's own after its answer was lost, and it overwrites nothing."""
    # "*" would mean "whatever is there now": exactly the blind overwrite If-Match prevents.
    if not if_match or if_match.star_tag:
        raise PreconditionRequired("This change needs an If-Match header with the ETag you read.")
    if not if_match.contains(current) and not changes_nothing:
        if stale is not None:
            raise stale()
        raise PreconditionFailed(
            "The record was changed since you read it. Reload it and try again.",
            headers={"ETag": f'"{current}"'},
        )
