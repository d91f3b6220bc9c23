"""notification preferences: e-mail on or off per person

Revision ID: i13_notify
Revises: i12d_robot

"""
from alembic import op
import sqlalchemy as sa


revision = 'i13_notify'
down_revision = 'i12d_robot'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'notification_preferences',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('email', sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_preferences_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', name=op.f('pk_notification_preferences')),
    )


def downgrade():
    op.drop_table('notification_preferences')
