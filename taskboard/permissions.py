"""The one place that answers "may this user do this to this object?".

Views and the API ask here and nowhere else. A refusal is 403 and changes nothing; a missing
object is 404 (the view looks it up before asking).
"""
from flask import abort
from sqlalchemy import ColumnElement, exists, or_, select, true

from taskboard.auth.models import ADMIN, LEADER, OFFICE, UNIT_HEAD, UNIT_ROLES, User
from taskboard.tasks.models import Task, TaskUnit

MANAGERS = (ADMIN, OFFICE)


def sees_everything(user: User) -> bool:
    return user.role in (ADMIN, OFFICE, LEADER)


def can_manage_tasks(user: User) -> bool:
    """Create, edit, delete tasks and meetings; edit plans; review (office and admin)."""
    return user.role in MANAGERS


def can_manage_units(user: User) -> bool:
    # The office creates units on the spot while confirming a speech's tasks.
    return user.role in MANAGERS


def can_manage_users(user: User) -> bool:
    return user.role == ADMIN


def can_manage_settings(user: User) -> bool:
    return user.role in MANAGERS


def can_view_meetings(user: User) -> bool:
    return sees_everything(user)


def can_view_task(user: User, task: Task) -> bool:
    if sees_everything(user):
        return True
    return user.in_unit_role and user.unit_id in task.involved_unit_ids


def can_edit_task(user: User, task: Task) -> bool:
    return can_manage_tasks(user)


def can_comment(user: User, task: Task) -> bool:
    """Everyone who sees a task may comment; a leader's comment is a 批示."""
    return can_view_task(user, task)


def can_report(user: User, task: Task) -> bool:
    """Progress reports and 签收: units responsible or co-responsible, not cooperating ones."""
    return user.in_unit_role and user.unit_id in task.accountable_unit_ids


def can_request_for_unit(user: User, task: Task) -> bool:
    """Objections, extension and completion requests: the unit head of an accountable unit."""
    return user.role == UNIT_HEAD and can_report(user, task)


def can_acknowledge(user: User, task: Task) -> bool:
    """签收: the reporter or head of the responsible (or co-responsible) unit."""
    return can_report(user, task)


def can_review(user: User) -> bool:
    """复核 reports and decide objections, extensions and completions."""
    return can_manage_tasks(user)


def can_suspend(user: User) -> bool:
    """暂缓 a live task and 恢复办理 it (office and admin)."""
    return user.role in MANAGERS


def can_manage_awards(user: User) -> bool:
    """Compute, override and publish 红旗 / 蜗牛奖; drafts are seen only by those who may."""
    return user.role in MANAGERS


def can_issue_documents(user: User) -> bool:
    """督办通知单 and drafting, editing and issuing the monthly 督办情况通报."""
    return user.role in MANAGERS


def can_view_bulletins(user: User) -> bool:
    """Issued 通报 are read by the office and the leaders."""
    return sees_everything(user)


DIGEST_ROLES = (LEADER, OFFICE)


def receives_digest(user: User) -> bool:
    """Leaders get the tasks they lead each Monday; the office gets all tasks."""
    return user.role in DIGEST_ROLES


def can_preview_digest(user: User, recipient: User) -> bool:
    return user.role in MANAGERS or user.id == recipient.id


def visible_tasks(user: User) -> ColumnElement[bool]:
    """A WHERE clause selecting the tasks ``user`` may see, for list pages and the API."""
    if sees_everything(user):
        return true()
    if user.role not in UNIT_ROLES or user.unit_id is None:
        return Task.id.is_(None)  # matches nothing
    shares_task = exists(select(TaskUnit.task_id).where(
        TaskUnit.task_id == Task.id, TaskUnit.unit_id == user.unit_id
    ))
    return or_(Task.responsible_unit_id == user.unit_id, shares_task)


def visibility_key(user: User) -> tuple:
    """What decides which tasks ``user`` sees and may act on: a part of cache keys.

    Everyone who sees everything shares it per role; unit people share it per unit and role.
    """
    if sees_everything(user):
        return (user.role,)
    return (user.role, user.unit_id)


def require(allowed: bool) -> None:
    if not allowed:
        abort(403)
