"""Writing to the outbox: inserts that are no-ops when the same message is already there."""
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, literal, true
from sqlalchemy.dialects import postgresql, sqlite

from taskboard.clock import now
from taskboard.extensions import db

from .models import Notification

# Columns a set-based insert fills, in this order.
COLUMNS = ("kind", "level", "object_type", "object_id", "recipient", "channel", "period",
           "user_id", "unit_id", "task_id", "status", "attempts", "last_error", "created_at")


def _insert():
    dialect = db.session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(Notification)


def insert_from(query: Select) -> int:
    """Insert what ``query`` selects (columns as in COLUMNS); returns how many were new."""
    # SQLite needs a WHERE before ON CONFLICT in INSERT … SELECT, or it reads ON as a join's.
    statement = _insert().from_select(COLUMNS, query.where(true())).on_conflict_do_nothing()
    # RETURNING lists only the rows inserted; rowcount is not reliable for INSERT … SELECT.
    return len(db.session.execute(statement.returning(Notification.id)).all())


def insert_rows(rows: Iterable[dict[str, Any]]) -> int:
    # A multi-row VALUES needs the same keys in every row.
    rows = [{"status": "pending", "attempts": 0, "last_error": "", "created_at": now(),
             "user_id": None, "unit_id": None, **row} for row in rows]
    if not rows:
        return 0
    statement = _insert().values(rows).on_conflict_do_nothing()
    return len(db.session.execute(statement.returning(Notification.id)).all())


def pending_columns() -> list:
    """The constant tail of every selected row: pending, no attempts, no error, created now."""
    return [literal("pending"), literal(0), literal(""), literal(now())]
