"""Read-side queries for task lists: filters, visibility and paging in SQL."""
from collections.abc import Mapping
from typing import Any

from flask import current_app
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, exists, or_, select
from sqlalchemy.orm import joinedload, selectinload

from taskboard import permissions
from taskboard.auth.models import User
from taskboard.extensions import db

from .models import Task, TaskUnit

FILTERS = ("q", "unit", "lead", "status", "category", "level")


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def filtered_tasks(user: User, filters: Mapping[str, Any]) -> Select:
    """Visible, not deleted tasks matching the list page's filters. Bad values match nothing."""
    query = select(Task).where(Task.deleted_at.is_(None), permissions.visible_tasks(user))
    if q := (filters.get("q") or "").strip():
        pattern = f"%{q}%"
        query = query.where(or_(Task.code.ilike(pattern), Task.title.ilike(pattern),
                                Task.description.ilike(pattern)))
    if filters.get("unit"):
        unit_id = _int(filters["unit"])
        shared = exists(select(TaskUnit.task_id).where(TaskUnit.task_id == Task.id,
                                                       TaskUnit.unit_id == unit_id))
        query = query.where(or_(Task.responsible_unit_id == unit_id, shared))
    if lead := filters.get("lead"):
        lead_id = _int(lead)
        query = query.where(Task.lead_leader_id == lead_id if lead_id is not None
                            else Task.lead_leader_name == lead)
    for name in ("status", "category", "level"):
        if value := filters.get(name):
            query = query.where(getattr(Task, name) == value)
    return query


def task_page(user: User, filters: Mapping[str, Any], page: int = 1) -> Pagination:
    query = (
        filtered_tasks(user, filters)
        .options(joinedload(Task.responsible_unit), joinedload(Task.lead_leader),
                 selectinload(Task.shared_units).joinedload(TaskUnit.unit))
        .order_by(Task.due_date, Task.code_year, Task.code_number)
    )
    return db.paginate(query, page=page, per_page=current_app.config["TASKS_PER_PAGE"],
                       error_out=False)
