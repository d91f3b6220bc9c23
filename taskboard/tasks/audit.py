"""The audit trail: every insert, update and delete of a task and what hangs off it.

It hooks the session's flush, so no service can forget it and the AuditLog rows are written in
the same transaction as the change (a rollback takes both away).
"""
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session

from taskboard.extensions import db

from .models import (
    Attachment,
    AuditLog,
    Comment,
    Milestone,
    PlannedValue,
    ProgressReport,
    ReportValue,
    Target,
    Task,
    TaskRequest,
    TaskUnit,
)

_cli_actor: ContextVar[int | None] = ContextVar("audit_actor", default=None)
# File contents stay out of the log, and so do figures derived from what is logged.
_SKIPPED_COLUMNS = {"updated_at", "data", "reported", "reported_on", "behind_points"}


@contextmanager
def acting_as(user_id: int | None) -> Iterator[None]:
    """Attribute changes made outside a request (CLI, jobs, demo loader) to ``user_id``."""
    token = _cli_actor.set(user_id)
    try:
        yield
    finally:
        _cli_actor.reset(token)


def _actor_id() -> int | None:
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.id
    return _cli_actor.get()


def _milestone_task_id(session: Session, milestone_id: int) -> int | None:
    milestone = session.get(Milestone, milestone_id)
    return milestone.task_id if milestone else None


def _report_task_id(session: Session, report_id: int) -> int | None:
    report = session.get(ProgressReport, report_id)
    return _milestone_task_id(session, report.milestone_id) if report else None


# entity name, id of the row, id of the task it belongs to
def _reference(session: Session, obj: Any) -> tuple[str, int, int | None] | None:
    match obj:
        case Task():
            return "task", obj.id, obj.id
        case Target() | Milestone() | Comment():
            return type(obj).__name__.lower(), obj.id, obj.task_id
        case TaskRequest():
            return "request", obj.id, obj.task_id
        case Attachment():
            return "attachment", obj.id, _report_task_id(session, obj.report_id)
        case TaskUnit():
            return "task_unit", obj.unit_id, obj.task_id
        case ProgressReport():
            return "report", obj.id, _milestone_task_id(session, obj.milestone_id)
        case PlannedValue():
            return "planned_value", obj.target_id, _milestone_task_id(session, obj.milestone_id)
        case ReportValue():
            return "report_value", obj.target_id, _report_task_id(session, obj.report_id)
    return None


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _columns(obj: Any) -> dict[str, Any]:
    mapper = inspect(obj).mapper
    return {
        attr.key: _plain(getattr(obj, attr.key))
        for attr in mapper.column_attrs
        if attr.key not in _SKIPPED_COLUMNS
    }


def _changes(obj: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    state = inspect(obj)
    before, after = {}, {}
    for attr in state.mapper.column_attrs:
        if attr.key in _SKIPPED_COLUMNS:
            continue
        history = state.attrs[attr.key].history
        if history.has_changes():
            before[attr.key] = _plain(history.deleted[0]) if history.deleted else None
            after[attr.key] = _plain(history.added[0]) if history.added else None
    return before, after


@event.listens_for(Session, "after_flush")
def _write_audit_rows(session: Session, _context: Any) -> None:
    actor_id = _actor_id()
    rows = []

    def add(obj: Any, action: str, before: dict | None, after: dict | None) -> None:
        ref = _reference(session, obj)
        if ref is None:
            return
        entity, entity_id, task_id = ref
        rows.append({
            "actor_id": actor_id, "action": action, "entity": entity, "entity_id": entity_id,
            "task_id": task_id, "before": before, "after": after,
        })

    for obj in session.new:
        add(obj, "create", None, _columns(obj))
    for obj in session.dirty:
        if not session.is_modified(obj, include_collections=False):
            continue
        before, after = _changes(obj)
        if not after:
            continue
        soft_deleted = isinstance(obj, Task) and after.get("deleted_at") and "deleted_at" in before
        add(obj, "delete" if soft_deleted else "update", before, after)
    for obj in session.deleted:
        add(obj, "delete", _columns(obj), None)
    if rows:
        session.connection().execute(insert(AuditLog), rows)


def history(task_id: int) -> list[AuditLog]:
    return list(
        db.session.scalars(
            db.select(AuditLog)
            .where(AuditLog.task_id == task_id)
            .order_by(AuditLog.created_at.desc(), AuditLog.id.desc())
        )
    )
