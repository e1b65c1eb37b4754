"""Staff accounts: the list, a new account, a change of name, role, departments or
language, deactivating and reactivating, and a new password set by the admin (admins; as
the API's /users). Deactivating an account or setting its password ends its logins at
once, in the office as on the phone."""

import uuid

from flask import flash, redirect, request, url_for

from server.office.admin.common import bp, choices, form_values, posted, read_query, refused
from server.office.pages import actor, for_roles, one_page, page, read_form
from server.resources.users.schemas import UserQuerySchema, UserSchema, UserUpdateSchema
from server.services import accounts, organisation
from server.services.common.errors import Conflict, Invalid
from server.services.storage.paging import Window
from shared.i18n import gettext
from shared.vocab import Language, Role

FORM = "office/admin/staff_form.html"
PASSWORD_FORM = "office/admin/staff_password.html"
# What the account form changes; the state and the password have forms of their own.
EDITABLE = ("full_name", "role", "department_ids", "language")


def _departments() -> list:
    """Every department of the organisation, closed ones too, by name."""
    items, _ = organisation.list_departments(actor(), {}, Window(0, 1000))
    return items


def _form_context(user=None) -> dict:
    return {
        "user": user,
        "roles": choices(Role),
        "languages": choices(Language),
        "departments": _departments(),
    }


def _typed() -> dict:
    """The form as typed, the departments ticked as a list."""
    values = form_values()
    values["department_ids"] = [value for value in request.form.getlist("department_ids") if value]
    return values


@bp.get("/staff")
@for_roles(Role.ADMIN)
def staff():
    filters, errors = read_query(UserQuerySchema())
    users, pager = one_page(accounts.list_users, actor(), filters)
    return page(
        "office/admin/staff.html",
        users=users,
        pager=pager,
        filters=filters,
        errors=errors,
        roles=choices(Role),
        departments=[(str(department.id), department.name) for department in _departments()],
    )


@bp.route("/staff/new", methods=["GET", "POST"])
@for_roles(Role.ADMIN)
def new_staff():
    if not posted():
        values = {"role": Role.FACILITATOR, "department_ids": []}
        return page(FORM, values=values, errors={}, **_form_context())
    try:
        user = accounts.create_user(actor(), read_form(UserSchema()))
    except (Invalid, Conflict) as error:
        values = _typed()
        if "password" in (error.field_errors or {}):
            values.pop("password", None)  # a refused password is typed afresh
        return refused(FORM, error, values=values, **_form_context())
    flash(gettext("The account %(username)s is made.") % {"username": user.username}, "info")
    return redirect(url_for("office.admin.edit_staff", user_id=user.id), 303)


@bp.route("/staff/<uuid:user_id>", methods=["GET", "POST"])
@for_roles(Role.ADMIN)
def edit_staff(user_id: uuid.UUID):
    user = accounts.get_user(actor(), user_id)
    if not posted():
        values = {
            "full_name": user.full_name,
            "role": user.role,
            "language": user.language,
            "department_ids": [str(department.id) for department in user.departments],
        }
        return page(FORM, values=values, errors={}, **_form_context(user))
    try:
        accounts.update_user(actor(), user.id, read_form(UserSchema(only=EDITABLE)))
    except (Invalid, Conflict) as error:
        return refused(FORM, error, values=_typed(), **_form_context(user))
    flash(gettext("The account %(username)s is saved.") % {"username": user.username}, "info")
    return redirect(url_for("office.admin.edit_staff", user_id=user.id), 303)


@bp.post("/staff/<uuid:user_id>/active")
@for_roles(Role.ADMIN)
def staff_active(user_id: uuid.UUID):
    """Deactivate an account (its logins end at once) or reactivate it."""
    data = read_form(UserUpdateSchema(only=("active",)))
    try:
        user = accounts.update_user(actor(), user_id, data)
    except Conflict as error:
        flash(str(error.message), "error")
        return redirect(url_for("office.admin.edit_staff", user_id=user_id), 303)
    if user.active:
        flash(
            gettext("The account %(username)s is active again.") % {"username": user.username},
            "info",
        )
    else:
        flash(
            gettext("The account %(username)s is deactivated; its logins have ended.")
            % {"username": user.username},
            "info",
        )
    return redirect(url_for("office.admin.edit_staff", user_id=user.id), 303)


@bp.route("/staff/<uuid:user_id>/password", methods=["GET", "POST"])
@for_roles(Role.ADMIN)
def staff_password(user_id: uuid.UUID):
    """A new password, set by the admin and told to the user in person; the account's
    logins end, so it is used at the next login."""
    user = accounts.get_user(actor(), user_id)
    if not posted():
        return page(PASSWORD_FORM, user=user, errors={})
    try:
        accounts.update_user(actor(), user.id, read_form(UserSchema(only=("password",))))
    except Invalid as error:
        return refused(PASSWORD_FORM, error, user=user)
    flash(
        gettext("The new password of %(username)s is set; the account's logins have ended.")
        % {"username": user.username},
        "info",
    )
    return redirect(url_for("office.admin.edit_staff", user_id=user.id), 303)
