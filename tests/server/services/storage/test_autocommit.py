"""Statements run outside a transaction: with psycopg, the ones marked on_driver() straight
on the driver, with the same values, rows and errors as through SQLAlchemy, and a pool that
stays sound."""

import uuid
from decimal import Decimal

import psycopg
import pytest
from sqlalchemy import Numeric, bindparam, cast, insert, select, text
from sqlalchemy.exc import IntegrityError, OperationalError, ResourceClosedError

from server import clock
from server.database import db
from server.models import AccessLogEntry, AuthSession, Participant
from server.services.common import access_log
from server.services.common.actor import Actor
from server.services.storage import autocommit, together
from shared.vocab import AccessAction, ParticipantStatus, Role
from tests.conftest import POSTGRES_URL
from tests.querycount import count_queries

pytestmark = pytest.mark.postgres(reason="the driver path is psycopg's")

PEOPLE = autocommit.on_driver(
    select(
        Participant.id,
        Participant.first_name,
        Participant.status,
        Participant.start_date,
        Participant.created_at,
    ).where(Participant.department_id == bindparam("department"))
)


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


def on_the_driver():
    """count_queries(), and the number of statements of those sent on the driver."""
    ran: list = []
    return count_queries(ran.append), ran


def test_rows_are_the_ones_sqlalchemy_gives(world):
    params = {"department": world.dept_a1.id}
    expected = db.session.execute(PEOPLE, params).all()
    db.session.rollback()
    counting, ran = on_the_driver()
    with counting, autocommit.connection() as connection:
        rows = connection.execute(PEOPLE, params).all()
    assert len(ran) == 1
    assert [tuple(row) for row in rows] == [tuple(row) for row in expected]
    row = rows[0]
    assert row.id == world.participant_a1.id
    # Converted by the column types, as SQLAlchemy does: an enum member, an aware time.
    assert row.status is ParticipantStatus.ACTIVE
    assert row.created_at.utcoffset() is not None


def test_a_column_is_converted_by_its_database_type(world):
    decimal = autocommit.on_driver(select(cast(bindparam("x"), Numeric).label("n")))
    with autocommit.connection() as connection:
        assert connection.execute(decimal, {"x": 1.5}).first().n == Decimal("1.5")


def test_values_are_converted_by_their_types_on_the_way_in(world):
    entry = log_entry(world)
    counting, ran = on_the_driver()
    with counting, autocommit.connection() as connection:
        together.insert_rows(connection, [(AccessLogEntry.__table__, entry)])
    assert len(ran) == 1
    stored = db.session.get(AccessLogEntry, entry["id"])
    assert stored.action is AccessAction.READ
    assert stored.at == entry["at"]


def test_other_statements_run_through_sqlalchemy(world):
    entry = log_entry(world)
    counting, ran = on_the_driver()
    with counting as sent, autocommit.connection() as connection:
        assert connection.execute(text("SELECT 1 AS one")).all() == [(1,)]
        returned = connection.execute(
            insert(AccessLogEntry).values(entry).returning(AccessLogEntry.id)
        )
        assert returned.scalar_one() == entry["id"]
    assert len(sent) == 2 and ran == []
    # In autocommit mode: the insert is stored though the block began no transaction.
    assert db.session.get(AccessLogEntry, entry["id"]) is not None


def test_one_of_is_one_array_parameter_whatever_the_lists_length(world):
    statement = autocommit.on_driver(
        select(Participant.first_name)
        .where(autocommit.one_of(Participant.department_id, "departments"))
        .order_by(Participant.first_name)
    )
    counting, ran = on_the_driver()
    with counting as sent, autocommit.connection() as connection:
        one = connection.execute(statement, {"departments": [world.dept_a1.id]}).all()
        both = connection.execute(
            statement, {"departments": [world.dept_a1.id, world.dept_a2.id]}
        ).all()
        none = connection.execute(statement, {"departments": []}).all()
    assert len(ran) == 3 and len(set(sent)) == 1 and "= ANY" in sent[0]
    assert [r.first_name for r in one] == ["PersonA1"]
    assert [r.first_name for r in both] == ["PersonA1", "PersonA2"]
    assert none == []


def test_a_marked_statement_the_driver_cannot_run_is_refused(world):
    ids = bindparam("ids", expanding=True)
    expanding = autocommit.on_driver(select(Participant.id).where(Participant.id.in_(ids)))
    own_value = autocommit.on_driver(select(Participant.id).where(Participant.first_name == "A"))
    with autocommit.connection() as connection:
        with pytest.raises(ValueError, match="cannot run on the driver"):
            connection.execute(expanding, {"ids": [world.participant_a1.id]})
        with pytest.raises(ValueError, match="cannot run on the driver"):
            connection.execute(own_value)


def test_a_broken_rule_is_sqlalchemys_error_with_the_values_hidden(world):
    entry = log_entry(world)
    with autocommit.connection() as connection:
        together.insert_rows(connection, [(AccessLogEntry.__table__, entry)])
        with pytest.raises(IntegrityError) as raised:
            together.insert_rows(connection, [(AccessLogEntry.__table__, entry)])
    assert "parameters hidden" in str(raised.value)
    assert str(entry["participant_id"]) not in str(raised.value)
    # Every pooled connection is back in transaction mode.
    idle = [db.engine.connect() for _ in range(db.engine.pool.checkedin())]
    assert idle and all(c.connection.driver_connection.autocommit is False for c in idle)
    for held in idle:
        held.close()


def terminate(backends: list[int]) -> None:
    with psycopg.connect(POSTGRES_URL.replace("+psycopg", ""), autocommit=True) as admin:
        for pid in backends:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))


def test_after_a_restart_only_the_first_request_fails(world):
    """When the database drops every connection (a restart), the first request to find
    out fails (503) and the pool's old connections are thrown away, as SQLAlchemy does."""
    held = [db.engine.connect() for _ in range(4)]
    terminate([c.connection.driver_connection.info.backend_pid for c in held])
    for c in held:
        c.close()
    failures = 0
    for _ in range(6):
        try:
            with autocommit.connection() as connection:
                connection.execute(PEOPLE, {"department": world.dept_a1.id}).all()
        except OperationalError as error:
            assert error.connection_invalidated
            failures += 1
    assert failures == 1


def test_a_lost_connection_runs_nothing_more(world):
    with autocommit.connection() as connection:
        terminate([connection.driver.info.backend_pid])
        with pytest.raises(OperationalError):
            connection.execute(PEOPLE, {"department": world.dept_a1.id})
        # SQLAlchemy would open another connection here, outside autocommit mode.
        with pytest.raises(ResourceClosedError):
            connection.execute(text("SELECT 1"))


def test_a_transaction_in_progress_is_used_instead(world):
    db.session.add(AuthSession(user_id=world.admin.id, refresh_jti="j", expires_at=clock.now()))
    db.session.flush()
    with autocommit.connection() as connection:
        assert connection is db.session.connection()
        assert connection.execute(select(AuthSession.id)).all()
    db.session.rollback()
