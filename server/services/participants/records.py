"""Participants: create, find, read, change with If-Match, end with an outcome."""

import uuid

from server import clock
from server.database import db
from server.models import Participant
from server.services import groups
from server.services.common import access_log, history, scope, versions
from server.services.common.actor import Actor
from server.services.common.errors import Conflict, Invalid
from server.services.storage import paging
from server.services.storage.paging import Window
from shared.i18n import gettext
from shared.vocab import AccessAction, Country, ParticipantStatus, Participation

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
    "group_id",
    "enrolment_type",
    "participation",
    "days_per_week",
)
# The days a week below which a place is not full-time.
FULL_TIME_DAYS = 5


def etag(participant: Participant) -> str:
    return versions.etag_of(RESOURCE, participant.id, participant.version)


def _search_name(first_name: str, last_name: str) -> str:
    return f"{first_name} {last_name}".casefold()


def _check_dates(participant: Participant) -> None:
    if participant.planned_end_date and participant.planned_end_date < participant.start_date:
        raise Invalid({"planned_end_date": gettext("Must not be before the start date.")})


def _check_enrolment(actor: Actor, participant: Participant, given) -> None:
    """The enrolment type the country asks for, and a participation that agrees with the
    days a week.

    Denmark places a citizen under serviceloven § 103 or § 104: the type is required.
    Norway has no such types: none may be given. Full-time means at least five days a
    week when both are given; part-time may be any number of days (shorter days). A
    change checks the type only when it names it (``given``: the fields sent), so a
    participant stored before the rule can still be changed otherwise."""
    country = scope.organisation(actor).country
    if "enrolment_type" not in given:
        pass
    elif country == Country.DENMARK and participant.enrolment_type is None:
        raise Invalid({"enrolment_type": gettext("Required in Denmark: § 103 or § 104.")})
    elif country != Country.DENMARK and participant.enrolment_type is not None:
        raise Invalid(
            {"enrolment_type": gettext("The organisation's country has no enrolment types.")}
        )
    if (
        participant.participation == Participation.FULL_TIME
        and participant.days_per_week is not None
        and participant.days_per_week < FULL_TIME_DAYS
    ):
        raise Invalid(
            {
                "days_per_week": gettext("Full-time is at least {n} days a week.").format(
                    n=FULL_TIME_DAYS
                )
            }
        )


def list_participants(actor: Actor, filters: dict, window: Window):
    """The participants the actor sees, by name: of one department (``department_id``),
    with one status, in one group (``group_id``: its members now), or whose name holds
    ``q``."""
    stmt = scope.in_department_filter(actor, scope.participants(actor), filters)
    if filters.get("status"):
        stmt = stmt.where(Participant.status == filters["status"])
    if filters.get("group_id"):
        stmt = stmt.where(Participant.group_id == filters["group_id"])
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
    data = dict(data)
    group_id = data.pop("group_id", None)
    participant = Participant(
        id=uuid.uuid4(),
        organisation_id=actor.organisation_id,
        status=ParticipantStatus.ACTIVE,
        search_name=_search_name(data["first_name"], data["last_name"]),
        **data,
    )
    _check_dates(participant)
    _check_enrolment(actor, participant, {"enrolment_type", *data})
    if group_id is not None:
        groups.require_group_of(participant.department_id, group_id)
    db.session.add(participant)
    db.session.flush()
    groups.place_in_group(actor, participant, group_id)
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
    moved = data.get("department_id", participant.department_id) != participant.department_id
    for field, value in data.items():
        if field != "group_id":
            setattr(participant, field, value)
    participant.search_name = _search_name(participant.first_name, participant.last_name)
    _check_dates(participant)
    _check_enrolment(actor, participant, data)
    if moved:
        # A group belongs to its department: a participant who moves leaves it (and may
        # join one of the new department's in the same change).
        groups.close_membership(actor, participant)
    if "group_id" in data:
        groups.place_in_group(actor, participant, data["group_id"])
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
    fields = ("status", "end_date", "outcome", "group_id")
    before = history.snapshot(participant, fields)
    participant.status = ParticipantStatus.ENDED
    participant.end_date = data["end_date"]
    participant.outcome = data["outcome"]
    # Whoever has ended belongs to no group any more: the span ends with the programme.
    groups.close_membership(actor, participant)
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
