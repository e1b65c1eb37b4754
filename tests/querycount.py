"""Count the SQL statements a block of code sends (to prove there is no N+1)."""

from contextlib import contextmanager

from sqlalchemy import event

from server.extensions import db


@contextmanager
def count_queries():
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
