"""code counters and one pending report per milestone

Revision ID: i11_guards
Revises: i12s_security
"""
import sqlalchemy as sa
from alembic import op

revision = "i11_guards"
down_revision = "i12s_security"
branch_labels = None
depends_on = None

PENDING = "review_status = 'pending'"


def upgrade():
    op.create_table(
        "code_counters",
        sa.Column("series", sa.String(length=40), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("series", name=op.f("pk_code_counters")),
    )
    # Existing data may hold two pending reports of one month (made before this index):
    # all but the latest are returned, so the index can be built.
    op.execute(
        "UPDATE progress_reports SET review_status = 'returned', "
        "review_comment = '同月有更新的待审核报告' "
        "WHERE review_status = 'pending' AND id NOT IN (SELECT max(id) FROM progress_reports "
        "WHERE review_status = 'pending' GROUP BY milestone_id)")
    with op.batch_alter_table("progress_reports", schema=None) as batch_op:
        batch_op.create_index("uq_progress_reports_pending", ["milestone_id"], unique=True,
                              postgresql_where=sa.text(PENDING), sqlite_where=sa.text(PENDING))


def downgrade():
    with op.batch_alter_table("progress_reports", schema=None) as batch_op:
        batch_op.drop_index("uq_progress_reports_pending")
    op.drop_table("code_counters")
