"""Follow-ups (oppfølging): notes of contact with a participant, and who has had none lately.

Callers use the package: ``from server.services import followups``."""

from server.services.followups.records import (
    Listed,
    Quiet,
    Shown,
    counts,
    get,
    latest,
    list_followups,
    put,
    without_recent,
    written,
)

__all__ = [
    "Listed",
    "Quiet",
    "Shown",
    "counts",
    "get",
    "latest",
    "list_followups",
    "put",
    "without_recent",
    "written",
]
