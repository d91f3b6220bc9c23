"""Read-side queries for task lists: filters, visibility and paging in SQL."""
from calendar import monthrange
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import current_app
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    case,
    cast,
    exists,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import aliased, joinedload, selectinload

from taskboard import permissions
from taskboard.auth.models import LEADER, User
from taskboard.cache import cached_reference
from taskboard.calendar.workdays import WorkCalendar
from taskboard.extensions import db
from taskboard.meetings.models import Meeting
from taskboard.security import bounded_int
from taskboard.units.models import Unit

from .models import (
    RED_BEHIND,
    YELLOW_BEHIND,
    Milestone,
    ProgressReport,
    Task,
    TaskRequest,
    TaskStatus,
    TaskUnit,
    owed_since_assignment,
)

FILTERS = ("q", "unit", "lead", "status", "category", "level", "light")


@dataclass
class FilterOptions:
    """What the filter forms of the task list and the dashboard offer."""

    unit_options: list[tuple[int, str]]
    leader_options: list[tuple[int, str]]
    categories: list[str]
    meetings: list[tuple[int, str]]


def filter_options() -> FilterOptions:
    """Active units, active leaders, the categories in use and the meetings, in one query.

    One statement instead of four: a page's first view after a write runs every query again.
    Each list keeps its own order (names; meetings newest first) by its position.
    """
    def branch(kind: str, key, label, order, *where) -> Select:
        return select(literal(kind).label("kind"), key.label("key"), label.label("label"),
                      func.row_number().over(order_by=order).label("position")).where(*where)

    options = union_all(
        branch("unit", Unit.id, Unit.name, Unit.name, Unit.active.is_(True)),
        branch("leader", User.id, User.display_name, User.display_name,
               User.role == LEADER, User.active.is_(True)),
        branch("category", cast(null(), Integer), Task.category, Task.category,
               Task.deleted_at.is_(None), Task.category != "").group_by(Task.category),
        branch("meeting", Meeting.id, Meeting.title, Meeting.meeting_date.desc()),
    ).subquery()
    found: dict[str, list] = {"unit": [], "leader": [], "category": [], "meeting": []}
    for kind, key, label in db.session.execute(
            select(options.c.kind, options.c.key, options.c.label)
            .order_by(options.c.kind, options.c.position)):
        found[kind].append(label if kind == "category" else (key, label))
    return FilterOptions(found["unit"], found["leader"], found["category"], found["meeting"])


@dataclass(frozen=True)
class AsOf:
    """The day a list is drawn for, and the end of its "due soon" window."""

    today: date
    horizon: date


def filtered_tasks(user: User, filters: Mapping[str, Any], as_of: AsOf) -> Select:
    """Visible, not deleted tasks matching the list page's filters. Bad values match nothing."""
    query = select(Task).where(Task.deleted_at.is_(None), permissions.visible_tasks(user))
    if q := (filters.get("q") or "").strip():
        pattern = f"%{q}%"
        query = query.where(or_(Task.code.ilike(pattern), Task.title.ilike(pattern),
                                Task.description.ilike(pattern)))
    if filters.get("unit"):
        unit_id = bounded_int(filters["unit"])
        shared = exists(select(TaskUnit.task_id).where(TaskUnit.task_id == Task.id,
                                                       TaskUnit.unit_id == unit_id))
        query = query.where(or_(Task.responsible_unit_id == unit_id, shared))
    if lead := filters.get("lead"):
        lead_id = bounded_int(lead)
        query = query.where(Task.lead_leader_id == lead_id if lead_id is not None
                            else Task.lead_leader_name == lead)
    for name in ("status", "category", "level"):
        if value := filters.get(name):
            query = query.where(getattr(Task, name) == value)
    if light := filters.get("light"):
        query = query.where(light_expression(as_of.today, as_of.horizon) == light)
    return query


def status_as_of(day: date) -> ColumnElement:
    """The task's status on ``day`` in SQL: one done or cancelled later was still in progress.

    As of today it is the status itself: a task closes on the day it is closed (closed_on).
    """
    closed_later = Task.status.in_(TaskStatus.CLOSED) & (Task.closed_on > day)
    return case((closed_later, TaskStatus.IN_PROGRESS.value), else_=Task.status)


def assigned_by(day: date) -> ColumnElement:
    """SQL: the task had reached its unit (交办) by ``day``; drafts never assigned count too."""
    return or_(Task.assigned_on.is_(None), Task.assigned_on <= day)


def light_expression(today: date, horizon: date) -> ColumnElement:
    """The task's light in SQL, the same rule as Task.light: list pages load no milestones.

    Red: a milestone overdue and not reported, or the latest report more than 30 points
    behind plan; yellow: one due by ``horizon`` and not reported, or 10–30 points behind;
    green otherwise; NULL for tasks not live on ``today`` (done or cancelled by then,
    suspended).
    """
    milestone = aliased(Milestone)
    # The earliest month owed and not reported: a seek per task in ix_milestones_open, whose
    # rows (a dozen months at most) are then read in the index.
    # As of an earlier day, a month reported after that day was not reported yet.
    not_reported_then = or_(milestone.reported.is_(False), milestone.reported_on > today)
    first_unreported = (select(func.min(milestone.due_date))
                        .where(milestone.task_id == Task.id, not_reported_then,
                               owed_since_assignment(milestone))
                        .scalar_subquery())
    return case(
        (status_as_of(today).not_in(TaskStatus.LIVE), None),
        (or_(first_unreported < today, Task.behind_points > RED_BEHIND), "red"),
        (or_(first_unreported <= horizon, Task.behind_points >= YELLOW_BEHIND), "yellow"),
        else_="green",
    )


def task_page(user: User, filters: Mapping[str, Any], as_of: AsOf, page: int = 1,
              per_page: int | None = None) -> Pagination:
    """One page of tasks; each task's light is in ``page.lights`` (one query for the page)."""
    query = (
        filtered_tasks(user, filters, as_of)
        .options(joinedload(Task.responsible_unit), joinedload(Task.lead_leader),
                 selectinload(Task.shared_units).joinedload(TaskUnit.unit))
        .order_by(Task.due_date, Task.code_year, Task.code_number)
    )
    result = db.paginate(query, page=page, error_out=False,
                         per_page=per_page or current_app.config["TASKS_PER_PAGE"])
    result.lights = task_lights([task.id for task in result.items], as_of)
    return result


def task_lights(task_ids: list[int], as_of: AsOf) -> dict[int, str | None]:
    if not task_ids:
        return {}
    rows = db.session.execute(
        select(Task.id, light_expression(as_of.today, as_of.horizon)).where(Task.id.in_(task_ids))
    )
    return {task_id: light for task_id, light in rows}


def as_of(today: date) -> AsOf:
    # The horizon depends on the holiday calendar alone: kept until the calendar changes.
    return cached_reference(("as_of", today),
                            lambda: AsOf(today, shared_calendar().soon_horizon(today)))


def shared_calendar() -> WorkCalendar:
    """The holiday calendar, read once until it changes (pages only read it)."""
    return cached_reference(("calendar",), WorkCalendar.load)


def _open_tasks_of(unit_id: int) -> Select:
    """Ids of the live tasks the unit answers for (responsible or co-responsible)."""
    accountable = or_(Task.responsible_unit_id == unit_id, exists(select(TaskUnit.task_id).where(
        TaskUnit.task_id == Task.id, TaskUnit.unit_id == unit_id,
        TaskUnit.role == "co_responsible")))
    return select(Task.id).where(Task.deleted_at.is_(None), accountable,
                                 Task.status.in_(TaskStatus.LIVE))


def _month_end(today: date) -> date:
    return date(today.year, today.month, monthrange(today.year, today.month)[1])


def _to_sign(open_tasks: Select) -> Select:
    return select(Task).where(Task.id.in_(open_tasks), Task.status == TaskStatus.ASSIGNED,
                              Task.acknowledged_at.is_(None))


def _owed(open_tasks: Select, today: date) -> Select:
    """Milestones due by the end of this month and not reported (returned ones included)."""
    return select(Milestone).where(Milestone.task_id.in_(open_tasks),
                                   Milestone.reported.is_(False),
                                   Milestone.due_date <= _month_end(today))


def unit_workspace(unit_id: int, today: date) -> dict[str, Any]:
    """A unit's desk as of ``today``: to sign, to report this month, late, returned."""
    open_tasks = _open_tasks_of(unit_id)
    owed = db.session.scalars(
        _owed(open_tasks, today)
        .options(joinedload(Milestone.task), selectinload(Milestone.reports))
        .order_by(Milestone.due_date)
    ).all()
    returned = [m for m in owed if m.latest_report is not None
                and m.latest_report.review_status == "returned"]
    owed = [m for m in owed if m not in returned]
    to_sign = db.session.scalars(_to_sign(open_tasks).options(selectinload(Task.requests))
                                 .order_by(Task.assigned_on)).all()
    return {
        "to_sign": to_sign,
        "late": [m for m in owed if m.due_date < today],
        "this_month": [m for m in owed if m.due_date >= today],
        "returned": returned,
        "today": today,
    }


def workspace_count(unit_id: int, today: date) -> int:
    """What the workspace lists, counted for the navigation: tasks to sign, months owed."""
    open_tasks = _open_tasks_of(unit_id)
    return sum(db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
               for query in (_to_sign(open_tasks), _owed(open_tasks, today)))


def pending_reports() -> Select:
    """Reports awaiting 复核 on live tasks, oldest first (待办's order)."""
    return (select(ProgressReport).where(ProgressReport.review_status == "pending")
            .join(Milestone).join(Task).where(Task.deleted_at.is_(None))
            .order_by(ProgressReport.submitted_at, ProgressReport.id))


def pending_requests() -> Select:
    return (select(TaskRequest).where(TaskRequest.status == "pending")
            .join(Task).where(Task.deleted_at.is_(None)).order_by(TaskRequest.requested_at))


def review_count() -> int:
    """待办's count in the navigation: reports to review and requests to decide."""
    return sum(db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
               for query in (pending_reports(), pending_requests()))
