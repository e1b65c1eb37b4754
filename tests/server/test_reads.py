"""Statements run outside a transaction: on PostgreSQL straight on the driver, with the
same values, rows and errors as through SQLAlchemy, and a pool that stays sound."""

import uuid

import pytest
from sqlalchemy import bindparam, select, text
from sqlalchemy.exc import IntegrityError, OperationalError

from server import clock, reads
from server.extensions import db
from server.models import AccessLogEntry, AuthSession, Participant
from server.security import Actor
from server.services import access_log, together
from shared.vocab import AccessAction, ParticipantStatus, Role
from tests.conftest import POSTGRES_URL

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="the direct path is PostgreSQL's")

PEOPLE = select(
    Participant.id,
    Participant.first_name,
    Participant.status,
    Participant.start_date,
    Participant.created_at,
).where(Participant.department_id == bindparam("department"))


def test_rows_are_the_ones_sqlalchemy_gives(world):
    params = {"department": world.dept_a1.id}
    expected = db.session.execute(PEOPLE, params).all()
    db.session.rollback()
    with reads.connection() as connection:
        assert isinstance(connection, reads.Direct)
        rows = connection.execute(PEOPLE, params).all()
    assert [tuple(row) for row in rows] == [tuple(row) for row in expected]
    row = rows[0]
    assert row.id == world.participant_a1.id
    # Converted by the column types, as SQLAlchemy does: an enum member, an aware time.
    assert row.status is ParticipantStatus.ACTIVE
    assert row.created_at.utcoffset() is not None


def log_entry(world) -> dict:
    facilitator = world.facilitator
    actor = Actor(
        user_id=facilitator.id,
        organisation_id=facilitator.organisation_id,
        role=Role.FACILITATOR,
        department_ids=frozenset({world.dept_a1.id}),
        session_id=uuid.uuid4(),
    )
    return access_log.entry(actor, world.participant_a1.id, AccessAction.READ, "attendance")


def test_values_are_converted_by_their_types_on_the_way_in(world):
    entry = log_entry(world)
    with reads.connection() as connection:
        together.insert_rows(connection, [(AccessLogEntry.__table__, entry)])
    stored = db.session.get(AccessLogEntry, entry["id"])
    assert stored.action is AccessAction.READ
    assert stored.at == entry["at"]


def test_a_broken_rule_is_sqlalchemys_error_without_the_values(world):
    entry = log_entry(world)
    with reads.connection() as connection:
        together.insert_rows(connection, [(AccessLogEntry.__table__, entry)])
        with pytest.raises(IntegrityError) as raised:
            together.insert_rows(connection, [(AccessLogEntry.__table__, entry)])
    assert str(world.participant_a1.id) not in str(raised.value)
    # The connection went back to the pool fit for a transaction.
    db.session.add(AuthSession(user_id=world.admin.id, refresh_jti="j", expires_at=clock.now()))
    db.session.rollback()
    assert db.session.scalars(select(AuthSession)).all() == []


def test_a_connection_the_server_dropped_is_not_handed_out_again(world):
    with pytest.raises(OperationalError):
        with reads.connection() as connection:
            connection.execute(text("SELECT pg_terminate_backend(pg_backend_pid())"))
    for _ in range(db.engine.pool.size() + 1):
        with reads.connection() as connection:
            connection.execute(text("SELECT 1"))
    assert db.engine.pool.checkedout() == 0


def test_a_transaction_in_progress_is_used_instead(world):
    db.session.add(AuthSession(user_id=world.admin.id, refresh_jti="j", expires_at=clock.now()))
    db.session.flush()
    with reads.connection() as connection:
        assert connection is db.session.connection()
        assert connection.execute(select(AuthSession.id)).all()
    db.session.rollback()


def test_statements_it_cannot_run_as_they_are_are_refused(world):
    expanding = select(Participant.id).where(Participant.id.in_(bindparam("ids", expanding=True)))
    with reads.connection() as connection:
        with pytest.raises(ValueError):
            connection.execute(expanding, {"ids": [uuid.uuid4()]})
        with pytest.raises(ValueError):
            connection.execute(select(Participant.id).where(Participant.first_name == "A"))
