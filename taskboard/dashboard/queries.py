"""The dashboard's figures. A fixed number of queries whatever the number of units or tasks."""
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import DateTime, and_, case, cast, func, literal, null, or_, select, union_all
from sqlalchemy.orm import joinedload

from taskboard.auth.models import User
from taskboard.awards.models import AwardMonth, AwardScore
from taskboard.cache import cached_reference
from taskboard.extensions import db
from taskboard.followup import settings as followup_settings
from taskboard.followup.sweep import red_card_tasks
from taskboard.security import bounded_int
from taskboard.tasks.models import (
    CO_RESPONSIBLE,
    REPORTED_STATUSES,
    Milestone,
    PlannedValue,
    ProgressReport,
    ReportValue,
    Target,
    Task,
    TaskStatus,
    TaskUnit,
    owed_since_assignment,
)
from taskboard.tasks.queries import (
    AsOf,
    assigned_by,
    filtered_tasks,
    light_expression,
    shared_calendar,
    status_as_of,
)
from taskboard.units.models import Unit

GRID_PAGE = 50
LIGHT_ORDER = {"red": 0, "yellow": 1, "green": 2, None: 3}
# Cell states of the month grid, worst first.
CELL_STATES = ("overdue", "due", "awaiting_review", "done_late", "done_on_time", "not_started",
               "before_assignment", "suspended")
DASHBOARD_FILTERS = ("unit", "lead", "category", "meeting")


def filtered(user: User, filters: Mapping[str, Any], as_of: AsOf):
    """The task list's filters plus the source meeting; visibility applies."""
    query = filtered_tasks(user, filters, as_of)
    if meeting := filters.get("meeting"):
        meeting_id = bounded_int(meeting)
        query = query.where(Task.meeting_id == meeting_id if meeting_id is not None
                            else Task.id.is_(None))
    return query


@dataclass
class GridRow:
    task: Task
    light: str | None
    cells: dict[str, str] = field(default_factory=dict)  # "YYYY-MM" → state


@dataclass
class TargetProgress:
    task: Task
    target: Target
    planned: Decimal | None
    actual: Decimal | None

    @property
    def percent(self) -> int | None:
        """序时进度: the actual figure as a share of what the plan called for by now."""
        if not self.planned or self.actual is None:
            return None
        return int(self.actual / self.planned * 100)


@dataclass
class UnitRow:
    unit_id: int
    name: str
    tasks: int = 0
    due: int = 0
    on_time: int = 0
    overdue_now: int = 0

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.due if self.due else None


@dataclass
class Overview:
    as_of: AsOf
    year: int
    months: list[str]
    by_light: Counter
    by_status: Counter
    flagged: list[tuple[Task, str | None]]
    red_now: set[int]  # flagged tasks red as of today, swept or not
    grid: list[GridRow]
    page: int
    pages: int
    total: int
    units: list[UnitRow]
    targets: list[TargetProgress]
    awards: "AwardsPanel | None"

    def iter_pages(self):
        """Page numbers for the pager: the ends and the neighbourhood, None for a gap."""
        shown = {1, 2, self.pages - 1, self.pages, *range(self.page - 2, self.page + 3)}
        previous = 0
        for number in sorted(n for n in shown if 1 <= n <= self.pages):
            if number > previous + 1:
                yield None
            yield number
            previous = number


def overview(user: User, filters: Mapping[str, Any], as_of: AsOf, page: int = 1) -> Overview:
    year = as_of.today.year
    months = [f"{year:04d}-{m:02d}" for m in range(1, 13)]
    # As the board stood on the day: tasks assigned later are not on it yet, and tasks
    # closed later still count as in progress (status_as_of, light_expression).
    tasks = filtered(user, filters, as_of).where(assigned_by(as_of.today)).subquery()
    light = light_expression(as_of.today, as_of.horizon)
    status_then = status_as_of(as_of.today)

    # Counts, the page and the flagged tasks are each one query that returns few rows: the
    # light is computed by SQL for every task, but only what the page shows comes back.
    counts = db.session.execute(
        select(light, status_then, func.count()).where(Task.id.in_(select(tasks.c.id)))
        .group_by(light, status_then)).all()
    by_light, by_status = Counter(), Counter()
    for light_value, status, count in counts:
        if light_value:
            by_light[light_value] += count
        by_status[status] += count
    total, page = sum(by_status.values()), max(page, 1)
    pages = max((total + GRID_PAGE - 1) // GRID_PAGE, 1)
    light_rank = case((light == "red", 0), (light == "yellow", 1), (light == "green", 2),
                      else_=3)
    card_rank = case((Task.card == "red", 0), (Task.card == "yellow", 1),
                     (Task.card == "blue", 2), else_=3)
    worst_first = (light_rank, card_rank, Task.due_date, Task.id)
    # 红牌 as of today by the sweep's rule, so the panel is right before the first sweep.
    settings = cached_reference(("followup_settings",), followup_settings.load)
    red_now = Task.id.in_(red_card_tasks(as_of.today, shared_calendar(), settings))
    ranked = select(Task.id, light.label("light"), red_now.label("red_now"),
                    func.row_number().over(order_by=worst_first).label("position")) \
        .where(Task.id.in_(select(tasks.c.id))).order_by(*worst_first)
    # The grid's page and the flagged panel, worst first, in one statement.
    on_page = ranked.limit(GRID_PAGE).offset((page - 1) * GRID_PAGE).subquery()
    flagged = ranked.where((Task.card == "red") | (Task.level == "listed") | red_now) \
        .limit(20).subquery()
    parts = union_all(select(literal("page").label("part"), *on_page.c),
                      select(literal("flagged"), *flagged.c)).subquery()
    rows = db.session.execute(select(parts).order_by(parts.c.part, parts.c.position)).all()
    page_rows = [(row.id, row.light) for row in rows if row.part == "page"]
    flagged_rows = [(row.id, row.light, row.red_now) for row in rows if row.part == "flagged"]
    light_of = dict(page_rows) | {task_id: light for task_id, light, _red in flagged_rows}
    page_ids, flagged_ids = [r[0] for r in page_rows], [r[0] for r in flagged_rows]

    loaded = {t.id: t for t in db.session.scalars(
        select(Task).where(Task.id.in_(page_ids + flagged_ids))
        .options(joinedload(Task.responsible_unit), joinedload(Task.lead_leader),
                 joinedload(Task.targets))).unique()}
    grid = [GridRow(loaded[i], light_of[i]) for i in page_ids]
    _fill_cells(grid, months, as_of.today)
    return Overview(
        as_of=as_of, year=year, months=months, by_light=by_light, by_status=by_status,
        flagged=[(loaded[i], light_of[i]) for i in flagged_ids], grid=grid, page=page,
        red_now={task_id for task_id, _light, red in flagged_rows if red},
        pages=pages, total=total, units=_unit_rows(tasks, as_of.today),
        targets=_target_progress(grid, as_of.today),
        awards=_latest_published_awards())


@dataclass(frozen=True)
class AwardsPanel:
    """The latest published ranking as the dashboard shows it: 红旗 and 蜗牛奖 by unit name."""

    month: str
    red_flags: tuple[str, ...]
    snails: tuple[str, ...]


def _latest_published_awards() -> AwardsPanel | None:
    def panel() -> AwardsPanel | None:
        award = db.session.scalars(
            select(AwardMonth).where(AwardMonth.status == "published")
            .order_by(AwardMonth.month.desc()).limit(1)
            .options(joinedload(AwardMonth.scores).joinedload(AwardScore.unit))).unique().first()
        return award and AwardsPanel(award.month, tuple(s.unit.name for s in award.red_flags),
                                     tuple(s.unit.name for s in award.snails))

    return cached_reference(("awards_panel",), panel)


def _fill_cells(grid: list[GridRow], months: list[str], today: date) -> None:
    task_ids = [row.task.id for row in grid]
    if not task_ids:
        return
    # Each month with the reports that count for it (none, or pending and/or accepted).
    counting_report = and_(ProgressReport.milestone_id == Milestone.id,
                           ProgressReport.review_status.in_(REPORTED_STATUSES))
    rows = db.session.execute(
        select(Milestone.task_id, Milestone.period, Milestone.due_date,
               owed_since_assignment().label("owed"), ProgressReport.review_status,
               ProgressReport.submitted_on)
        .join(Task, Task.id == Milestone.task_id)
        .outerjoin(ProgressReport, counting_report)
        .where(Milestone.task_id.in_(task_ids), Milestone.period.in_(months))).all()
    counting: dict[tuple[int, str], tuple[str, date]] = {}
    for row in rows:
        # An accepted report settles the month; otherwise the one waiting for review.
        key = (row.task_id, row.period)
        if row.review_status and (key not in counting or row.review_status == "accepted"):
            counting[key] = (row.review_status, row.submitted_on)
    current = f"{today:%Y-%m}"
    by_task = {row.task.id: row for row in grid}
    for m in rows:
        grid_row = by_task[m.task_id]
        grid_row.cells[m.period] = _cell_state(
            counting.get((m.task_id, m.period)), m, grid_row.task.is_suspended, today, current)


def _cell_state(report: tuple[str, date] | None, milestone, suspended: bool, today: date,
                current: str) -> str:
    if report and report[0] == "accepted":
        return "done_on_time" if report[1] <= milestone.due_date else "done_late"
    if report:
        return "awaiting_review"
    if not milestone.owed:
        return "before_assignment"  # plan only: neither reminded nor ranked
    if suspended:
        return "suspended"  # on hold: not asked for until the office resumes it
    if milestone.due_date < today:
        return "overdue"
    return "due" if milestone.period <= current else "not_started"


def _unit_rows(tasks, today: date) -> list[UnitRow]:
    """Per unit (responsible or co-responsible): live tasks, milestones due by today, how many
    of those were reported on time and accepted, and how many are overdue now. The months of
    a task on hold (暂缓) count as the ranking counts them: not at all."""
    accountable = (select(tasks.c.id.label("task_id"), tasks.c.responsible_unit_id.label("unit_id"))
                   .union_all(select(TaskUnit.task_id, TaskUnit.unit_id)
                              .where(TaskUnit.role == CO_RESPONSIBLE,
                                     TaskUnit.task_id.in_(select(tasks.c.id))))).subquery()
    live = status_as_of(today).in_(TaskStatus.LIVE)
    owed = and_(Milestone.task_id == accountable.c.task_id, Milestone.due_date < today,
                owed_since_assignment(), status_as_of(today).in_(TaskStatus.RANKED))
    on_time = (Milestone.status == "done") & (Milestone.reported_on <= Milestone.due_date)
    open_tasks = func.count(func.distinct(case((live, accountable.c.task_id))))
    # One statement: each unit's tasks, and beside each its months owed by today (if any).
    counts = db.session.execute(
        select(accountable.c.unit_id, open_tasks, func.count(Milestone.id),
               func.sum(case((Milestone.reported.is_(False), 1), else_=0)),
               func.sum(case((on_time, 1), else_=0)))
        .join(Task, Task.id == accountable.c.task_id)
        .outerjoin(Milestone, owed)
        .group_by(accountable.c.unit_id)
        .having(or_(open_tasks > 0, func.count(Milestone.id) > 0))).all()
    names = cached_reference(
        ("unit_names",), lambda: dict(db.session.execute(select(Unit.id, Unit.name)).all()))
    rows = [UnitRow(unit_id, names.get(unit_id, ""), tasks=tasks, due=due,
                    overdue_now=overdue or 0, on_time=punctual or 0)
            for unit_id, tasks, due, overdue, punctual in counts]
    return sorted(rows, key=lambda r: (-r.overdue_now, r.on_time_rate or 0, r.name))


def _target_progress(grid: list[GridRow], today: date) -> list[TargetProgress]:
    """Each target of the page's tasks against its plan for this month (序时进度)."""
    targets = [(row.task, target) for row in grid for target in row.task.targets
               if target.target_value is not None]
    if not targets:
        return []
    target_ids = [t.id for _task, t in targets]
    current = f"{today:%Y-%m}"
    # This month's plan and every counted figure reported, in one statement.
    plans = (select(literal("plan").label("kind"), PlannedValue.target_id,
                    PlannedValue.planned_value.label("value"), Milestone.due_date,
                    cast(null(), DateTime).label("submitted_at"))
             .join(Milestone, Milestone.id == PlannedValue.milestone_id)
             .where(PlannedValue.target_id.in_(target_ids), Milestone.period == current))
    actuals = (select(literal("actual"), ReportValue.target_id, ReportValue.actual_value,
                      Milestone.due_date, ProgressReport.submitted_at)
               .join(ProgressReport, ProgressReport.id == ReportValue.report_id)
               .join(Milestone, Milestone.id == ProgressReport.milestone_id)
               .where(ReportValue.target_id.in_(target_ids),
                      ProgressReport.review_status.in_(REPORTED_STATUSES)))
    figures = union_all(plans, actuals).subquery()
    planned: dict[int, Decimal] = {}
    latest: dict[int, Decimal] = {}
    for kind, target_id, value in db.session.execute(
            select(figures.c.kind, figures.c.target_id, figures.c.value)
            .order_by(figures.c.due_date, figures.c.submitted_at)):
        # Ordered by month: the last figure reported wins.
        (planned if kind == "plan" else latest)[target_id] = value
    return [TargetProgress(task, target, planned.get(target.id), latest.get(target.id))
            for task, target in targets]


