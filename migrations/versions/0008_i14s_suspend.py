"""暂缓: what a suspended task returns to, why, and since when

Revision ID: i14s_suspend
Revises: i16c_closed_on
"""
import sqlalchemy as sa
from alembic import op

revision = "i14s_suspend"
down_revision = "i16c_closed_on"
branch_labels = None
depends_on = None

# The rule as taskboard.tasks.models.SUSPENDED_FROM_CHECK wrote it on this day.
SUSPENDED_FROM = (
    "(status = 'suspended' AND suspended_from IN ('assigned', 'completion_requested', "
    "'in_progress')) OR (status != 'suspended' AND suspended_from IS NULL)")


def upgrade():
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("suspended_from", sa.String(length=24), nullable=True))
        batch_op.add_column(sa.Column("suspended_reason", sa.Text(), server_default="",
                                      nullable=False))
        batch_op.add_column(sa.Column("suspended_on", sa.Date(), nullable=True))
        batch_op.create_check_constraint(op.f("ck_tasks_suspended_from"), SUSPENDED_FROM)


def downgrade():
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_tasks_suspended_from"), type_="check")
        batch_op.drop_column("suspended_on")
        batch_op.drop_column("suspended_reason")
        batch_op.drop_column("suspended_from")
