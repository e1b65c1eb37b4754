"""Participants: create, find, read, change with If-Match, end with an outcome."""

import uuid

from server import clock
from server.database import db
from server.models import Participant
from server.services.common import access_log, history, scope, versions
from server.services.common.actor import Actor
from server.services.common.errors import Conflict, Invalid
from server.services.storage import paging
from server.services.storage.paging import Window
from shared.i18n import gettext
from shared.vocab import AccessAction, ParticipantStatus

RESOURCE = "participant"
# The fields a PATCH may change and the history records.
EDITABLE = (
    "first_name",
    "last_name",
    "department_id",
    "phone",
    "gender",
    "birth_year",
    "start_date",
    "planned_end_date",
    "nav_office",
    "nav_contact",
    "consent_nav_reporting",
    "status",
)


def etag(participant: Participant) -> str:
    return versions.etag_of(RESOURCE, participant.id, participant.version)


def _search_name(first_name: str, last_name: str) -> str:
    return f"{first_name} {last_name}".casefold()


def _check_dates(participant: Participant) -> None:
    if participant.planned_end_date and participant.planned_end_date < participant.start_date:
        raise Invalid({"planned_end_date": gettext("Must not be before the start date.")})


def list_participants(actor: Actor, filters: dict, window: Window):
    stmt = scope.in_department_filter(actor, scope.participants(actor), filters)
    if filters.get("status"):
        stmt = stmt.where(Participant.status == filters["status"])
    if filters.get("q"):
        stmt = stmt.where(
            Participant.search_name.contains(filters["q"].strip().casefold(), autoescape=True)
        )
    items, total = paging.one_page(
        stmt, window, Participant.last_name, Participant.first_name, Participant.id
    )
    access_log.record(actor, [p.id for p in items], AccessAction.LIST, RESOURCE)
    db.session.commit()
    return items, total


def create_participant(actor: Actor, data: dict) -> Participant:
    scope.writable_department(actor, data["department_id"])
    participant = Participant(
        id=uuid.uuid4(),
        organisation_id=actor.organisation_id,
        status=ParticipantStatus.ACTIVE,
        search_name=_search_name(data["first_name"], data["last_name"]),
        **data,
    )
    _check_dates(participant)
    db.session.add(participant)
    db.session.flush()
    access_log.record(actor, [participant.id], AccessAction.CREATE, RESOURCE)
    db.session.commit()
    return participant


def get_participant(actor: Actor, participant_id: uuid.UUID) -> Participant:
    participant = scope.get_participant(actor, participant_id)
    access_log.record(actor, [participant.id], AccessAction.READ, RESOURCE)
    db.session.commit()
    return participant


def update_participant(
    actor: Actor, participant_id: uuid.UUID, data: dict, expected: frozenset[str] | None
):
    """Change a participant read at one of the ``expected`` versions (ETags)."""
    participant = scope.get_participant(actor, participant_id)
    versions.require_match(expected, etag(participant))
    if "department_id" in data and data["department_id"] != participant.department_id:
        scope.writable_department(actor, data["department_id"])
    if "status" in data and data["status"] != participant.status:
        if participant.status == ParticipantStatus.ENDED:
            raise Conflict(gettext("The participant has ended; their status cannot change."))
        if data["status"] == ParticipantStatus.ENDED:
            raise Invalid(
                {"status": gettext("End a participant with POST /participants/{id}/end.")}
            )
    before = history.snapshot(participant, EDITABLE)
    for field, value in data.items():
        setattr(participant, field, value)
    participant.search_name = _search_name(participant.first_name, participant.last_name)
    _check_dates(participant)
    changes = history.record_change(
        actor,
        RESOURCE,
        participant.id,
        before,
        history.snapshot(participant, EDITABLE),
        participant_id=participant.id,
    )
    if changes:
        access_log.record(actor, [participant.id], AccessAction.UPDATE, RESOURCE)
    else:
        access_log.record(actor, [participant.id], AccessAction.READ, RESOURCE)
    db.session.commit()
    return participant


def end_participant(actor: Actor, participant_id: uuid.UUID, data: dict) -> Participant:
    participant = scope.get_participant(actor, participant_id)
    if participant.status == ParticipantStatus.ENDED:
        raise Conflict(gettext("The participant has already ended."))
    today = clock.local_today(participant.department.effective_timezone)
    if data["end_date"] < participant.start_date:
        raise Invalid({"end_date": gettext("Must not be before the start date.")})
    if data["end_date"] > today:
        raise Invalid({"end_date": gettext("Must not be in the future.")})
    fields = ("status", "end_date", "outcome")
    before = history.snapshot(participant, fields)
    participant.status = ParticipantStatus.ENDED
    participant.end_date = data["end_date"]
    participant.outcome = data["outcome"]
    history.record_change(
        actor,
        RESOURCE,
        participant.id,
        before,
        history.snapshot(participant, fields),
        participant_id=participant.id,
    )
    access_log.record(actor, [participant.id], AccessAction.END, RESOURCE)
    db.session.commit()
    return participant
