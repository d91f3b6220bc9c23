"""Task workflows. Each function is one unit of work; the caller commits."""
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import case, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from taskboard.auth.models import LEADER, User
from taskboard.calendar.workdays import WorkCalendar
from taskboard.clock import now
from taskboard.errors import ValidationError
from taskboard.extensions import db
from taskboard.meetings.models import Meeting
from taskboard.units.models import Unit

from . import signals
from .milestones import sync_milestones
from .models import (
    CO_RESPONSIBLE,
    COOPERATING,
    CodeCounter,
    Comment,
    ReportValue,
    Target,
    Task,
    TaskStatus,
    TaskUnit,
)

# due_date_error and latest_due are also asked for here (workflow, meetings, tests).
from .schemas import due_date_error as due_date_error
from .schemas import latest_due as latest_due
from .schemas import rule_errors


def default_start(today: date, year: int) -> date:
    """交办日: today, but never before the task year — a December 务虚会 confirmed in December
    starts next year's work on 1 January."""
    return max(today, date(year, 1, 1))


@dataclass
class TargetData:
    metric: str
    comparator: str = ">="
    value: Decimal | None = None
    measure_unit: str = ""
    cumulative: bool = True
    baseline: Decimal | None = None


@dataclass
class TaskData:
    """What a form, the API or the speech importer says a task is."""

    title: str
    responsible_unit_id: int
    start_date: date
    due_date: date
    description: str = ""
    category: str = ""
    meeting_id: int | None = None
    source_excerpt: str = ""
    lead_leader_id: int | None = None
    lead_leader_name: str = ""
    co_responsible_unit_ids: list[int] = field(default_factory=list)
    cooperating_unit_ids: list[int] = field(default_factory=list)
    other_departments_participate: bool = False
    cooperating_names: list[str] = field(default_factory=list)
    responsible_person: str = ""
    level: str = "normal"
    targets: list[TargetData] = field(default_factory=list)


def task_data(task: Task) -> TaskData:
    """What ``task`` says now, as the input its edit starts from (API PATCH, forms)."""
    return TaskData(
        title=task.title, responsible_unit_id=task.responsible_unit_id,
        start_date=task.start_date, due_date=task.due_date, description=task.description,
        category=task.category, meeting_id=task.meeting_id, source_excerpt=task.source_excerpt,
        lead_leader_id=task.lead_leader_id, lead_leader_name=task.lead_leader_name,
        co_responsible_unit_ids=[u.id for u in task.co_responsible_units],
        cooperating_unit_ids=[u.id for u in task.cooperating_units],
        other_departments_participate=task.other_departments_participate,
        cooperating_names=list(task.cooperating_names or []),
        responsible_person=task.responsible_person, level=task.level,
        targets=[TargetData(metric=t.metric, comparator=t.comparator, value=t.target_value,
                            measure_unit=t.measure_unit, cumulative=t.cumulative,
                            baseline=t.baseline) for t in task.targets],
    )


def validate_task(data: TaskData) -> None:
    """``rule_errors``, and whether the units, leader and meeting it names exist."""
    errors = rule_errors(data)
    unit_ids = {data.responsible_unit_id, *data.co_responsible_unit_ids,
                *data.cooperating_unit_ids}
    active = set(db.session.scalars(
        select(Unit.id).where(Unit.id.in_(unit_ids), Unit.active.is_(True))
    ))
    if data.responsible_unit_id not in active:
        errors["responsible_unit_id"] = _("责任单位不存在或已停用。")
    if set(data.co_responsible_unit_ids) - active:
        errors["co_responsible_unit_ids"] = _("共同责任单位中有不存在或已停用的单位。")
    if set(data.cooperating_unit_ids) - active:
        errors["cooperating_unit_ids"] = _("配合单位中有不存在或已停用的单位。")
    if data.responsible_unit_id in {*data.co_responsible_unit_ids, *data.cooperating_unit_ids}:
        errors["co_responsible_unit_ids"] = _("责任单位不能同时是共同责任或配合单位。")
    if set(data.co_responsible_unit_ids) & set(data.cooperating_unit_ids):
        errors["cooperating_unit_ids"] = _("同一单位不能既共同负责又配合。")
    if data.lead_leader_id is not None:
        leader = db.session.get(User, data.lead_leader_id)
        if leader is None or leader.role != LEADER:
            errors["lead_leader_id"] = _("牵头领导必须是领导账号。")
    if data.meeting_id is not None and db.session.get(Meeting, data.meeting_id) is None:
        errors["meeting_id"] = _("来源会议不存在。")
    if errors:
        raise ValidationError(errors)


def take_number(series: str, at_least: int = 0) -> int:
    """The next number of ``series``, above ``at_least``, safe against simultaneous callers.

    The increment is one UPDATE: a second transaction waits on the row until the first
    commits, then counts on from its number (PostgreSQL's row lock, SQLite's write lock).
    """
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    db.session.execute(dialect.insert(CodeCounter).values(series=series, last_number=at_least)
                       .on_conflict_do_nothing())
    last = CodeCounter.last_number
    return db.session.execute(
        update(CodeCounter).where(CodeCounter.series == series)
        .values(last_number=case((last < at_least, at_least), else_=last) + 1)
        .returning(CodeCounter.last_number)
        .execution_options(synchronize_session=False)).scalar_one()


def next_code(year: int) -> tuple[int, str]:
    """The next free number in ``year``: DB-2022-001 … DB-2022-999, DB-2022-1000 …

    Codes a ledger brought along count too, so the series goes on after the highest.
    """
    last = db.session.scalar(select(func.max(Task.code_number)).where(Task.code_year == year))
    number = take_number(f"task-{year}", last or 0)
    return number, f"DB-{year}-{number:03d}"


def _apply(task: Task, data: TaskData) -> None:
    for name in (
        "title", "description", "category", "meeting_id", "source_excerpt", "lead_leader_id",
        "responsible_unit_id", "other_departments_participate", "cooperating_names",
        "responsible_person",
        "start_date", "due_date", "level",
    ):
        value = getattr(data, name)
        if getattr(task, name) != value:
            setattr(task, name, value.strip() if isinstance(value, str) else value)
    # A leader with an account is named by the account; otherwise keep the spoken name.
    name = "" if data.lead_leader_id else data.lead_leader_name.strip()
    if task.lead_leader_name != name:
        task.lead_leader_name = name
    wanted = {uid: CO_RESPONSIBLE for uid in data.co_responsible_unit_ids}
    wanted |= {uid: COOPERATING for uid in data.cooperating_unit_ids}
    for link in list(task.shared_units):
        if wanted.get(link.unit_id) != link.role:
            task.shared_units.remove(link)
    linked = {link.unit_id for link in task.shared_units}
    for unit_id, role in wanted.items():
        if unit_id not in linked:
            task.shared_units.append(TaskUnit(unit_id=unit_id, role=role))


def _apply_targets(task: Task, targets: list[TargetData]) -> bool:
    """Update targets in place by position. Returns whether any planned figure changed."""
    changed = False
    for position, data in enumerate(targets):
        values = {
            "position": position, "metric": data.metric.strip(), "comparator": data.comparator,
            "target_value": data.value, "measure_unit": data.measure_unit.strip(),
            "cumulative": data.cumulative, "baseline": data.baseline,
        }
        if position < len(task.targets):
            target = task.targets[position]
            for name, value in values.items():
                if getattr(target, name) != value:
                    setattr(target, name, value)
                    changed = changed or name in ("target_value", "cumulative", "baseline")
        else:
            task.targets.append(Target(**values))
            changed = True
    for target in task.targets[len(targets):]:
        task.targets.remove(target)
        changed = True
    return changed


def given_code(code: str) -> tuple[int, int]:
    """(year, number) of a code a ledger brings along, if it is well formed and free."""
    match = re.fullmatch(r"DB-(\d{4})-(\d{3,})", code)
    if match is None:
        raise ValidationError({"code": _("编号格式应为 DB-2022-001。")})
    if db.session.scalar(select(Task.id).where(Task.code == code)) is not None:
        raise ValidationError({"code": _("编号 %(code)s 已被使用。", code=code)})
    return int(match.group(1)), int(match.group(2))


def create_task(
    data: TaskData, *, today: date, calendar: WorkCalendar | None = None,
    status: TaskStatus = TaskStatus.ASSIGNED, code: str | None = None,
) -> Task:
    """Create a task with its targets and monthly milestones (交办).

    ``code`` keeps the number a task already has elsewhere (an imported ledger); by default
    the next free number of the start year is taken.
    """
    validate_task(data)
    if code:
        year, number = given_code(code)
    else:
        year = data.start_date.year
        number, code = next_code(year)
    task = Task(code=code, code_year=year, code_number=number, status=status,
                assigned_on=today if status == TaskStatus.ASSIGNED else None)
    _apply(task, data)
    _apply_targets(task, data.targets)
    db.session.add(task)
    db.session.flush()  # targets need ids before their monthly plan
    sync_milestones(task, calendar or WorkCalendar.load(), today)
    db.session.flush()
    if status == TaskStatus.ASSIGNED:
        signals.task_assigned.send(task)
    return task


def update_task(
    task: Task, data: TaskData, *, today: date, calendar: WorkCalendar | None = None
) -> Task:
    """Change a task; new dates or figures regenerate its open future milestones."""
    validate_task(data)
    reported = set(db.session.scalars(
        select(ReportValue.target_id).join(Target).where(Target.task_id == task.id)
    ))
    if any(target.id in reported for target in task.targets[len(data.targets):]):
        raise ValidationError({"targets": _("已有填报数据的指标不能删除。")})
    dates_changed = (task.start_date, task.due_date) != (data.start_date, data.due_date)
    _apply(task, data)
    figures_changed = _apply_targets(task, data.targets)
    db.session.flush()
    if dates_changed or figures_changed:
        sync_milestones(task, calendar or WorkCalendar.load(), today)
        db.session.flush()
    return task


def soft_delete_task(task: Task) -> None:
    """Tasks are never removed: the ledger's history must stay readable."""
    task.deleted_at = now()
    db.session.flush()


def add_comment(task: Task, author: User, text: str) -> Comment:
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("请填写意见内容。")})
    comment = Comment(task=task, author=author, text=text, is_instruction=author.role == LEADER)
    db.session.add(comment)
    db.session.flush()
    if comment.is_instruction:
        signals.instruction_given.send(comment)
    return comment
