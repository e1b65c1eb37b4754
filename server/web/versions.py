"""ETag and If-Match at the HTTP edge: the request's If-Match as the versions the caller
read, a record's version as the ETag header, and both as the OpenAPI document names them.
The services compare versions (``server.services.common.versions``); they never see a
header."""

from flask import request

# The response header, for the document.
ETAG_HEADER = {
    "ETag": {
        "description": "Send it back in If-Match to change the record",
        "schema": {"type": "string"},
    }
}
# The request header a change needs, for the document.
IF_MATCH = {"name": "If-Match", "in": "header", "required": True, "schema": {"type": "string"}}


def expected_versions() -> frozenset[str] | None:
    """The ETags the request's If-Match names, or None when it names none: no header, an
    empty one, or "*" (which would mean "whatever is there now": exactly the blind
    overwrite If-Match prevents). Weak tags never match, so they are left out."""
    if_match = request.if_match
    if not if_match or if_match.star_tag:
        return None
    return frozenset(if_match.as_set())


def etag_header(etag: str) -> dict[str, str]:
    return {"ETag": f'"{etag}"'}
