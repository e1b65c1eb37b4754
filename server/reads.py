"""Statements outside a transaction.

On PostgreSQL a transaction costs two round trips of its own (BEGIN and COMMIT), and the
ORM session's bookkeeping around it. What a request only reads, and a write made by one
statement (which PostgreSQL commits atomically by itself), need neither: the token check
on every request, and the day's first check-in, the most frequent write there is.

There, such statements also skip SQLAlchemy's work per execution, which costs more CPU
than the driver's own: a prebuilt Core statement is compiled once, and each run only
converts the values its column types convert (the same conversions SQLAlchemy makes),
sends it on a pooled connection and names the columns of the rows that come back.
"""

import weakref
from collections import namedtuple
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg
from sqlalchemy import Connection, Dialect, Executable
from sqlalchemy.exc import DBAPIError

from server.extensions import db


def transaction_open() -> bool:
    """Whether this request's session has begun a transaction (without making a session
    where the request has none yet)."""
    return db.session.registry.has() and db.session().in_transaction()


@dataclass(frozen=True)
class _Plan:
    """A statement compiled for one dialect, with what converting its values takes."""

    sql: str
    # Each parameter that needs converting before it is sent, with its converter.
    converters: tuple[tuple[str, Callable], ...]
    # The row type and each column's converter (None where none is needed); no rows
    # come back when row is None.
    row: type | None
    column_converters: tuple[Callable | None, ...] | None

    @classmethod
    def of(cls, statement: Executable, dialect: Dialect) -> "_Plan":
        compiled = statement.compile(dialect=dialect)
        if compiled.post_compile_params or compiled.insert_prefetch or compiled.positional:
            raise ValueError("Only statements with named, plain parameters run directly.")
        converters = []
        for name, bind in compiled.binds.items():
            if bind.value is not None or bind.callable is not None:
                raise ValueError(f"Give {name!r} when the statement runs, not in it.")
            convert = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if convert is not None:
                converters.append((name, convert))
        row = column_converters = None
        if getattr(statement, "is_select", False):
            columns = statement.selected_columns
            row = namedtuple("Row", columns.keys())
            found = [c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns]
            column_converters = tuple(found) if any(found) else None
        return cls(compiled.string, tuple(converters), row, column_converters)


_plans: "weakref.WeakKeyDictionary[Executable, _Plan]" = weakref.WeakKeyDictionary()


class Rows(list):
    """The rows of a statement run directly, read like SQLAlchemy's result."""

    def all(self) -> list:
        return self

    def first(self):
        return self[0] if self else None


class Direct:
    """A pooled PostgreSQL connection in autocommit mode that runs Core statements on the
    driver. Database errors come out as SQLAlchemy's exceptions, as from a Connection."""

    def __init__(self, driver: psycopg.Connection, dialect: Dialect):
        self.driver = driver
        self.dialect = dialect

    def execute(self, statement: Executable, params: dict | None = None) -> Rows:
        plan = _plans.get(statement)
        if plan is None:
            plan = _plans[statement] = _Plan.of(statement, self.dialect)
        params = dict(params or ())
        if plan.converters:
            for name, convert in plan.converters:
                params[name] = convert(params[name])
        try:
            cursor = self.driver.execute(plan.sql, params)
            fetched = cursor.fetchall() if plan.row is not None else ()
        except psycopg.Error as error:
            raise DBAPIError.instance(
                plan.sql, None, error, psycopg.Error, hide_parameters=True, dialect=self.dialect
            ) from error
        make = plan.row._make if plan.row is not None else None
        if plan.column_converters is None:
            return Rows(map(make, fetched))
        converters = plan.column_converters

        def converted(row):
            return make(c(v) if c else v for c, v in zip(converters, row, strict=True))

        return Rows(map(converted, fetched))


@contextmanager
def connection() -> Iterator[Connection | Direct]:
    """A pooled connection in autocommit mode for the block, given back after it, so a
    request never holds two. Once the session has begun a transaction, that transaction's
    connection instead, so the request's writes are seen."""
    if transaction_open():
        yield db.session.connection()
        return
    if db.engine.dialect.name != "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as found:
            yield found
        return
    pooled = db.engine.raw_connection()
    driver = pooled.driver_connection
    try:
        driver.autocommit = True
        yield Direct(driver, db.engine.dialect)
    finally:
        try:
            driver.autocommit = False
        except psycopg.Error:
            # Lost or left in a transaction: the pool must not hand it out again.
            pooled.invalidate()
        pooled.close()
