"""security events, shared login counters and the export reason

Revision ID: 2c3a884a97c5
Revises: e70e286c8213
Create Date: 2026-11-30 03:44:48.742416

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from server.migrations.append_only import make_append_only, undo_append_only

# revision identifiers, used by Alembic.
revision = '2c3a884a97c5'
down_revision = 'e70e286c8213'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_counters',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('window_ends', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_login_counters'))
    )
    with op.batch_alter_table('login_counters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_counters_window_ends'), ['window_ends'], unique=False)

    op.create_table('security_events',
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('type', sa.Enum('login', 'login_failed', 'throttled', 'logout', 'refresh_replayed', 'user_created', 'user_changed', 'password_reset', 'user_deactivated', 'export', 'forbidden', name='securityeventtype', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=True),
    sa.Column('user_id', sa.Uuid(), nullable=True),
    sa.Column('subject_user_id', sa.Uuid(), nullable=True),
    sa.Column('address', sa.String(length=45), nullable=True),
    sa.Column('detail', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_security_events_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['subject_user_id'], ['users.id'], name=op.f('fk_security_events_subject_user_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_security_events_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_security_events'))
    )
    with op.batch_alter_table('security_events', schema=None) as batch_op:
        batch_op.create_index('ix_security_events_at', ['at'], unique=False)
        batch_op.create_index('ix_security_events_organisation_at', ['organisation_id', 'at'], unique=False)

    with op.batch_alter_table('access_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason', sa.String(length=200), nullable=True))

    # Append-only like the access log; the address may be cleared after its retention.
    make_append_only('security_events', clearable='address')


def downgrade():
    undo_append_only('security_events')
    # SQLite drops a column by copying the table, which loses its triggers: made again.
    undo_append_only('access_log')
    with op.batch_alter_table('access_log', schema=None) as batch_op:
        batch_op.drop_column('reason')
    make_append_only('access_log')

    with op.batch_alter_table('security_events', schema=None) as batch_op:
        batch_op.drop_index('ix_security_events_organisation_at')
        batch_op.drop_index('ix_security_events_at')

    op.drop_table('security_events')
    with op.batch_alter_table('login_counters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_counters_window_ends'))

    op.drop_table('login_counters')
