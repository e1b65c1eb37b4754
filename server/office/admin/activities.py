"""The organisation's activities for the anonymous tally: the list in the phone's order,
a new one, renaming, deactivating and reactivating, moving one up or down (admins; as the
API's /tally-activities). An activity is never deleted: tallies refer to it."""

import uuid

from flask import flash, redirect, request, url_for

from server.office.admin.common import bp, form_values, posted, refused
from server.office.pages import actor, for_roles, page, read_form
from server.resources.tallies.schemas import ActivityIn
from server.services import tallies
from server.services.common.errors import Conflict, Invalid, NotFound
from shared.i18n import gettext
from shared.vocab import Role

LIST = "office/admin/activities.html"
FORM = "office/admin/activity_form.html"
STEPS = {"up": -1, "down": 1}


def _list(**context):
    activities = tallies.list_activities(actor(), include_inactive=True)
    return page(LIST, activities=activities, **{"values": {}, "errors": {}, **context})


@bp.get("/activities")
@for_roles(Role.ADMIN)
def activities():
    return _list()


@bp.post("/activities")
@for_roles(Role.ADMIN)
def new_activity():
    try:
        made = tallies.create_activity(actor(), read_form(ActivityIn(only=("name",))))
    except (Invalid, Conflict) as error:
        activities = tallies.list_activities(actor(), include_inactive=True)
        return refused(LIST, error, activities=activities, values=form_values())
    flash(gettext("The activity %(name)s is added.") % {"name": made.name}, "info")
    return redirect(url_for("office.admin.activities"), 303)


@bp.route("/activities/<uuid:activity_id>", methods=["GET", "POST"])
@for_roles(Role.ADMIN)
def edit_activity(activity_id: uuid.UUID):
    activity = tallies.get_activity(actor(), activity_id)
    if not posted():
        values = {"name": activity.name, "active": activity.active}
        return page(FORM, activity=activity, values=values, errors={})
    try:
        tallies.update_activity(actor(), activity.id, read_form(ActivityIn()))
    except (Invalid, Conflict) as error:
        values = {**form_values(), "active": request.form.getlist("active")[-1:] == ["true"]}
        return refused(FORM, error, activity=activity, values=values)
    flash(gettext("The activity %(name)s is saved.") % {"name": activity.name}, "info")
    return redirect(url_for("office.admin.activities"), 303)


@bp.post("/activities/<uuid:activity_id>/move")
@for_roles(Role.ADMIN)
def move_activity(activity_id: uuid.UUID):
    step = STEPS.get(request.form.get("direction", ""))
    if step is None:
        raise NotFound()
    tallies.move_activity(actor(), activity_id, step)
    return redirect(url_for("office.admin.activities", _anchor=f"activity-{activity_id}"), 303)
