"""Statements run outside a transaction: with psycopg straight on the driver, with the
same values, rows and errors as through SQLAlchemy, and a pool that stays sound."""

import uuid

import psycopg
import pytest
from sqlalchemy import Numeric, bindparam, cast, insert, select, text
from sqlalchemy.exc import IntegrityError, OperationalError

from server import clock, reads
from server.extensions import db
from server.models import AccessLogEntry, AuthSession, Participant
from server.security import Actor
from server.services import access_log, together
from shared.vocab import AccessAction, ParticipantStatus, Role
from tests.conftest import POSTGRES_URL
from tests.querycount import count_queries

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="the direct path is psycopg's")

PEOPLE = select(
    Participant.id,
    Participant.first_name,
    Participant.status,
    Participant.start_date,
    Participant.created_at,
).where(Participant.department_id == bindparam("department"))


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


def test_rows_are_the_ones_sqlalchemy_gives(world):
    params = {"department": world.dept_a1.id}
    expected = db.session.execute(PEOPLE, params).all()
    db.session.rollback()
    with count_queries() as sent, reads.connection() as connection:
        rows = connection.execute(PEOPLE, params).all()
    assert len(sent) == 1 and isinstance(rows, reads.Rows)
    assert [tuple(row) for row in rows] == [tuple(row) for row in expected]
    row = rows[0]
    assert row.id == world.participant_a1.id
    # Converted by the column types, as SQLAlchemy does: an enum member, an aware time.
    assert row.status is ParticipantStatus.ACTIVE
    assert row.created_at.utcoffset() is not None


def test_values_are_converted_by_their_types_on_the_way_in(world):
    entry = log_entry(world)
    with reads.connection() as connection:
        together.insert_rows(connection, [(AccessLogEntry.__table__, entry)])
    stored = db.session.get(AccessLogEntry, entry["id"])
    assert stored.action is AccessAction.READ
    assert stored.at == entry["at"]


def test_what_the_driver_path_cannot_run_goes_through_sqlalchemy(world):
    """Nothing is lost or wrong: rows of text() and RETURNING, an expanding IN, values of
    the statement's own, names a row type cannot have, a column typed by the result."""
    entry = log_entry(world)
    ids = [world.participant_a1.id, world.participant_a2.id]
    with count_queries() as sent, reads.connection() as connection:
        assert connection.execute(text("SELECT 1 AS one")).all() == [(1,)]
        returned = connection.execute(
            insert(AccessLogEntry).values(entry).returning(AccessLogEntry.id)
        )
        assert returned.scalar_one() == entry["id"]
        in_ids = select(Participant.id).where(Participant.id.in_(bindparam("ids", expanding=True)))
        assert len(connection.execute(in_ids, {"ids": ids}).all()) == 2
        named = select(Participant.first_name.label("_first")).where(Participant.first_name == "A")
        assert connection.execute(named).all() == []
        assert connection.execute(select(cast(1.5, Numeric))).scalar() == 1.5
    # All of them through SQLAlchemy, none on the driver.
    assert len(sent) == 5


def test_a_broken_rule_is_sqlalchemys_error_with_the_values_hidden(world):
    entry = log_entry(world)
    with reads.connection() as connection:
        together.insert_rows(connection, [(AccessLogEntry.__table__, entry)])
        with pytest.raises(IntegrityError) as raised:
            together.insert_rows(connection, [(AccessLogEntry.__table__, entry)])
    assert "parameters hidden" in str(raised.value)
    assert str(entry["participant_id"]) not in str(raised.value)
    # The connection went back to the pool fit for a transaction.
    db.session.add(AuthSession(user_id=world.admin.id, refresh_jti="j", expires_at=clock.now()))
    db.session.rollback()
    assert db.session.scalars(select(AuthSession)).all() == []


def test_after_a_restart_only_the_first_request_fails(world):
    """When the database drops every connection (a restart), the first request to find
    out fails (503) and the pool is opened anew, as SQLAlchemy does itself."""
    held = [db.engine.connect() for _ in range(4)]
    backends = [c.connection.driver_connection.info.backend_pid for c in held]
    for c in held:
        c.close()
    with psycopg.connect(POSTGRES_URL.replace("+psycopg", ""), autocommit=True) as admin:
        for pid in backends:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    failures = 0
    for _ in range(6):
        try:
            with reads.connection() as connection:
                connection.execute(PEOPLE, {"department": world.dept_a1.id}).all()
        except OperationalError as error:
            assert error.connection_invalidated
            failures += 1
    assert failures == 1


def test_a_transaction_in_progress_is_used_instead(world):
    db.session.add(AuthSession(user_id=world.admin.id, refresh_jti="j", expires_at=clock.now()))
    db.session.flush()
    with reads.connection() as connection:
        assert connection is db.session.connection()
        assert connection.execute(select(AuthSession.id)).all()
    db.session.rollback()
