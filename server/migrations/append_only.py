"""Database triggers that make a table append-only: UPDATE and DELETE are refused.

With ``clearable``, the one UPDATE allowed is the one that sets that column to NULL and
changes nothing else (addresses kept for a limited time are cleared this way)."""

import sqlalchemy as sa
from alembic import op


def make_append_only(table: str, clearable: str | None = None) -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        allowed = ""
        if clearable:
            allowed = f"""
                IF TG_OP = 'UPDATE' AND NEW.{clearable} IS NULL
                   AND (to_jsonb(NEW) - '{clearable}') = (to_jsonb(OLD) - '{clearable}') THEN
                    RETURN NEW;
                END IF;"""
        op.execute(
            f"""
            CREATE FUNCTION {table}_append_only() RETURNS trigger AS $$
            BEGIN{allowed}
                RAISE EXCEPTION '{table} is append-only';
            END;
            $$ LANGUAGE plpgsql
            """
        )
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()"
        )
    else:
        for event in ("UPDATE", "DELETE"):
            when = ""
            if clearable and event == "UPDATE":
                kept = [
                    f"NEW.{column['name']} IS OLD.{column['name']}"
                    for column in sa.inspect(bind).get_columns(table)
                    if column["name"] != clearable
                ]
                when = f"WHEN NOT (NEW.{clearable} IS NULL AND {' AND '.join(kept)}) "
            op.execute(
                f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
                f"{when}BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            )


def undo_append_only(table: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        op.execute(f"DROP FUNCTION IF EXISTS {table}_append_only()")
    else:
        for event in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{event}")
