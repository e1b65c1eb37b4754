"""The administration's front page: the sections, and the organisation's own details."""

from flask import flash, redirect, url_for

from server.office.admin.common import bp, choices, form_values, refused, timezones
from server.office.pages import actor, departments, for_roles, page, read_form
from server.resources.organisation.schemas import OrganisationSchema
from server.services import organisation
from server.services.common.errors import Conflict, Invalid
from shared.i18n import gettext
from shared.vocab import Country, Language, Role

TEMPLATE = "office/admin/index.html"


def _context(values: dict) -> dict:
    return {
        "values": values,
        "countries": choices(Country),
        "languages": choices(Language),
        "timezones": timezones(),
    }


def _stored() -> dict:
    found = organisation.get_organisation(actor())
    return {
        "name": found.name,
        "country": found.country,
        "language": found.language,
        "timezone": found.timezone,
    }


@bp.get("/")
@for_roles(Role.LEADER, Role.ADMIN)
def index():
    """The sections the actor may open: for a leader, their departments' groups and the
    innsyn export; for an admin everything, with the organisation's details."""
    if not actor().is_admin:
        return page(TEMPLATE, errors={}, departments=departments())
    return page(TEMPLATE, errors={}, departments=[], **_context(_stored()))


@bp.post("/organisation")
@for_roles(Role.ADMIN)
def update_organisation():
    try:
        organisation.update_organisation(actor(), read_form(OrganisationSchema()))
    except (Invalid, Conflict) as error:
        return refused(TEMPLATE, error, departments=[], **_context(form_values()))
    flash(gettext("The organisation's details are saved."), "info")
    return redirect(url_for("office.admin.index"), 303)
