"""Statements outside a transaction.

On PostgreSQL a transaction costs two round trips of its own (BEGIN and COMMIT), and the
ORM session's bookkeeping around it. What a request only reads, and a write made by one
statement (which PostgreSQL commits atomically by itself), need neither: the token check
on every request, and the day's first check-in, the most frequent write there is.

With psycopg, such statements also skip SQLAlchemy's work per execution, which costs
more CPU than the driver's own. A prebuilt Core statement (a module-level constant: the
plan is kept as long as the statement) is compiled once; each run converts only the
values whose column types convert them, with the types' own converters, and sends it
on the driver. A statement that needs more of SQLAlchemy than that (values of its own,
expanding IN, Python-side defaults, RETURNING, text()) runs through SQLAlchemy instead.
"""

import keyword
import weakref
from collections import namedtuple
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg
from sqlalchemy import Connection, Dialect, Executable, Select
from sqlalchemy.exc import DBAPIError

from server.extensions import db


def transaction_open() -> bool:
    """Whether this request's session has begun a transaction (without making a session
    where the request has none yet)."""
    return db.session.registry.has() and db.session().in_transaction()


@dataclass
class _Plan:
    """A statement compiled for one dialect, with what converting its values takes."""

    sql: str
    # Each parameter its type converts before it is sent, with the converter.
    converters: tuple[tuple[str, Callable], ...]
    # For a SELECT: its columns, the row type naming them, and each column's converter
    # (known once the first result tells the columns' database types).
    columns: tuple = ()
    row: type | None = None
    column_converters: tuple[Callable | None, ...] | None = None

    @classmethod
    def of(cls, statement: Executable, dialect: Dialect) -> "_Plan | None":
        """The plan, or None when the statement needs SQLAlchemy to run."""
        if not (isinstance(statement, Select) or getattr(statement, "is_dml", False)):
            return None
        compiled = statement.compile(dialect=dialect)
        if (
            compiled.positional
            or compiled.post_compile_params
            or compiled.literal_execute_params
            or compiled.escaped_bind_names
            or compiled.insert_prefetch
            or compiled.update_prefetch
            or compiled.effective_returning
            or not all(bind.required for bind in compiled.binds.values())
        ):
            return None
        converters = []
        for name, bind in compiled.binds.items():
            convert = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if convert is not None:
                converters.append((name, convert))
        plan = cls(compiled.string, tuple(converters))
        if isinstance(statement, Select):
            names = statement.selected_columns.keys()
            if not all(n.isidentifier() and not keyword.iskeyword(n) for n in names):
                return None
            if any(n.startswith("_") for n in names) or len(set(names)) < len(names):
                return None
            plan.columns = tuple(statement.selected_columns)
            plan.row = namedtuple("Row", names)
        return plan

    def rows(self, cursor: psycopg.Cursor, dialect: Dialect) -> "Rows":
        if self.row is None:
            return Rows()
        if self.column_converters is None:
            found = tuple(
                column.type.dialect_impl(dialect).result_processor(dialect, described.type_code)
                for column, described in zip(self.columns, cursor.description, strict=True)
            )
            self.column_converters = found if any(found) else ()
        make, converters = self.row._make, self.column_converters
        if not converters:
            return Rows(map(make, cursor.fetchall()))

        def converted(row):
            return make(c(v) if c else v for c, v in zip(converters, row, strict=True))

        return Rows(map(converted, cursor.fetchall()))


# Per dialect, per statement; both weakly, so a plan goes with its statement.
_plans: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_NO_PLAN = object()


def _plan(statement: Executable, dialect: Dialect) -> _Plan | None:
    known = _plans.get(dialect)
    if known is None:
        known = _plans[dialect] = weakref.WeakKeyDictionary()
    plan = known.get(statement)
    if plan is None:
        plan = known[statement] = _Plan.of(statement, dialect) or _NO_PLAN
    return None if plan is _NO_PLAN else plan


class Rows(list):
    """The rows of a SELECT run on the driver, read like SQLAlchemy's result."""

    def all(self) -> list:
        return self

    def first(self):
        return self[0] if self else None

    def scalar(self):
        return self[0][0] if self else None


class Direct:
    """A pooled connection in autocommit mode whose statements run on the driver where
    they can (see the module), and through SQLAlchemy where they cannot. Database errors
    come out as SQLAlchemy's exceptions; a connection found lost is thrown away, with the
    rest of the pool, as SQLAlchemy does."""

    def __init__(self, connection: Connection, driver: psycopg.Connection):
        self.connection = connection
        self.driver = driver
        self.dialect = connection.dialect

    def execute(self, statement: Executable, params: dict | None = None):
        plan = _plan(statement, self.dialect) if isinstance(params, dict | None) else None
        if plan is None:
            return self.connection.execute(statement, params)
        return self._on_driver(plan, dict(params or ()))

    def _on_driver(self, plan: _Plan, params: dict) -> Rows:
        for name, convert in plan.converters:
            params[name] = convert(params[name])
        try:
            return plan.rows(self.driver.execute(plan.sql, params), self.dialect)
        except psycopg.Error as error:
            lost = self.dialect.is_disconnect(error, self.driver, None)
            if lost:
                # The others were most likely lost with it (a restart): open new ones.
                self.connection.invalidate(error)
                self.connection.engine.dispose()
            raise DBAPIError.instance(
                plan.sql,
                params,
                error,
                psycopg.Error,
                hide_parameters=True,
                connection_invalidated=lost,
                dialect=self.dialect,
            ) from error


@contextmanager
def connection() -> Iterator[Connection | Direct]:
    """A pooled connection in autocommit mode for the block, given back after it, so a
    request never holds two. Once the session has begun a transaction, that transaction's
    connection instead, so the request's writes are seen."""
    if transaction_open():
        yield db.session.connection()
        return
    if db.engine.dialect.driver != "psycopg":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as found:
            yield found
        return
    with db.engine.connect() as found:
        # Switched on the driver, not by execution_options: it saves SQLAlchemy's
        # bookkeeping, and the connection goes back as it came.
        driver = found.connection.driver_connection
        driver.autocommit = True
        try:
            yield Direct(found, driver)
        finally:
            if not found.invalidated:
                try:
                    driver.autocommit = False
                except psycopg.Error as error:
                    # Lost or left in a transaction: the pool must not hand it out again.
                    found.invalidate(error)
