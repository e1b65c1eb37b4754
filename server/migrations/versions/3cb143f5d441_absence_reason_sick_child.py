"""absence reason sick child

Revision ID: 3cb143f5d441
Revises: 902ee1cc324e
Create Date: 2026-11-30 14:21:20.348039

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3cb143f5d441'
down_revision = '902ee1cc324e'
branch_labels = None
depends_on = None


REASONS = ('sick', 'appointment', 'leave', 'no_show', 'other')
NEW_REASONS = ('sick', 'sick_child', 'appointment', 'leave', 'no_show', 'other')


def _allow(reasons) -> None:
    # The vocabulary's CHECK goes first and comes back with the new list: SQLite's copy of
    # the table keeps the one it has.
    listed = ", ".join(f"'{reason}'" for reason in reasons)
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_attendance_absencereason'), type_='check')
        batch_op.create_check_constraint(
            batch_op.f('ck_attendance_absencereason'), sa.text(f"absence_reason IN ({listed})")
        )


def upgrade():
    _allow(NEW_REASONS)


def downgrade():
    # Without the reason, an absence for a sick child is one for another reason; so is
    # what the phones wrote, which the day's record is computed from.
    op.execute("UPDATE attendance SET absence_reason = 'other' WHERE absence_reason = 'sick_child'")
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(
            "UPDATE attendance_writes SET body = jsonb_set(body, '{absence_reason}', '\"other\"')"
            " WHERE body->>'absence_reason' = 'sick_child'"
        )
    else:
        op.execute(
            "UPDATE attendance_writes SET body = json_set(body, '$.absence_reason', 'other')"
            " WHERE json_extract(body, '$.absence_reason') = 'sick_child'"
        )
    _allow(REASONS)
