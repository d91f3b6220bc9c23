"""Columns derived from others, kept on every flush so that no caller has to remember them.

Registered by create_app (:func:`init_app`); each column has its own named function.
"""
from typing import Any

from flask import Flask
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from taskboard.clock import today

from .models import Task, TaskStatus


def keep_closed_on(session: Session) -> None:
    """Task.closed_on: the day the task was done or cancelled; None while it is open.

    Stamped with today when a task closes (or is created closed), cleared when it reopens.
    A day set with the status in the same flush stands: a loader writing history closes its
    tasks on the day they closed. Going from done to cancelled keeps the first day.
    """
    for task in (*session.new, *session.dirty):
        if not isinstance(task, Task):
            continue
        state = inspect(task)
        status = state.attrs.status.history
        if not (state.pending or status.has_changes()):
            continue
        if task.status not in TaskStatus.CLOSED:
            task.closed_on = None
            continue
        was_open = bool(status.deleted) and status.deleted[0] not in TaskStatus.CLOSED
        given = state.attrs.closed_on.history.has_changes()
        if task.closed_on is None or (was_open and not given):
            task.closed_on = today()


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    keep_closed_on(session)


def init_app(_app: Flask) -> None:
    # Sessions are not per app: listen once for the process, however many apps are built.
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
