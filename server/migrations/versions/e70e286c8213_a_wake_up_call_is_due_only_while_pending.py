"""a wake-up call is due only while pending

Revision ID: e70e286c8213
Revises: ec01142b4ec1
Create Date: 2026-11-30 03:48:34.862561

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e70e286c8213'
down_revision = 'ec01142b4ec1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('wakeup_calls', schema=None) as batch_op:
        batch_op.alter_column('next_due_at',
               existing_type=sa.DateTime(timezone=True),
               nullable=True)
    # A call that is done or cancelled is due no more; a pending one is never due before
    # its planned time.
    op.execute(
        "UPDATE wakeup_calls SET next_due_at = NULL WHERE status IN ('done', 'cancelled')"
    )
    op.execute("UPDATE wakeup_calls SET next_due_at = due_at WHERE next_due_at < due_at")


def downgrade():
    op.execute("UPDATE wakeup_calls SET next_due_at = due_at WHERE next_due_at IS NULL")
    with op.batch_alter_table('wakeup_calls', schema=None) as batch_op:
        batch_op.alter_column('next_due_at',
               existing_type=sa.DateTime(timezone=True),
               nullable=False)
