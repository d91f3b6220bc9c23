"""bulletins: issued 督办情况通报, numbered per calendar year

Revision ID: i16_bulletins
Revises: i11_guards
"""
import sqlalchemy as sa
from alembic import op

revision = "i16_bulletins"
down_revision = "i11_guards"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "bulletins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("issued_by_id", sa.Integer(), nullable=True),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("docx", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["issued_by_id"], ["users.id"],
                                name=op.f("fk_bulletins_issued_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bulletins")),
        sa.UniqueConstraint("month", name=op.f("uq_bulletins_month")),
        sa.UniqueConstraint("year", "number", name="uq_bulletins_year_number"),
    )


    op.create_table(
        "bulletin_numbers",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_bulletin_numbers")),
    )


def downgrade():
    op.drop_table("bulletin_numbers")
    op.drop_table("bulletins")
