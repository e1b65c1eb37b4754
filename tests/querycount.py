"""Count the SQL statements a block of code sends (to prove there is no N+1)."""

from contextlib import contextmanager

from sqlalchemy import event

from server.database import db
from server.services.storage import fastpath as reads


@contextmanager
def count_queries(on_direct=None):
    """The SQL of every statement sent, through SQLAlchemy or straight on the driver
    (``reads.Direct``); ``on_direct(direct)`` is called for each of the latter."""
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    real = reads.Direct._on_driver

    def on_driver(self, plan, params):
        statements.append(plan.sql)
        if on_direct:
            on_direct(self)
        return real(self, plan, params)

    event.listen(db.engine, "before_cursor_execute", record)
    reads.Direct._on_driver = on_driver
    try:
        yield statements
    finally:
        reads.Direct._on_driver = real
        event.remove(db.engine, "before_cursor_execute", record)
