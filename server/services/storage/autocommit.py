"""Statements outside a transaction, and the psycopg path that makes them cheap.

On PostgreSQL a transaction costs two round trips of its own (BEGIN and COMMIT) and the
ORM session's bookkeeping around it. What a request only reads, and a write made by one
statement (which PostgreSQL commits atomically by itself), need neither: the token check
on every request (``web/security.py``) and the day's first check-in, the most frequent
write there is (``attendance/records.py``; ``together.py`` makes its three inserts one
statement), run here.

What runs where:
- ``connection()`` lends a pooled connection in autocommit mode for a block; once the
  request's session has begun a transaction, the session's connection instead.
- On such a connection with psycopg, a statement marked ``on_driver()`` is sent on the
  driver: compiled once per dialect, its values and rows converted by the column types'
  own converters, unseen by SQLAlchemy's events. SQLAlchemy's work per execution costs
  more CPU than the driver's own, and this is the part that pays: run through SQLAlchemy
  in autocommit, the check-in of ``bench/attendance.py`` cost about 40% more server CPU
  and its ratio to the minimal insert fell from about 0.55 to 0.42, no better than in a
  transaction.
- Everything else runs through SQLAlchemy as usual: unmarked statements, statements
  inside the session's transaction, and every statement on SQLite, which is why the
  default (SQLite) test run covers none of the driver path and says so.

A statement for the driver has one SQL text whatever its values; ``one_of()`` gives the
PostgreSQL form of an IN list that keeps it so (one array parameter).
"""

import weakref
from collections import namedtuple
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

import psycopg
from sqlalchemy import (
    ARRAY,
    Boolean,
    ColumnClause,
    Connection,
    Dialect,
    Executable,
    Label,
    Select,
    any_,
    bindparam,
)
from sqlalchemy.exc import DBAPIError, ResourceClosedError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal

from server.database import db
from server.services.storage import budget

# The statements marked by on_driver(), each with its compiled forms by dialect (all held
# weakly).
_marked: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

S = TypeVar("S", bound=Executable)


def on_driver(statement: S) -> S:
    """Mark a module-level SELECT, INSERT, UPDATE or DELETE to run on psycopg when it runs
    on a connection from ``connection()`` (see the module). Every value is given by name
    when it runs; its SELECT columns are columns or labels. A statement that does not fit
    is refused the first time it runs on the driver."""
    _marked[statement] = weakref.WeakKeyDictionary()
    return statement


def transaction_open() -> bool:
    """Whether this request's session has begun a transaction (without making a session
    where the request has none yet)."""
    return db.session.registry.has() and db.session().in_transaction()


class _OneOf(ColumnElement[bool]):
    """``column IN (:name)`` for a list given when the statement runs (see ``one_of``)."""

    inherit_cache = True
    type = Boolean()
    _traverse_internals = [
        ("array_form", InternalTraversal.dp_clauseelement),
        ("list_form", InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, column, name: str):
        self.array_form = column == any_(bindparam(name, type_=ARRAY(column.type)))
        self.list_form = column.in_(bindparam(name, expanding=True))

    def self_group(self, against=None):
        return self  # either form is a comparison that needs no parentheses of its own


@compiles(_OneOf)
def _as_list(element: _OneOf, compiler, **kw) -> str:
    return compiler.process(element.list_form, **kw)


@compiles(_OneOf, "postgresql")
def _as_array(element: _OneOf, compiler, **kw) -> str:
    return compiler.process(element.array_form, **kw)


def one_of(column, name: str) -> ColumnElement[bool]:
    """``column`` is one of the list given as ``name`` when the statement runs. On
    PostgreSQL it is ``column = ANY(:name)``, one array parameter, so the SQL is the same
    whatever the list's length and the statement can run on the driver; elsewhere an
    expanding IN, rendered again for every run."""
    return _OneOf(column, name)


@dataclass
class _Compiled:
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
    def of(cls, statement: Executable, dialect: Dialect) -> "_Compiled":
        compiled = statement.compile(dialect=dialect)
        needs_sqlalchemy = (
            not (isinstance(statement, Select) or statement.is_dml)
            or statement.get_execution_options()
            or compiled.positional
            or compiled.post_compile_params
            or compiled.literal_execute_params
            or compiled.escaped_bind_names
            or compiled.insert_prefetch
            or compiled.update_prefetch
            or compiled.effective_returning
            or not all(bind.required for bind in compiled.binds.values())
            or (
                isinstance(statement, Select)
                and not all(isinstance(c, ColumnClause | Label) for c in statement.selected_columns)
            )
        )
        if needs_sqlalchemy:
            raise ValueError(f"This statement cannot run on the driver:\n{compiled.string}")
        converters = []
        for name, bind in compiled.binds.items():
            convert = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if convert is not None:
                converters.append((name, convert))
        found = cls(compiled.string, tuple(converters))
        if isinstance(statement, Select):
            found.columns = tuple(statement.selected_columns)
            found.row = namedtuple("Row", statement.selected_columns.keys())
        return found

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


class Rows(list):
    """The rows of a statement run on the driver, read like SQLAlchemy's result."""

    def all(self) -> list:
        return self

    def first(self):
        return self[0] if self else None


class AutocommitConnection:
    """A pooled psycopg connection in autocommit mode: ``on_driver()`` statements run on
    psycopg, every other one through SQLAlchemy. Database errors come out as SQLAlchemy's
    exceptions, and a lost connection is handled as SQLAlchemy handles it."""

    def __init__(self, connection: Connection, driver: psycopg.Connection):
        self.connection = connection
        self.driver = driver
        self.dialect = connection.dialect

    def execute(self, statement: Executable, params: dict | None = None):
        if self.connection.invalidated:
            # SQLAlchemy would quietly open another, outside autocommit mode.
            raise ResourceClosedError("This connection was lost.")
        forms = _marked.get(statement)
        if forms is None:
            return self.connection.execute(statement, params)
        compiled = forms.get(self.dialect)
        if compiled is None:
            compiled = forms[self.dialect] = _Compiled.of(statement, self.dialect)
        return self._on_driver(compiled, dict(params or ()))

    def _on_driver(self, compiled: _Compiled, params: dict) -> Rows:
        for name, convert in compiled.converters:
            params[name] = convert(params[name])
        try:
            # A write runs by itself in autocommit: once it has run, it is stored.
            with budget.statement(self.driver, writes=compiled.row is None):
                cursor = self.driver.execute(compiled.sql, params)
            return compiled.rows(cursor, self.dialect)
        except psycopg.Error as error:
            if self.dialect.is_disconnect(error, self.driver, None):
                # Let SQLAlchemy find the connection lost, as on its own path: the driver
                # refuses at once, and SQLAlchemy throws away this connection and every
                # pooled one as old as it (a restart loses them all), then raises.
                self.connection.exec_driver_sql("SELECT 1")
            raise DBAPIError.instance(
                compiled.sql,
                params,
                error,
                psycopg.Error,
                hide_parameters=True,
                dialect=self.dialect,
            ) from error


@contextmanager
def connection() -> Iterator[Connection | AutocommitConnection]:
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
            yield AutocommitConnection(found, driver)
        finally:
            if not found.invalidated:
                try:
                    driver.autocommit = False
                except psycopg.Error as error:
                    # Left in a transaction: the pool must not hand it out again.
                    found.invalidate(error)
