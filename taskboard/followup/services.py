"""One follow-up run: sweep as of a day, commit, then deliver."""
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select, update

from taskboard.calendar.workdays import WorkCalendar
from taskboard.clock import utcnow
from taskboard.extensions import db

from . import settings as followup_settings
from .models import Notification
from .senders import deliver
from .sweep import sweep


def run_sweep(today: date, now: datetime | None = None) -> dict[str, Any]:
    """Sweep as of ``today`` (committed before anything is sent), then deliver."""
    result = sweep(today, WorkCalendar.load(), followup_settings.load())
    db.session.commit()
    delivery = deliver(now or utcnow())
    return {"today": today.isoformat(), "reminders": result.reminders,
            "escalations": result.escalations,
            "notifications_created": result.notifications_created, **asdict(delivery)}


def unread_count(user_id: int) -> int:
    return db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == user_id, Notification.channel == "in_app",
        Notification.read_at.is_(None))) or 0


def mark_read(user_id: int, now: datetime) -> None:
    db.session.execute(update(Notification).where(
        Notification.user_id == user_id, Notification.channel == "in_app",
        Notification.read_at.is_(None)).values(read_at=now))
