"""Count the SQL statements a block of code sends (to prove there is no N+1)."""

from contextlib import contextmanager

from sqlalchemy import event

from server.database import db
from server.services.storage import autocommit


@contextmanager
def count_queries(on_direct=None):
    """The SQL of every statement sent, through SQLAlchemy or straight on the driver (by an
    ``autocommit.AutocommitConnection``); ``on_direct(connection)`` is called for each of
    the latter."""
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    real = autocommit.AutocommitConnection._on_driver

    def on_driver(self, compiled, params):
        statements.append(compiled.sql)
        if on_direct:
            on_direct(self)
        return real(self, compiled, params)

    event.listen(db.engine, "before_cursor_execute", record)
    autocommit.AutocommitConnection._on_driver = on_driver
    try:
        yield statements
    finally:
        autocommit.AutocommitConnection._on_driver = real
        event.remove(db.engine, "before_cursor_execute", record)


def without_log_inserts(statements: list[str]) -> list[str]:
    """The statements but the access log's INSERT: a list read sends it only when the list
    shows someone the caller has not listed yet this hour (server.services.common.access_log),
    so whether it is sent says nothing about the list's length."""
    return [
        sql for sql in statements if not sql.lstrip().upper().startswith("INSERT INTO ACCESS_LOG")
    ]
