"""The weekly digest: for each leader, the tasks they lead; for the office, all tasks.

As of the week's Monday: what changed in the 7 days before it, what is overdue (red cards
first), what is due in the 14 days after it, and the latest 红旗 / 蜗牛奖.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import joinedload

from taskboard.auth.models import LEADER, User
from taskboard.awards.models import AwardMonth
from taskboard.clock import SHANGHAI, year_error
from taskboard.errors import ValidationError
from taskboard.extensions import db
from taskboard.permissions import DIGEST_ROLES
from taskboard.tasks.models import (
    Comment,
    Milestone,
    ProgressReport,
    Task,
    TaskRequest,
    TaskStatus,
)

from . import signals

SECTION_LIMIT = 50  # a phone screen's worth; the rest is a count and a link
CARD_RANK = {"red": 0, "yellow": 1, "blue": 2, "none": 3}


def parse_week(week: str) -> date:
    """The Monday of an ISO week "2022-W24"."""
    try:
        year, number = week.split("-W")
        monday = date.fromisocalendar(int(year), int(number), 1)
    except (ValueError, AttributeError):
        raise ValidationError({"week": _("周次必须是 YYYY-Www 格式，如 2022-W24。")}) from None
    if message := year_error(int(year)):
        raise ValidationError({"week": message})
    return monday


def week_of(day: date) -> str:
    year, number, _weekday = day.isocalendar()
    return f"{year}-W{number:02d}"


@dataclass
class Change:
    when: datetime | date
    task: Task
    text: str


@dataclass
class Digest:
    user: User
    week: str
    monday: date
    changes: list[Change] = field(default_factory=list)
    overdue: list[tuple[Task, list[Milestone]]] = field(default_factory=list)
    overdue_total: int = 0
    due_soon: list[Milestone] = field(default_factory=list)
    due_soon_total: int = 0
    awards: AwardMonth | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.changes or self.overdue or self.due_soon)

    @property
    def task_count(self) -> int:
        tasks = {c.task.id for c in self.changes} | {t.id for t, _m in self.overdue}
        return len(tasks | {m.task_id for m in self.due_soon})


def recipients() -> list[User]:
    """Leaders and office staff who have not opted out."""
    return list(db.session.scalars(
        select(User).where(User.role.in_(DIGEST_ROLES), User.active.is_(True),
                           User.digest_opt_out.is_(False)).order_by(User.role, User.username)))


def _scope(user: User) -> ColumnElement[bool]:
    visible = Task.deleted_at.is_(None)
    return visible & (Task.lead_leader_id == user.id) if user.role == LEADER else visible & true()


def _utc(day: date) -> datetime:
    """Midnight of ``day`` in Asia/Shanghai as a naive UTC timestamp, as the tables store."""
    return datetime.combine(day, time(), SHANGHAI).astimezone(UTC).replace(tzinfo=None)


def build(user: User, monday: date) -> Digest:
    digest = Digest(user, week_of(monday), monday)
    scope = _scope(user)
    start, end = monday - timedelta(days=7), monday  # the 7 days before Monday
    start_at, end_at = _utc(start), _utc(end)

    for report in db.session.scalars(
            select(ProgressReport).join(Milestone).join(Task)
            .where(scope, ProgressReport.submitted_on >= start, ProgressReport.submitted_on < end)
            .options(joinedload(ProgressReport.milestone).joinedload(Milestone.task),
                     joinedload(ProgressReport.author))):
        task = report.milestone.task
        digest.changes.append(Change(report.submitted_on, task, _(
            "%(unit)s报送了 %(period)s 进展%(late)s", unit=task.responsible_unit.name,
            period=report.milestone.period,
            late=_("（迟报 %(n)d 个工作日）", n=report.late_workdays)
            if report.late_workdays else "")))
    for report in db.session.scalars(
            select(ProgressReport).join(Milestone).join(Task)
            .where(scope, ProgressReport.reviewed_at >= start_at,
                   ProgressReport.reviewed_at < end_at,
                   ProgressReport.review_status.in_(("accepted", "returned")))
            .options(joinedload(ProgressReport.milestone).joinedload(Milestone.task))):
        verb = _("通过") if report.review_status == "accepted" else _("退回")
        digest.changes.append(Change(report.reviewed_at, report.milestone.task, _(
            "督查室%(verb)s了 %(period)s 进展报告", verb=verb, period=report.milestone.period)))
    for request in db.session.scalars(
            select(TaskRequest).join(Task)
            .where(scope, TaskRequest.kind == "completion", TaskRequest.status == "approved",
                   TaskRequest.decided_at >= start_at, TaskRequest.decided_at < end_at)
            .options(joinedload(TaskRequest.task))):
        digest.changes.append(Change(request.decided_at, request.task, _("已办结")))
    for task in db.session.scalars(
            select(Task).where(scope, Task.status == TaskStatus.SUSPENDED,
                               Task.suspended_on >= start, Task.suspended_on < end)):
        digest.changes.append(Change(task.suspended_on, task, _(
            "暂缓：%(reason)s", reason=task.suspended_reason)))
    for comment in db.session.scalars(
            select(Comment).join(Task)
            .where(scope, Comment.is_instruction.is_(True), Comment.created_at >= start_at,
                   Comment.created_at < end_at)
            .options(joinedload(Comment.task), joinedload(Comment.author))):
        digest.changes.append(Change(comment.created_at, comment.task, _(
            "%(leader)s批示：%(text)s", leader=comment.author.display_name, text=comment.text)))
    digest.changes.sort(key=lambda c: (c.task.code_year, c.task.code_number))

    unreported = Milestone.reported.is_(False)
    open_task = Task.status.in_(TaskStatus.LIVE)
    overdue = db.session.scalars(
        select(Milestone).join(Task)
        .where(scope, open_task, unreported, Milestone.due_date < monday)
        .options(joinedload(Milestone.task).joinedload(Task.responsible_unit))
        .order_by(Milestone.due_date)).all()
    by_task: dict[int, list[Milestone]] = defaultdict(list)
    for milestone in overdue:
        by_task[milestone.task_id].append(milestone)
    ordered = sorted(by_task.values(), key=lambda ms: (CARD_RANK[ms[0].task.card],
                                                       ms[0].due_date))
    digest.overdue_total = len(ordered)
    digest.overdue = [(ms[0].task, ms) for ms in ordered[:SECTION_LIMIT]]

    due_soon = db.session.scalars(
        select(Milestone).join(Task)
        .where(scope, open_task, unreported, Milestone.due_date >= monday,
               Milestone.due_date <= monday + timedelta(days=13))
        .options(joinedload(Milestone.task).joinedload(Task.responsible_unit))
        .order_by(Milestone.due_date)).all()
    digest.due_soon_total = len(due_soon)
    digest.due_soon = due_soon[:SECTION_LIMIT]

    digest.awards = db.session.scalar(
        select(AwardMonth).where(AwardMonth.status == "published")
        .order_by(AwardMonth.month.desc()).limit(1))
    return digest


@dataclass
class Outcome:
    digest: Digest
    notification_id: int | None  # the outbox row made in this run (None: dry run or made before)


def enqueue_week(monday: date, dry_run: bool = False) -> list[Outcome]:
    """One digest per recipient with something to report; the outbox makes it once a week."""
    outcomes = []
    for user in recipients():
        digest = build(user, monday)
        if digest.is_empty or not user.email:
            continue
        made = None
        if not dry_run:
            made = next((row_id for _receiver, row_id in
                         signals.digest_ready.send(user, week=digest.week) if row_id), None)
        outcomes.append(Outcome(digest, made))
    return outcomes
