"""tasks.closed_on: the day a task was done or cancelled

Revision ID: i16c_closed_on
Revises: i15_data_version

Backfilled for the tasks already closed: the day (Asia/Shanghai) of the last audit entry that
set their status to done or cancelled, else the day the task was last updated.
"""
from datetime import UTC
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'i16c_closed_on'
down_revision = 'i15_data_version'
branch_labels = None
depends_on = None

CLOSED = ('done', 'cancelled')
SHANGHAI = ZoneInfo('Asia/Shanghai')

tasks = sa.table('tasks', sa.column('id', sa.Integer), sa.column('status', sa.String),
                 sa.column('updated_at', sa.DateTime), sa.column('closed_on', sa.Date))
audit_logs = sa.table('audit_logs', sa.column('entity', sa.String),
                      sa.column('entity_id', sa.Integer), sa.column('after', sa.JSON),
                      sa.column('created_at', sa.DateTime))


def _day(moment):
    """A stored naive UTC time as the day it was in Asia/Shanghai."""
    return moment.replace(tzinfo=UTC).astimezone(SHANGHAI).date()


def upgrade():
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed_on', sa.Date(), nullable=True))

    connection = op.get_bind()
    closing = (sa.select(audit_logs.c.entity_id, sa.func.max(audit_logs.c.created_at))
               .where(audit_logs.c.entity == 'task',
                      audit_logs.c.after['status'].as_string().in_(CLOSED))
               .group_by(audit_logs.c.entity_id).subquery())
    rows = connection.execute(
        sa.select(tasks.c.id, sa.func.coalesce(closing.c[1], tasks.c.updated_at))
        .outerjoin(closing, closing.c.entity_id == tasks.c.id)
        .where(tasks.c.status.in_(CLOSED))).all()
    if rows:
        connection.execute(
            tasks.update().where(tasks.c.id == sa.bindparam('task_id'))
            .values(closed_on=sa.bindparam('day')),
            [{'task_id': task_id, 'day': _day(moment)} for task_id, moment in rows])


def downgrade():
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_column('closed_on')
