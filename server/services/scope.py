"""Department scoping, in the query: what an actor may see is all an actor can load.

An object outside the actor's organisation or departments is indistinguishable from one
that does not exist (404).
"""

import uuid

from sqlalchemy import Select, select, true

from server.extensions import db
from server.models import Department, Participant
from server.security import Actor, require_role
from server.services.errors import Invalid, NotFound
from shared.vocab import Role


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


def get_department(actor: Actor, department_id: uuid.UUID) -> Department:
    department = db.session.scalars(
        departments(actor).where(Department.id == department_id)
    ).first()
    if department is None:
        raise NotFound("Department not found.")
    return department


def get_participant(actor: Actor, participant_id: uuid.UUID, *roles: Role) -> Participant:
    """The participant if the actor sees them (else 404), and, with ``roles``, if the
    actor's role may act on them (else 403)."""
    participant = db.session.scalars(
        participants(actor).where(Participant.id == participant_id)
    ).first()
    if participant is None:
        raise NotFound("Participant not found.")
    if roles:
        require_role(actor, *roles)
    return participant


def writable_department(actor: Actor, department_id: uuid.UUID, field: str = "department_id"):
    """An open department the actor may put something in; a 422 on ``field`` otherwise."""
    department = db.session.scalars(
        departments(actor).where(Department.id == department_id)
    ).first()
    if department is None:
        raise Invalid({field: "Unknown department."})
    if not department.active:
        raise Invalid({field: "The department is closed."})
    return department


STAFF = (Role.ADMIN, Role.LEADER, Role.FACILITATOR)
MANAGERS = (Role.ADMIN, Role.LEADER)
