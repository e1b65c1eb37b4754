"""One row for each of several tables, inserted together.

On PostgreSQL it is one statement (the first rows in data-modifying WITH clauses), so it
is atomic even outside a transaction and costs one round trip; elsewhere it is one
statement per table, atomic inside the caller's transaction.
"""

from sqlalchemy import Connection, Engine, Insert, Table, bindparam, insert

from server.services.storage import autocommit

_statements: dict[tuple, Insert] = {}


def atomic_alone(bind: Connection | Engine) -> bool:
    """Whether ``insert_rows`` on this database is one statement, atomic by itself."""
    return bind.dialect.name == "postgresql"


def _one_statement(rows: list[tuple[Table, dict]]) -> Insert:
    shape = tuple((table.name, tuple(row)) for table, row in rows)
    statement = _statements.get(shape)
    if statement is None:
        parts = [
            insert(table).values(
                {column: bindparam(f"p{n}_{column}", type_=table.c[column].type) for column in row}
            )
            for n, (table, row) in enumerate(rows)
        ]
        statement = parts[-1]
        for n, part in enumerate(parts[:-1]):
            statement = statement.add_cte(part.cte(f"row_{n}"))
        _statements[shape] = statement = autocommit.on_driver(statement)
    return statement


def insert_rows(connection: Connection, rows: list[tuple[Table, dict]]) -> None:
    """Insert each ``(table, row)``; every row names all the columns it sets."""
    if not atomic_alone(connection):
        for table, row in rows:
            connection.execute(insert(table), row)
        return
    params = {
        f"p{n}_{column}": value for n, (_, row) in enumerate(rows) for column, value in row.items()
    }
    connection.execute(_one_statement(rows), params)
