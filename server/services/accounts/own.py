"""The caller's own account: what they see of it (GET /me, the login's answer) and the one
thing they change themselves, the language they read Spire in."""

import uuid
from dataclasses import dataclass

from sqlalchemy import select

from server.database import db
from server.models import Organisation, User
from server.services.accounts.staff import get_user
from server.services.common.actor import Actor
from shared.vocab import Language, Role


@dataclass(frozen=True)
class OwnAccount:
    id: uuid.UUID
    username: str
    full_name: str
    role: Role
    department_ids: list[uuid.UUID]
    # The language the user reads: the one they chose, else their organisation's.
    language: Language


def own_account(user: User) -> OwnAccount:
    """The account as its user sees it; the read's transaction is ended (a login has
    committed its own before this looks up the organisation's language)."""
    language = user.language or db.session.scalar(
        select(Organisation.language).where(Organisation.id == user.organisation_id)
    )
    account = OwnAccount(
        id=user.id,
        username=user.username,
        full_name=user.full_name,
        role=user.role,
        department_ids=user.department_ids,
        language=language,
    )
    db.session.commit()
    return account


def get_own_account(actor: Actor) -> OwnAccount:
    return own_account(get_user(actor, actor.user_id))


def update_own_account(actor: Actor, data: dict) -> OwnAccount:
    """Change what a user may change of their own account: their language (None: their
    organisation's)."""
    user = get_user(actor, actor.user_id)
    if "language" in data:
        user.language = data["language"]
    db.session.commit()
    return own_account(user)
