"""Staff accounts (admins only). Deactivating an account or changing its password ends
every login of that account at once."""

import uuid

from sqlalchemy import select

from server import clock
from server.database import db
from server.models import Department, User
from server.services.accounts import creation, logins, passwords
from server.services.common import scope, security_events
from server.services.common.actor import Actor, require_role
from server.services.common.errors import Conflict, Invalid, NotFound
from server.services.storage import paging
from server.services.storage.paging import Window
from shared.i18n import gettext
from shared.vocab import Role, SecurityEventType


def _departments(actor: Actor, ids: list[uuid.UUID]) -> list[Department]:
    wanted = set(ids)
    found = db.session.scalars(
        select(Department).where(
            Department.organisation_id == actor.organisation_id, Department.id.in_(wanted)
        )
    ).all()
    if len(found) != len(wanted):
        raise Invalid({"department_ids": gettext("Unknown department.")})
    return list(found)


def _users(actor: Actor):
    return select(User).where(User.organisation_id == actor.organisation_id)


def list_users(actor: Actor, filters: dict, window: Window):
    require_role(actor, Role.ADMIN)
    stmt = _users(actor)
    if filters.get("role"):
        stmt = stmt.where(User.role == filters["role"])
    if filters.get("active") is not None:
        stmt = stmt.where(User.active.is_(filters["active"]))
    if filters.get("department_id"):
        department = scope.get_department(actor, filters["department_id"])
        stmt = stmt.where(User.departments.any(Department.id == department.id))
    return paging.one_page(stmt, window, User.full_name, User.id)


def get_user(actor: Actor, user_id: uuid.UUID) -> User:
    """A staff account of the organisation: any for an admin, one's own for the others."""
    if user_id != actor.user_id:
        require_role(actor, Role.ADMIN)
    user = db.session.scalars(_users(actor).where(User.id == user_id)).first()
    if user is None:
        raise NotFound(gettext("User not found."))
    return user


def create_user(actor: Actor, data: dict) -> User:
    require_role(actor, Role.ADMIN)
    user = creation.new_user(
        actor.organisation_id,
        data["username"],
        data["role"],
        data["password"],
        data["full_name"],
        _departments(actor, data.get("department_ids", [])),
        active=data.get("active", True),
    )
    user.language = data.get("language")
    security_events.record(
        SecurityEventType.USER_CREATED,
        actor=actor,
        subject_user_id=user.id,
        detail=creation.account_facts(user),
    )
    db.session.commit()
    return user


def update_user(actor: Actor, user_id: uuid.UUID, data: dict) -> User:
    require_role(actor, Role.ADMIN)
    user = get_user(actor, user_id)
    if user.id == actor.user_id and (
        data.get("active") is False or data.get("role", Role.ADMIN) != Role.ADMIN
    ):
        raise Conflict(gettext("You cannot deactivate yourself or take away your own admin role."))
    role = data.get("role", user.role)
    departments = (
        _departments(actor, data["department_ids"])
        if "department_ids" in data
        else user.departments
    )
    if ("role" in data or "department_ids" in data) and (
        problems := creation.department_problems(role, departments)
    ):
        raise Invalid({"department_ids": problems})
    changes = {}
    if "full_name" in data and data["full_name"] != user.full_name:
        changes["full_name"] = "changed"  # the name itself is no security fact
        user.full_name = data["full_name"]
    if role != user.role:
        changes["role"] = {"from": user.role, "to": role}
        user.role = role
    if "department_ids" in data:
        before = {department.id for department in user.departments}
        user.departments = departments
        after = {department.id for department in user.departments}
        if before != after:
            changes["department_ids"] = {
                "added": sorted(str(i) for i in after - before),
                "removed": sorted(str(i) for i in before - after),
            }
    if "language" in data:
        user.language = data["language"]  # what the user reads in is no security fact
    if "password" in data:
        creation.check_password(data["password"], user.username, user.full_name)
        user.password_hash = passwords.hash_password(data["password"])
        logins.revoke_all_for_user(user.id, "password_changed")
        _event(actor, user, SecurityEventType.PASSWORD_RESET)
    if "active" in data and data["active"] != user.active:
        user.active = data["active"]
        user.deactivated_at = None if user.active else clock.now()
        if not user.active:
            logins.revoke_all_for_user(user.id, "deactivated")
            _event(actor, user, SecurityEventType.USER_DEACTIVATED)
        else:
            changes["active"] = {"from": False, "to": True}
    if changes:
        _event(actor, user, SecurityEventType.USER_CHANGED, changes)
    db.session.commit()
    return user


def _event(actor: Actor, user: User, kind: SecurityEventType, detail: dict | None = None):
    security_events.record(kind, actor=actor, subject_user_id=user.id, detail=detail)
