"""units: group robot type and 钉钉 加签 secret

Revision ID: i12d_robot
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = "i12d_robot"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.add_column(sa.Column("robot_kind", sa.String(length=10), nullable=False,
                                      server_default="wecom"))
        batch_op.add_column(sa.Column("robot_secret", sa.String(length=200), nullable=True))
    # Until now the sender guessed 钉钉 from the URL; keep those robots working as they were.
    op.execute("UPDATE units SET robot_kind = 'dingtalk' WHERE webhook_url LIKE '%dingtalk%'")


def downgrade():
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.drop_column("robot_secret")
        batch_op.drop_column("robot_kind")
