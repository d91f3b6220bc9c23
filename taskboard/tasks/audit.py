"""The audit trail: every insert, update and delete of a task and what hangs off it.

It hooks the session's flush (``register``, called by create_app), so no service can forget it
and the AuditLog rows are written in the same transaction as the change (a rollback takes both
away).
"""
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import has_request_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import event, insert, inspect, select
from sqlalchemy.orm import Session

from taskboard import labels
from taskboard.clock import local_time
from taskboard.extensions import db
from taskboard.forms import plain

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
_SKIPPED_COLUMNS = {"updated_at", "data", "reported", "reported_on", "behind_points",
                    "closed_on"}


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


def register() -> None:
    """Hook every session's flush; a second call adds nothing."""
    if not event.contains(Session, "after_flush", _write_audit_rows):
        event.listen(Session, "after_flush", _write_audit_rows)


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


# ---- the history in words ---------------------------------------------------------------------

FIELD_NAMES = {
    "title": _l("督办事项"), "description": _l("具体要求"), "category": _l("类别"),
    "meeting_id": _l("来源会议"), "source_excerpt": _l("原文摘录"),
    "lead_leader_id": _l("牵头领导"), "lead_leader_name": _l("牵头领导"),
    "responsible_unit_id": _l("责任单位"), "unit_id": _l("单位"),
    "other_departments_participate": _l("其他相关部门参与"),
    "cooperating_names": _l("配合单位（未建档）"), "responsible_person": _l("责任人"),
    "start_date": _l("开始日期"), "due_date": _l("完成时限"), "level": _l("督办级别"),
    "card": _l("督办牌"), "status": _l("状态"), "assigned_on": _l("交办日"),
    "acknowledged_at": _l("签收时间"), "acknowledged_by_id": _l("签收人"),
    "deleted_at": _l("删除时间"), "code": _l("编号"), "metric": _l("指标"),
    "comparator": _l("比较"), "target_value": _l("目标值"), "measure_unit": _l("计量单位"),
    "cumulative": _l("逐月累计"), "baseline": _l("基数"), "position": _l("顺序"),
    "period": _l("月份"), "planned_work": _l("计划工作"), "planned_value": _l("计划值"),
    "actual_value": _l("实际值"), "text": _l("内容"), "submitted_on": _l("报送日期"),
    "review_status": _l("审核状态"), "reviewer_id": _l("审核人"), "reviewed_at": _l("审核时间"),
    "review_comment": _l("审核意见"), "late_workdays": _l("迟报工作日"), "kind": _l("类型"),
    "reason": _l("理由"), "requested_due_date": _l("申请延至"), "decided_by_id": _l("处理人"),
    "decided_at": _l("处理时间"), "decision_comment": _l("处理意见"), "role": _l("角色"),
    "is_instruction": _l("批示"), "filename": _l("文件名"),
    # suspended_from stays out: the status line already says where the task was.
    "suspended_reason": _l("暂缓理由"), "suspended_on": _l("暂缓日期"),
}
MILESTONE_STATUSES = {"open": _l("未完成"), "done": _l("已完成")}
ROLES = {"co_responsible": _l("共同负责"), "cooperating": _l("配合")}
USER_COLUMNS = {"lead_leader_id", "acknowledged_by_id", "reviewer_id", "decided_by_id",
                "requested_by_id", "author_id"}


@dataclass
class _Names:
    users: dict[int, str]
    units: dict[int, str]
    meetings: dict[int, str]


def _value(entity: str, column: str, value: Any, names: _Names) -> str:
    if value is None or value == "" or value == []:
        return "—"
    codes = {"status": {"task": labels.STATUSES, "request": labels.REQUEST_STATUSES,
                        "milestone": MILESTONE_STATUSES}.get(entity, {}),
             "review_status": labels.REVIEW_STATUSES, "card": labels.CARDS,
             "level": labels.LEVELS, "kind": labels.REQUEST_KINDS, "role": ROLES,
             "comparator": labels.COMPARATORS}.get(column)
    if codes is not None:
        return str(codes.get(value, value))
    if column in USER_COLUMNS:
        return names.users.get(value, str(value))
    if column in ("responsible_unit_id", "unit_id"):
        return names.units.get(value, str(value))
    if column == "meeting_id":
        return names.meetings.get(value, str(value))
    if isinstance(value, bool):
        return str(_l("是") if value else _l("否"))
    if isinstance(value, list):
        return "、".join(map(str, value))
    if column.endswith("_at"):
        return local_time(datetime.fromisoformat(value))
    if column in ("target_value", "baseline", "planned_value", "actual_value"):
        return plain(Decimal(value))
    return str(value)


def _names(entries: list[AuditLog]) -> _Names:
    ids: dict[str, set[int]] = {"users": set(), "units": set(), "meetings": set()}
    for entry in entries:
        for values in (entry.before or {}, entry.after or {}):
            for column, value in values.items():
                kind = "users" if column in USER_COLUMNS else "units" if column in (
                    "responsible_unit_id", "unit_id") else "meetings" \
                    if column == "meeting_id" else None
                if kind and isinstance(value, int):
                    ids[kind].add(value)
    # Imported here: the audit hook must not pull the other domains in at import time.
    from taskboard.auth.models import User
    from taskboard.meetings.models import Meeting
    from taskboard.units.models import Unit

    def lookup(model, label, wanted: set[int]) -> dict[int, str]:
        if not wanted:
            return {}
        return dict(db.session.execute(select(model.id, label).where(model.id.in_(wanted))).all())

    return _Names(lookup(User, User.display_name, ids["users"]),
                  lookup(Unit, Unit.name, ids["units"]),
                  lookup(Meeting, Meeting.title, ids["meetings"]))


def readable_history(task_id: int) -> list[tuple[AuditLog, list[str]]]:
    """Each entry of the task's history with its changes in words: 状态：办理中 → 已办结."""
    entries = history(task_id)
    names = _names(entries)
    described = []
    for entry in entries:
        lines = []
        if entry.action == "update":
            for column, after in (entry.after or {}).items():
                if column not in FIELD_NAMES:
                    continue
                before = (entry.before or {}).get(column)
                lines.append(_("%(field)s：%(before)s → %(after)s", field=FIELD_NAMES[column],
                               before=_value(entry.entity, column, before, names),
                               after=_value(entry.entity, column, after, names)))
        described.append((entry, lines))
    return described
