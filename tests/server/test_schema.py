"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from server.database import db
from server.models import Base


def test_migrations_and_models_agree(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_downgrade_and_upgrade_again(app):
    downgrade(revision="base")
    with db.engine.connect() as connection:
        names = set(db.inspect(connection).get_table_names()) - {"alembic_version"}
    assert names == set()
    upgrade()
    with db.engine.connect() as connection:
        names = set(db.inspect(connection).get_table_names())
    assert {table.name for table in Base.metadata.sorted_tables} <= names
