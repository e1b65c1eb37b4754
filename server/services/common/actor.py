"""Who a service acts for: the authenticated staff member, and the rule that a role may
do a thing. Built by the web layer from the request's token; services know nothing more
of the request."""

import uuid
from dataclasses import dataclass

from server.services.common.errors import Forbidden
from shared.vocab import Role


@dataclass(frozen=True)
class Actor:
    """The authenticated staff member a service acts for."""

    user_id: uuid.UUID
    organisation_id: uuid.UUID
    role: Role
    department_ids: frozenset[uuid.UUID]
    session_id: uuid.UUID
    # Where the request came from, for the security event log.
    address: str | None = None
    # The language the user reads (their own, else their organisation's): nb or da.
    language: str | None = None
    # The organisation's country (NO or DK): a phone number without a country code is one
    # of its numbers.
    country: str | None = None
    # How the actor came: None through the API, "command_line" for a command.
    via: str | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN


def require_role(actor: Actor, *roles: Role) -> None:
    if actor.role not in roles:
        raise Forbidden()
