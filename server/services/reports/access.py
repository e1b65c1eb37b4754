"""Who may make a report, and the record that they did: every download is an export in
the access log for each participant it names, and one event in the security log."""

import uuid
from collections.abc import Iterable

from server.services.common import access_log, security_events
from server.services.common.actor import Actor, require_role
from shared.vocab import AccessAction, Role, SecurityEventType

REPORTERS = (Role.LEADER, Role.ADMIN)


def require_reporter(actor: Actor) -> None:
    """Reports are for leaders and admins (403 for a facilitator)."""
    require_role(actor, *REPORTERS)


def log_export(actor: Actor, resource: str, participant_ids: Iterable[uuid.UUID], **detail) -> None:
    """In the caller's transaction: an export row for each participant, and one event."""
    ids = list(dict.fromkeys(participant_ids))
    access_log.record(actor, ids, AccessAction.EXPORT, resource)
    security_events.record(
        SecurityEventType.EXPORT,
        actor=actor,
        detail={
            "resource": resource,
            "participants": len(ids),
            # An export made on the server's command line, not downloaded.
            **({"via": actor.via} if actor.via else {}),
            **detail,
        },
    )
