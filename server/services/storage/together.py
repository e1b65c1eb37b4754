"""One row for each of several tables, inserted together.

On PostgreSQL it is one statement, the first rows inserted in data-modifying WITH clauses:
atomic by itself, so it may run outside a transaction, in one round trip, on the driver
(see ``autocommit``). Elsewhere it is one statement per table, atomic only inside the
caller's transaction.
"""

from functools import cache

from sqlalchemy import Connection, Engine, Insert, Table, bindparam, insert

from server.services.storage import autocommit


def atomic_alone(bind: Connection | Engine) -> bool:
    """Whether ``insert_rows`` on this database is one statement, atomic by itself."""
    return bind.dialect.name == "postgresql"


def insert_rows(connection: Connection, rows: list[tuple[Table, dict]]) -> None:
    """Insert each ``(table, row)``; every row names all the columns it sets."""
    if not atomic_alone(connection):
        for table, row in rows:
            connection.execute(insert(table), row)
        return
    shape = tuple((table, tuple(row)) for table, row in rows)
    params = {
        f"p{n}_{column}": value for n, (_, row) in enumerate(rows) for column, value in row.items()
    }
    connection.execute(_one_statement(shape), params)


@cache
def _one_statement(shape: tuple[tuple[Table, tuple[str, ...]], ...]) -> Insert:
    """``WITH row_0 AS (INSERT INTO a ...), row_1 AS (INSERT INTO b ...) INSERT INTO c ...``
    for the tables and columns of ``shape``, each value a parameter ``p{n}_{column}``."""
    *firsts, last = (
        insert(table).values(
            {column: bindparam(f"p{n}_{column}", type_=table.c[column].type) for column in columns}
        )
        for n, (table, columns) in enumerate(shape)
    )
    for n, first in enumerate(firsts):
        last = last.add_cte(first.cte(f"row_{n}"))
    return autocommit.on_driver(last)
