"""data_version: a second counter, moved only by the rows that change seldom

Revision ID: i15r_reference_version
Revises: i14s_suspend
"""
import sqlalchemy as sa
from alembic import op

revision = "i15r_reference_version"
down_revision = "i14s_suspend"
branch_labels = None
depends_on = None

counters = sa.table("data_version", sa.column("id", sa.Integer),
                    sa.column("value", sa.BigInteger))


def upgrade():
    op.execute(counters.insert().values(id=2, value=0))


def downgrade():
    op.execute(counters.delete().where(counters.c.id == 2))
