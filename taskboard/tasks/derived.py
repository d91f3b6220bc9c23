"""Columns derived from others, kept here and nowhere else, so that no caller has to remember.

Lists compute lights and overdue months from columns, not from the reports behind them:

- ``milestones.reported``: a report counts for the month (waiting for review, or accepted);
- ``milestones.reported_on``: the day that report was submitted;
- ``tasks.behind_points``: how far the latest reported month is behind plan (its counting
  report's figure);
- ``tasks.closed_on``: the day the task was done or cancelled (the status as of a day).

``register`` (called by create_app) hooks the session's flush: a flush that adds, changes or
deletes a report, deletes a milestone or moves its due date recomputes the tasks concerned, so
no caller has to remember. ``recompute`` is the same rule in SQL for bulk loads that write
rows without the ORM (the synthetic demo data).
"""
from collections.abc import Collection, Iterable
from datetime import datetime
from itertools import chain
from typing import Any

from sqlalchemy import event, exists, inspect, select, update
from sqlalchemy.orm import Session

from taskboard.clock import today
from taskboard.extensions import db

from .models import REPORTED_STATUSES, Milestone, ProgressReport, Task, TaskStatus


def register() -> None:
    """Hook every session's flush; a second call adds nothing."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)


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


def _task_of(session: Session, obj: Any) -> Task | None:
    if isinstance(obj, ProgressReport):
        return obj.milestone.task if obj.milestone is not None else None
    if isinstance(obj, Milestone) and (obj in session.deleted
                                       or inspect(obj).attrs.due_date.history.has_changes()):
        return obj.task
    return None


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    keep_closed_on(session)
    gone = set(session.deleted)
    tasks = {}
    for obj in chain(session.new, session.dirty, gone):
        task = _task_of(session, obj)
        if task is not None and task not in gone:
            tasks[id(task)] = task
    for task in tasks.values():
        refresh(task, gone)


def _submitted(report: ProgressReport) -> tuple[bool, datetime]:
    # A report not inserted yet has no submitted_at (its column default): it is the newest.
    return report.submitted_at is None, report.submitted_at or datetime.min


def _counts(report: ProgressReport) -> bool:
    # Not inserted yet, a report has no review status: its column default, pending, counts.
    return report.review_status is None or report.review_status in REPORTED_STATUSES


def _counting_report(milestone: Milestone, gone: Collection) -> ProgressReport | None:
    counting = [r for r in milestone.reports if r not in gone and _counts(r)]
    return max(counting, key=_submitted, default=None)


def refresh(task: Task, gone: Collection = ()) -> None:
    """Recompute ``task``'s derived columns from its objects, ``gone`` (deleted) left out."""
    latest = None
    for milestone in (m for m in task.milestones if m not in gone):
        report = _counting_report(milestone, gone)
        reported, reported_on = report is not None, report.submitted_on if report else None
        if (milestone.reported, milestone.reported_on) != (reported, reported_on):
            milestone.reported, milestone.reported_on = reported, reported_on
        if report is not None and (latest is None or milestone.due_date > latest[0].due_date):
            latest = (milestone, report)
    behind = latest[1].behind_points if latest else None
    if task.behind_points != behind:
        task.behind_points = behind


def recompute(task_ids: Iterable[int]) -> None:
    """The same rule in two UPDATE statements, for rows written in bulk."""
    task_ids = list(task_ids)
    counting = ProgressReport.review_status.in_(REPORTED_STATUSES)
    of_milestone = (ProgressReport.milestone_id == Milestone.id) & counting
    submitted_on = (select(ProgressReport.submitted_on).where(of_milestone)
                    .order_by(ProgressReport.submitted_at.desc(), ProgressReport.id.desc())
                    .limit(1).scalar_subquery())
    db.session.execute(
        update(Milestone).where(Milestone.task_id.in_(task_ids))
        .values(reported=exists().where(of_milestone), reported_on=submitted_on)
        .execution_options(synchronize_session=False))
    behind = (select(ProgressReport.behind_points).join(Milestone)
              .where(Milestone.task_id == Task.id, counting)
              .order_by(Milestone.due_date.desc(), ProgressReport.submitted_at.desc(),
                        ProgressReport.id.desc())
              .limit(1).scalar_subquery())
    db.session.execute(
        update(Task).where(Task.id.in_(task_ids)).values(behind_points=behind)
        .execution_options(synchronize_session=False))
