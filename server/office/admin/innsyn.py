"""Innsyn: everything stored about a participant, for their request for access, as a
JSON file to save (leaders and admins; as the API's GET /participants/{id}/export). The
reason is stated in a posted form, never in an address, and the service keeps it in the
access log and the security event log."""

import json
import uuid

from flask import Response, request

from server import clock
from server.office.admin.common import bp, form_values, refused
from server.office.pages import CHECK_FIELDS, actor, for_roles, page, read_form, uuid_arg
from server.resources.participants.schemas import ExportQuerySchema, ExportSchema
from server.services import participants
from server.services.common.errors import Invalid
from server.services.storage.paging import Window
from shared.i18n import gettext
from shared.vocab import Role

TEMPLATE = "office/admin/innsyn.html"
# How many participants the list offers at most.
CHOICES = 1000


def _participants() -> list[tuple[str, str]]:
    found, _ = participants.list_participants(actor(), {}, Window(0, CHOICES))
    return [(str(p.id), f"{p.last_name}, {p.first_name}") for p in found]


@bp.get("/innsyn")
@for_roles(Role.LEADER, Role.ADMIN)
def innsyn():
    chosen = uuid_arg("participant")
    values = {"participant": str(chosen) if chosen else ""}
    return page(TEMPLATE, participants=_participants(), values=values, errors={})


@bp.post("/innsyn")
@for_roles(Role.LEADER, Role.ADMIN)
def export():
    try:
        participant_id, reason = _read()
        document = participants.export_participant(actor(), participant_id, reason)
    except Invalid as error:
        return refused(TEMPLATE, error, participants=_participants(), values=form_values())
    body = json.dumps(ExportSchema().dump(document), ensure_ascii=False, indent=2)
    response = Response(body, content_type="application/json; charset=utf-8")
    # The file's name tells when, never whom: it may end up in a downloads folder.
    name = f"spire-innsyn-{clock.now():%Y%m%d-%H%M%S}.json"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _read() -> tuple[uuid.UUID, str]:
    """The participant chosen and the reason given, or ``Invalid`` naming every box that
    needs another look."""
    errors: dict[str, list[str]] = {}
    reason = ""
    try:
        reason = read_form(ExportQuerySchema())["reason"]
    except Invalid as error:
        errors.update(error.field_errors or {})
    try:
        participant_id = uuid.UUID(request.form.get("participant", ""))
    except ValueError:
        errors["participant"] = [gettext("Choose the participant.")]
    if errors:
        raise Invalid(errors, CHECK_FIELDS)
    return participant_id, reason
