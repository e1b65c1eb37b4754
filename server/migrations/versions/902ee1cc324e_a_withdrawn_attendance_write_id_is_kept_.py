"""a withdrawn attendance write id is kept, with its participant and day

Revision ID: 902ee1cc324e
Revises: c21b25ad8d9d
Create Date: 2026-11-30 14:21:01.344672

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '902ee1cc324e'
down_revision = 'c21b25ad8d9d'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('attendance_writes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('participant_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True))
    # Every write stored so far belongs to a record, which names its participant and day.
    op.execute(
        "UPDATE attendance_writes SET"
        " participant_id = (SELECT attendance.participant_id FROM attendance"
        " WHERE attendance.id = attendance_writes.attendance_id),"
        " date = (SELECT attendance.date FROM attendance"
        " WHERE attendance.id = attendance_writes.attendance_id)"
    )
    with op.batch_alter_table('attendance_writes', schema=None) as batch_op:
        batch_op.alter_column('participant_id', existing_type=sa.Uuid(), nullable=False)
        batch_op.alter_column('date', existing_type=sa.Date(), nullable=False)
        batch_op.alter_column('attendance_id',
               existing_type=sa.Uuid(),
               nullable=True)
        batch_op.create_index('ix_attendance_writes_participant_date', ['participant_id', 'date'], unique=False)
        batch_op.drop_constraint(batch_op.f('fk_attendance_writes_attendance_id_attendance'), type_='foreignkey')
        batch_op.create_foreign_key(batch_op.f('fk_attendance_writes_attendance_id_attendance'), 'attendance', ['attendance_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_attendance_writes_participant_id_participants'), 'participants', ['participant_id'], ['id'])


def downgrade():
    # Before withdrawn ids were kept, a withdrawn id was forgotten.
    op.execute("DELETE FROM attendance_writes WHERE withdrawn_at IS NOT NULL")
    with op.batch_alter_table('attendance_writes', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_attendance_writes_participant_id_participants'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_attendance_writes_attendance_id_attendance'), type_='foreignkey')
        batch_op.create_foreign_key(batch_op.f('fk_attendance_writes_attendance_id_attendance'), 'attendance', ['attendance_id'], ['id'], ondelete='CASCADE')
        batch_op.drop_index('ix_attendance_writes_participant_date')
        batch_op.alter_column('attendance_id',
               existing_type=sa.Uuid(),
               nullable=False)
        batch_op.drop_column('withdrawn_at')
        batch_op.drop_column('date')
        batch_op.drop_column('participant_id')
