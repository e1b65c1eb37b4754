"""The organisation's departments (admins manage them; staff see their own)."""

import uuid

from sqlalchemy import select

from server.database import db
from server.models import Department
from server.services.common import scope
from server.services.common.actor import Actor, require_role
from server.services.common.errors import Conflict
from server.services.storage import paging
from server.services.storage.paging import Window
from shared.i18n import gettext
from shared.vocab import Role


def list_departments(actor: Actor, filters: dict, window: Window):
    stmt = scope.departments(actor)
    if filters.get("active") is not None:
        stmt = stmt.where(Department.active.is_(filters["active"]))
    return paging.one_page(stmt, window, Department.name, Department.id)


def _name_taken(actor: Actor, name: str, exclude: uuid.UUID | None = None) -> bool:
    stmt = select(Department.id).where(
        Department.organisation_id == actor.organisation_id,
        Department.name_key == name.casefold(),
    )
    if exclude:
        stmt = stmt.where(Department.id != exclude)
    return db.session.scalar(stmt) is not None


def create_department(actor: Actor, data: dict) -> Department:
    require_role(actor, Role.ADMIN)
    if _name_taken(actor, data["name"]):
        raise Conflict(
            gettext("A department with that name exists."), {"name": [gettext("Taken.")]}
        )
    department = Department(organisation_id=actor.organisation_id, **data)
    db.session.add(department)
    db.session.commit()
    return department


def update_department(actor: Actor, department_id: uuid.UUID, data: dict) -> Department:
    department = scope.get_department(actor, department_id)
    require_role(actor, Role.ADMIN)
    if "name" in data and _name_taken(actor, data["name"], exclude=department.id):
        raise Conflict(
            gettext("A department with that name exists."), {"name": [gettext("Taken.")]}
        )
    for field, value in data.items():
        setattr(department, field, value)
    db.session.commit()
    return department
