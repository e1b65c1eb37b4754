"""Department scoping, in the query: what an actor may see is all an actor can load.

An object outside the actor's organisation or departments is indistinguishable from one
that does not exist (404).
"""

import uuid

from sqlalchemy import Select, bindparam, func, select, true
from sqlalchemy.orm import joinedload

from server.database import db
from server.models import Department, Organisation, Participant
from server.services.common.actor import Actor, require_role
from server.services.common.errors import Forbidden, Invalid, NotFound
from server.services.storage import autocommit
from shared.i18n import gettext, lazy_gettext
from shared.vocab import Role


def organisation(actor: Actor) -> Organisation:
    """The actor's own organisation."""
    return db.session.get(Organisation, actor.organisation_id)


def department_clause(actor: Actor, column):
    """A WHERE clause limiting ``column`` (a department id) to the actor's departments."""
    if actor.is_admin:
        return true()
    return column.in_(actor.department_ids)


def departments(actor: Actor) -> Select:
    return select(Department).where(
        Department.organisation_id == actor.organisation_id,
        department_clause(actor, Department.id),
    )


def participants(actor: Actor) -> Select:
    return select(Participant).where(
        Participant.organisation_id == actor.organisation_id,
        department_clause(actor, Participant.department_id),
    )


def of_visible_participants(actor: Actor, stmt: Select, participant_id_column) -> Select:
    """Limit ``stmt`` (rows about participants, such as attendance or calls) to rows of
    participants the actor sees."""
    return stmt.join(Participant, Participant.id == participant_id_column).where(
        Participant.organisation_id == actor.organisation_id,
        department_clause(actor, Participant.department_id),
    )


def in_department_filter(actor: Actor, stmt: Select, filters: dict) -> Select:
    """Narrow a list about participants (joined to Participant) to ``?department_id=``, a
    department the actor sees (else 404, like every other way of naming it)."""
    if not filters.get("department_id"):
        return stmt
    department = get_department(actor, filters["department_id"])
    return stmt.where(Participant.department_id == department.id)


def get_department(actor: Actor, department_id: uuid.UUID) -> Department:
    department = db.session.scalars(
        departments(actor).where(Department.id == department_id)
    ).first()
    if department is None:
        raise NotFound(gettext("Department not found."))
    return department


def department_named(actor: Actor, name_or_id: str) -> uuid.UUID:
    """The id of the department the actor sees by this name (any case) or id (the
    command line's way of naming one), else 404."""
    try:
        return get_department(actor, uuid.UUID(name_or_id)).id
    except ValueError:
        pass
    department = db.session.scalars(
        departments(actor).where(Department.name_key == name_or_id.casefold())
    ).first()
    if department is None:
        raise NotFound(gettext("Department not found."))
    return department.id


def get_participant(actor: Actor, participant_id: uuid.UUID, *roles: Role) -> Participant:
    """The participant if the actor sees them (else 404), and, with ``roles``, if the
    actor's role may act on them (else 403)."""
    participant = db.session.scalars(
        participants(actor)
        .where(Participant.id == participant_id)
        .options(joinedload(Participant.department))
    ).first()
    if participant is None:
        raise NotFound(gettext("Participant not found."))
    if roles:
        require_role(actor, *roles)
    return participant


class ParticipantFacts:
    """A prebuilt, scoped query for what a write about one participant needs to know,
    without loading the participant: id, organisation_id, department_id, status,
    start_date, end_date and the local timezone, plus a caller's extra columns from outer
    joins. Built once (for an admin and for other staff), and sent on the driver where it
    runs outside a transaction (the day's first check-in), because writes by the phone are
    the hot path; scoped exactly like ``get_participant`` (404 when not seen)."""

    def __init__(self, *extra_columns, outerjoins=()):
        self._statements = {
            admin: self._build(admin, extra_columns, outerjoins) for admin in (True, False)
        }

    @staticmethod
    def _build(admin: bool, extra_columns, outerjoins) -> Select:
        stmt = (
            select(
                Participant.id,
                Participant.organisation_id,
                Participant.department_id,
                Participant.status,
                Participant.start_date,
                Participant.end_date,
                func.coalesce(Department.timezone, Organisation.timezone).label("timezone"),
                *extra_columns,
            )
            .join(Department, Department.id == Participant.department_id)
            .join(Organisation, Organisation.id == Participant.organisation_id)
        )
        for target, onclause in outerjoins:
            stmt = stmt.outerjoin(target, onclause)
        stmt = stmt.where(
            Participant.id == bindparam("participant_id"),
            Participant.organisation_id == bindparam("scope_organisation"),
        )
        if not admin:
            stmt = stmt.where(autocommit.one_of(Participant.department_id, "scope_departments"))
        return autocommit.on_driver(stmt)

    def find(self, actor: Actor, participant_id: uuid.UUID, connection=None, **params):
        """The row for the participant (404 when not seen), on ``connection`` if given,
        else the session's."""
        params = {
            "participant_id": participant_id,
            "scope_organisation": actor.organisation_id,
            **params,
        }
        if not actor.is_admin:
            params["scope_departments"] = list(actor.department_ids)
        connection = connection or db.session.connection()
        row = connection.execute(self._statements[actor.is_admin], params).first()
        if row is None:
            raise NotFound(gettext("Participant not found."))
        return row


def works_in(actor: Actor, department_id: uuid.UUID) -> bool:
    """Whether the actor is staff of the department (an admin only if a member of it): the
    rule for sensitive text such as follow-up notes and meeting minutes."""
    return department_id in actor.department_ids


def sensitive_text(actor: Actor, department_id: uuid.UUID, text: str | None):
    """(the text, or None where the actor may not read it; whether some was withheld)."""
    if works_in(actor, department_id):
        return text, False
    return None, bool(text)


def require_works_in(actor: Actor, department_id: uuid.UUID) -> None:
    if not works_in(actor, department_id):
        raise Forbidden(lazy_gettext("Only the staff of the participant's department may do this."))


def writable_department(actor: Actor, department_id: uuid.UUID, field: str = "department_id"):
    """An open department the actor may put something in; a 422 on ``field`` otherwise."""
    department = db.session.scalars(
        departments(actor).where(Department.id == department_id)
    ).first()
    if department is None:
        raise Invalid({field: gettext("Unknown department.")})
    if not department.active:
        raise Invalid({field: gettext("The department is closed.")})
    return department


STAFF = (Role.ADMIN, Role.LEADER, Role.FACILITATOR)
MANAGERS = (Role.ADMIN, Role.LEADER)
