"""meetings: digest of the text (the same text twice); proposals: table row and flags

Revision ID: i10_meeting_sources
Revises: i16_bulletins


"""
import hashlib

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i10_meeting_sources'
down_revision = 'i16_bulletins'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('text_digest', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_meetings_text_digest'), ['text_digest'], unique=False)

    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_row', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('flags', sa.JSON(), nullable=True))

    # The digest of the texts already registered, as taskboard.meetings.services.text_digest
    # computes it then (white space removed, SHA-256), so that they too are found again.
    connection = op.get_bind()
    meetings = sa.table('meetings', sa.column('id', sa.Integer), sa.column('full_text', sa.Text),
                        sa.column('text_digest', sa.String))
    for meeting_id, full_text in connection.execute(sa.select(meetings.c.id, meetings.c.full_text)):
        digest = hashlib.sha256("".join((full_text or "").split()).encode()).hexdigest()
        connection.execute(meetings.update().where(meetings.c.id == meeting_id)
                           .values(text_digest=digest))


def downgrade():
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_column('flags')
        batch_op.drop_column('source_row')

    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meetings_text_digest'))
        batch_op.drop_column('text_digest')
