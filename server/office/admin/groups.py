"""A department's groups: the list, a new one, a change of name or of the staff member
responsible, and closing or reopening one (the department's leader and the admins; as the
API's /departments/{id}/groups and /groups/{id})."""

import uuid

from flask import flash, redirect, url_for

from server.office.admin.common import bp, form_values, posted, refused
from server.office.pages import actor, for_roles, one_page, page, read_form
from server.resources.groups.schemas import GroupSchema, GroupUpdateSchema
from server.services import groups as group_service
from server.services import organisation
from server.services.common.errors import Conflict, Invalid
from shared.i18n import gettext
from shared.vocab import Role

FORM = "office/admin/group_form.html"
# What the group form sets; closing and reopening is a button of its own.
FIELDS = ("name", "responsible_user_id")


def _staff(department_id: uuid.UUID) -> list[tuple[str, str]]:
    return [
        (str(user.id), user.full_name)
        for user in group_service.responsible_choices(actor(), department_id)
    ]


@bp.get("/departments/<uuid:department_id>/groups")
@for_roles(Role.LEADER, Role.ADMIN)
def groups(department_id: uuid.UUID):
    department = organisation.get_department(actor(), department_id)
    items, pager = one_page(group_service.list_groups, actor(), department.id, {})
    return page(
        "office/admin/groups.html",
        department=department,
        groups=items,
        pager=pager,
        staff=dict(_staff(department.id)),
    )


@bp.route("/departments/<uuid:department_id>/groups/new", methods=["GET", "POST"])
@for_roles(Role.LEADER, Role.ADMIN)
def new_group(department_id: uuid.UUID):
    department = organisation.get_department(actor(), department_id)
    context = {"department": department, "group": None, "staff": _staff(department.id)}
    if not posted():
        return page(FORM, values={}, errors={}, **context)
    try:
        data = read_form(GroupSchema(only=FIELDS))
        made = group_service.create_group(actor(), department.id, data)
    except (Invalid, Conflict) as error:
        return refused(FORM, error, values=form_values(), **context)
    flash(gettext("The group %(name)s is made.") % {"name": made.name}, "info")
    return redirect(url_for("office.admin.groups", department_id=department.id), 303)


@bp.route("/groups/<uuid:group_id>", methods=["GET", "POST"])
@for_roles(Role.LEADER, Role.ADMIN)
def edit_group(group_id: uuid.UUID):
    group = group_service.get_group(actor(), group_id)
    department = organisation.get_department(actor(), group.department_id)
    context = {"department": department, "group": group, "staff": _staff(department.id)}
    if not posted():
        values = {"name": group.name, "responsible_user_id": group.responsible_user_id}
        return page(FORM, values=values, errors={}, **context)
    try:
        group_service.update_group(actor(), group.id, read_form(GroupSchema(only=FIELDS)))
    except (Invalid, Conflict) as error:
        return refused(FORM, error, values=form_values(), **context)
    flash(gettext("The group %(name)s is saved.") % {"name": group.name}, "info")
    return redirect(url_for("office.admin.groups", department_id=department.id), 303)


@bp.post("/groups/<uuid:group_id>/active")
@for_roles(Role.LEADER, Role.ADMIN)
def group_active(group_id: uuid.UUID):
    """Close a group (its participants are taken out of it, kept in their history) or
    open it again."""
    data = read_form(GroupUpdateSchema(only=("active",)))
    group = group_service.update_group(actor(), group_id, data)
    if group.active:
        flash(gettext("The group %(name)s is open again.") % {"name": group.name}, "info")
    else:
        flash(gettext("The group %(name)s is closed.") % {"name": group.name}, "info")
    return redirect(url_for("office.admin.edit_group", group_id=group.id), 303)
