"""Statements outside a transaction.

On PostgreSQL a transaction costs two round trips of its own (BEGIN and COMMIT), and the
ORM session's bookkeeping around it. What a request only reads, and a write made by one
statement (which PostgreSQL commits atomically by itself), need neither: the token check
on every request, and the day's first check-in, the most frequent write there is.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection

from server.extensions import db


def transaction_open() -> bool:
    """Whether this request's session has begun a transaction (without making a session
    where the request has none yet)."""
    return db.session.registry.has() and db.session().in_transaction()


@contextmanager
def connection() -> Iterator[Connection]:
    """A pooled connection in autocommit mode for the block, given back after it (its
    isolation level reset), so a request never holds two. Once the session has begun a
    transaction, that transaction's connection instead, so the request's writes are seen."""
    if transaction_open():
        yield db.session.connection()
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as found:
        yield found
