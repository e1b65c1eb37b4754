"""Acting as a staff member from the command line (``flask --app server report ...``):
the same scoping, role rules and access log as through the API, under that user's name."""

import uuid

from sqlalchemy import select

from server.database import db
from server.models import Organisation, User
from server.services.common.actor import Actor
from server.services.common.errors import Invalid
from shared.i18n import gettext


def actor_for_cli(username: str) -> Actor:
    """The active user ``username`` as the actor of a command."""
    user = db.session.scalars(
        select(User).where(User.username == username.casefold(), User.active.is_(True))
    ).first()
    if user is None:
        raise Invalid({"user": gettext("No active user has this username.")})
    organisation = db.session.get(Organisation, user.organisation_id)
    return Actor(
        user_id=user.id,
        organisation_id=user.organisation_id,
        role=user.role,
        department_ids=frozenset(d.id for d in user.departments),
        # A command opens no login session; nothing reads this but the login paths.
        session_id=uuid.uuid4(),
        address=None,
        language=user.language or organisation.language,
        country=organisation.country,
        via="command_line",
    )
