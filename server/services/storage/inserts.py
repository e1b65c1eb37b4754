"""INSERT ... ON CONFLICT DO NOTHING on SQLite and PostgreSQL alike: how rows that many
requests may create at once (the day's wake-up calls, messages) are made exactly once."""

from sqlalchemy.dialects import postgresql, sqlite

from server.database import db


def insert_missing(table, rows: list[dict], conflict_columns: list[str]) -> None:
    if not rows:
        return
    dialect = db.session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    statement = module.insert(table).on_conflict_do_nothing(index_elements=conflict_columns)
    db.session.connection().execute(statement, rows)
