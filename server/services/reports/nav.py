"""What the reports about one participant for NAV share: who may have them (leaders and
admins, of a participant they see, who has consented to reports going to NAV), and the
facts that head them (the participant, their NAV office, the department and the staff
member who follows them up)."""

import uuid
from dataclasses import dataclass

from sqlalchemy import select

from server.database import db
from server.models import Group, Participant, User
from server.services.common import scope
from server.services.common.actor import Actor
from server.services.common.errors import Conflict
from server.services.common.names import Named, ParticipantName
from server.services.reports.access import require_reporter
from shared.i18n import lazy_gettext
from shared.vocab import Country

NO_CONSENT = lazy_gettext("The participant has not consented to reports being sent to NAV.")
NOT_NORWEGIAN = lazy_gettext(
    "Reports to NAV are for Norwegian organisations; this organisation is in another country."
)


@dataclass(frozen=True)
class Subject:
    """Whom a report is about and who follows them up: plain values, read before the
    export is committed."""

    participant: ParticipantName
    nav_office: str | None
    nav_contact: str | None
    organisation: str
    department: Named
    # The staff member responsible for the participant's group, else the one making the
    # report.
    facilitator: str
    timezone: str
    country: str


def participant_for_nav(actor: Actor, participant_id: uuid.UUID) -> Participant:
    """The participant, if the caller sees them (else 404) and is a leader or admin (else
    403), and if they have consented to reports being sent to NAV (else 409)."""
    participant = scope.get_participant(actor, participant_id)
    require_reporter(actor)
    if participant.department.organisation.country != Country.NORWAY:
        raise Conflict(NOT_NORWEGIAN)
    if not participant.consent_nav_reporting:
        raise Conflict(NO_CONSENT)
    return participant


def subject(actor: Actor, participant: Participant) -> Subject:
    department = participant.department
    return Subject(
        participant=ParticipantName(participant.id, participant.first_name, participant.last_name),
        nav_office=participant.nav_office,
        nav_contact=participant.nav_contact,
        organisation=department.organisation.name,
        department=Named(department.id, department.name),
        facilitator=_facilitator(actor, participant),
        timezone=department.effective_timezone,
        country=department.organisation.country,
    )


def _facilitator(actor: Actor, participant: Participant) -> str:
    responsible = None
    if participant.group_id is not None:
        responsible = db.session.scalar(
            select(User.full_name)
            .join(Group, Group.responsible_user_id == User.id)
            .where(Group.id == participant.group_id, User.active.is_(True))
        )
    return responsible or db.session.scalar(select(User.full_name).where(User.id == actor.user_id))
