"""The organisation's departments: the list, a new one, a change of name or time zone,
and closing or reopening one (admins; as the API's /departments)."""

import uuid

from flask import flash, redirect, url_for

from server.office.admin.common import bp, form_values, posted, refused, timezones
from server.office.pages import actor, for_roles, one_page, page, read_form
from server.resources.departments.schemas import DepartmentSchema, DepartmentUpdateSchema
from server.services import organisation
from server.services.common.errors import Conflict, Invalid
from shared.i18n import gettext
from shared.vocab import Role

FORM = "office/admin/department_form.html"


@bp.get("/departments")
@for_roles(Role.ADMIN)
def departments():
    items, pager = one_page(organisation.list_departments, actor(), {})
    return page("office/admin/departments.html", departments=items, pager=pager)


@bp.route("/departments/new", methods=["GET", "POST"])
@for_roles(Role.ADMIN)
def new_department():
    context = {"department": None, "timezones": timezones()}
    if not posted():
        return page(FORM, values={}, errors={}, **context)
    try:
        made = organisation.create_department(actor(), read_form(DepartmentSchema()))
    except (Invalid, Conflict) as error:
        return refused(FORM, error, values=form_values(), **context)
    flash(gettext("The department %(name)s is made.") % {"name": made.name}, "info")
    return redirect(url_for("office.admin.departments"), 303)


@bp.route("/departments/<uuid:department_id>", methods=["GET", "POST"])
@for_roles(Role.ADMIN)
def edit_department(department_id: uuid.UUID):
    department = organisation.get_department(actor(), department_id)
    context = {"department": department, "timezones": timezones()}
    if not posted():
        values = {"name": department.name, "timezone": department.timezone}
        return page(FORM, values=values, errors={}, **context)
    try:
        data = read_form(DepartmentSchema(only=("name", "timezone")))
        organisation.update_department(actor(), department.id, data)
    except (Invalid, Conflict) as error:
        return refused(FORM, error, values=form_values(), **context)
    flash(gettext("The department %(name)s is saved.") % {"name": department.name}, "info")
    return redirect(url_for("office.admin.departments"), 303)


@bp.post("/departments/<uuid:department_id>/active")
@for_roles(Role.ADMIN)
def department_active(department_id: uuid.UUID):
    """Close a department (the pages no longer offer it to choose; nothing in it is
    deleted) or open it again."""
    data = read_form(DepartmentUpdateSchema(only=("active",)))
    department = organisation.update_department(actor(), department_id, data)
    if department.active:
        flash(gettext("The department %(name)s is open again.") % {"name": department.name}, "info")
    else:
        flash(gettext("The department %(name)s is closed.") % {"name": department.name}, "info")
    return redirect(url_for("office.admin.edit_department", department_id=department.id), 303)
