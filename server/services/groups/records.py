"""Groups of a department: the department's staff see them, its leader and the admins
make and change them. The name is unique in the department whatever its case; the
responsible staff member works in the department."""

import uuid

from sqlalchemy import Select, select

from server.database import db
from server.models import Department, Group, Participant, User
from server.models.user import user_departments
from server.services.common import access_log, scope
from server.services.common.actor import Actor, require_role
from server.services.common.errors import Conflict, Invalid, NotFound
from server.services.groups import memberships
from server.services.groups.memberships import GroupBrief
from server.services.storage import paging
from server.services.storage.paging import Window
from shared.i18n import gettext
from shared.vocab import AccessAction

# The fields a group's body may set.
EDITABLE = ("name", "responsible_user_id", "active")


def groups(actor: Actor) -> Select:
    """The groups of the actor's departments (every department's for an admin)."""
    return select(Group).where(
        Group.organisation_id == actor.organisation_id,
        scope.department_clause(actor, Group.department_id),
    )


def list_groups(actor: Actor, department_id: uuid.UUID, filters: dict, window: Window):
    department = scope.get_department(actor, department_id)
    stmt = groups(actor).where(Group.department_id == department.id)
    if filters.get("active") is not None:
        stmt = stmt.where(Group.active.is_(filters["active"]))
    return paging.one_page(stmt, window, Group.name_key, Group.id)


def get_group(actor: Actor, group_id: uuid.UUID) -> Group:
    group = db.session.scalars(groups(actor).where(Group.id == group_id)).first()
    if group is None:
        raise NotFound(gettext("Group not found."))
    return group


def _name_taken(department_id: uuid.UUID, name: str, exclude: uuid.UUID | None = None) -> bool:
    stmt = select(Group.id).where(
        Group.department_id == department_id, Group.name_key == name.casefold()
    )
    if exclude:
        stmt = stmt.where(Group.id != exclude)
    return db.session.scalar(stmt) is not None


def _name_conflict() -> Conflict:
    return Conflict(
        gettext("A group with that name exists in the department."),
        {"name": [gettext("Taken.")]},
    )


def _check_responsible(department: Department, user_id: uuid.UUID | None) -> None:
    """The responsible user is an active staff member of the department (422 otherwise,
    worded alike for a user of another department or organisation and for none)."""
    if user_id is None:
        return
    found = db.session.scalar(
        select(User.id)
        .join(user_departments, user_departments.c.user_id == User.id)
        .where(
            User.id == user_id,
            User.organisation_id == department.organisation_id,
            User.active.is_(True),
            user_departments.c.department_id == department.id,
        )
    )
    if found is None:
        raise Invalid(
            {"responsible_user_id": gettext("Must be an active staff member of the department.")}
        )


def responsible_choices(actor: Actor, department_id: uuid.UUID) -> list[User]:
    """Who may be made responsible for a group of the department: its active staff, by
    name (for its leader and the admins, who make and change the groups)."""
    department = scope.get_department(actor, department_id)
    require_role(actor, *scope.MANAGERS)
    return list(
        db.session.scalars(
            select(User)
            .join(user_departments, user_departments.c.user_id == User.id)
            .where(
                User.organisation_id == department.organisation_id,
                User.active.is_(True),
                user_departments.c.department_id == department.id,
            )
            .order_by(User.full_name, User.id)
        )
    )


def create_group(actor: Actor, department_id: uuid.UUID, data: dict) -> Group:
    department = scope.get_department(actor, department_id)
    require_role(actor, *scope.MANAGERS)
    if _name_taken(department.id, data["name"]):
        raise _name_conflict()
    _check_responsible(department, data.get("responsible_user_id"))
    group = Group(
        id=uuid.uuid4(),
        organisation_id=actor.organisation_id,
        department_id=department.id,
        **{field: value for field, value in data.items() if field in EDITABLE},
    )
    db.session.add(group)
    db.session.commit()
    return group


def update_group(actor: Actor, group_id: uuid.UUID, data: dict) -> Group:
    group = get_group(actor, group_id)
    require_role(actor, *scope.MANAGERS)
    if "name" in data and _name_taken(group.department_id, data["name"], exclude=group.id):
        raise _name_conflict()
    if data.get("responsible_user_id") is not None:
        department = db.session.get(Department, group.department_id)
        _check_responsible(department, data["responsible_user_id"])
    if data.get("active") is False and group.active:
        members = memberships.disband(actor, group)
        if members:
            access_log.record(actor, members, AccessAction.UPDATE, memberships.RESOURCE)
    for field, value in data.items():
        setattr(group, field, value)
    db.session.commit()
    return group


def group_of_department(department: Department, group_id: uuid.UUID) -> Group:
    """A group of the department (a filter on the day's lists); 404 as for any group the
    caller cannot see."""
    group = db.session.scalar(
        select(Group).where(Group.id == group_id, Group.department_id == department.id)
    )
    if group is None:
        raise NotFound(gettext("Group not found."))
    return group


# What the day's lists select beside each row for the participant's group.
_GROUP_COLUMNS = (
    Group.id.label("group_id"),
    Group.name.label("group_name"),
    Group.responsible_user_id.label("group_responsible_id"),
)


def with_groups(stmt: Select, group_id: uuid.UUID | None = None) -> Select:
    """A day's list query (one that selects the participant) with each participant's group
    beside its row, outer-joined so that rows in no group stay; only ``group_id``'s rows
    when one is given."""
    stmt = stmt.add_columns(*_GROUP_COLUMNS).outerjoin(Group, Group.id == Participant.group_id)
    if group_id is not None:
        stmt = stmt.where(Participant.group_id == group_id)
    return stmt


def brief_of(row) -> GroupBrief | None:
    """The group a ``with_groups`` row names, if any."""
    return GroupBrief(row.group_id, row.group_name) if row.group_id else None


def own_first(user_id: uuid.UUID, row) -> tuple:
    """The key that orders a ``with_groups`` query's rows by group: the groups ``user_id``
    is responsible for first, then the other groups by name, then the rows without a
    group. Sort by it last (sorting is stable) to keep the list's own order inside each."""
    if row.group_id is None:
        return (2, "", "")
    mine = row.group_responsible_id == user_id
    return (0 if mine else 1, row.group_name.casefold(), str(row.group_id))
