"""One follow-up run: sweep as of a day, commit, then deliver."""
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from flask import url_for
from sqlalchemy import func, select, update

from taskboard.calendar.workdays import WorkCalendar
from taskboard.clock import utcnow
from taskboard.extensions import commit, db
from taskboard.messages import Message

from . import settings as followup_settings
from .models import Notification
from .render import Bundle, bundle, for_rendering, render_guarded
from .senders import deliver
from .sweep import sweep


def run_sweep(today: date, now: datetime | None = None) -> dict[str, Any]:
    """Sweep as of ``today`` (committed before anything is sent), then deliver."""
    result = sweep(today, WorkCalendar.load(), followup_settings.load())
    commit()
    delivery = deliver(now or utcnow())
    return {"today": today.isoformat(), "reminders": result.reminders,
            "escalations": result.escalations,
            "notifications_created": result.notifications_created, **asdict(delivery)}


# The bell shows one line per delivery run (rows delivered together share sent_at); news not
# yet delivered stands alone under its own creation time.
run_time = func.coalesce(Notification.sent_at, Notification.created_at)


@dataclass
class InboxLine:
    """One line in the bell: a run's messages summed up, or one message on its own."""

    run: datetime
    at: datetime  # shown: when its first message arose (the rehearsed day in a rehearsal)
    unread: bool
    message: Message | Bundle | None  # None: the row's data cannot be rendered
    link: str | None


def _mine(user_id: int):
    return Notification.user_id == user_id, Notification.channel == "in_app"


def unread_count(user_id: int) -> int:
    return db.session.scalar(select(func.count(func.distinct(run_time))).where(
        *_mine(user_id), Notification.read_at.is_(None))) or 0


def inbox(user_id: int, size: int) -> list[InboxLine]:
    """The last ``size`` lines of the bell, newest first."""
    runs = db.session.scalars(select(run_time).where(*_mine(user_id)).group_by(run_time)
                              .order_by(run_time.desc()).limit(size)).all()
    if not runs:
        return []
    rows = db.session.scalars(select(Notification).where(*_mine(user_id), run_time >= runs[-1])
                              .options(*for_rendering()).order_by(Notification.id)).all()
    by_run: dict[datetime, list[Notification]] = {}
    for row in rows:
        by_run.setdefault(row.sent_at or row.created_at, []).append(row)
    lines = []
    for run, members in sorted(by_run.items(), key=lambda item: item[0], reverse=True):
        rendered = [(row, render_guarded(row)[0]) for row in members]
        good = [(row, message) for row, message in rendered if message is not None]
        unread = any(row.read_at is None for row in members)
        at = min(row.created_at for row in members)
        if len(good) > 1:
            lines.append(InboxLine(run, at, unread, bundle(good), None))
        else:
            row = members[0]
            link = url_for("tasks.detail", task_id=row.task_id) if row.task_id else None
            lines.append(InboxLine(run, at, unread, good[0][1] if good else None, link))
    return lines


def mark_read(user_id: int, now: datetime) -> None:
    db.session.execute(update(Notification).where(
        Notification.user_id == user_id, Notification.channel == "in_app",
        Notification.read_at.is_(None)).values(read_at=now))
