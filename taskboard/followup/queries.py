"""Read side of the outbox."""
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from taskboard.extensions import db

from .models import Notification


@dataclass
class Followup:
    """One reminder or escalation as the task page shows it: who got it, how."""

    kind: str
    level: int
    period: str
    created_at: datetime
    recipients: dict[str, list[str]] = field(default_factory=dict)  # name → channels


def task_followups(task_id: int) -> list[Followup]:
    rows = db.session.scalars(
        select(Notification).where(Notification.task_id == task_id)
        .options(joinedload(Notification.user), joinedload(Notification.unit))
        .order_by(Notification.created_at, Notification.id)
    ).all()
    grouped: dict[tuple, Followup] = {}
    for row in rows:
        key = (row.kind, row.level, row.period, row.object_id)
        item = grouped.setdefault(key, Followup(row.kind, row.level, row.period, row.created_at))
        name = row.user.display_name if row.user else row.unit.name if row.unit else row.recipient
        item.recipients.setdefault(name, []).append(row.channel)
    return sorted(grouped.values(), key=lambda f: f.created_at, reverse=True)
