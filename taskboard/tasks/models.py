from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    or_,
)
from sqlalchemy import (
    text as sql_text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from taskboard.clock import now
from taskboard.extensions import db

if TYPE_CHECKING:
    from taskboard.auth.models import User
    from taskboard.meetings.models import Meeting
    from taskboard.units.models import Unit


class TaskStatus(StrEnum):
    """A task's status: 立项 → 交办 → 办理 → 申请办结 → 办结, 暂缓 on the side, 撤销 as an exit.

    The values are what the column stores. Queries and templates ask the named sets below,
    never a list of their own: which tasks are live, closed, or ranked is decided here only.
    """

    DRAFT = "draft"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    COMPLETION_REQUESTED = "completion_requested"
    DONE = "done"
    SUSPENDED = "suspended"
    CANCELLED = "cancelled"

    # Live: being worked. Only these have a light, are reminded and escalated by the sweep,
    # stand on the unit's desk and in the digest's overdue list, and may be suspended.
    LIVE: ClassVar[frozenset["TaskStatus"]]
    # Closed: finished one way or the other; nothing more is done on them.
    CLOSED: ClassVar[frozenset["TaskStatus"]]
    # Ranked: what the month's ranking (红旗 / 蜗牛奖) and the units' tallies count — the live
    # tasks and the finished ones; never a suspended (暂缓) or cancelled one.
    RANKED: ClassVar[frozenset["TaskStatus"]]


TaskStatus.LIVE = frozenset(
    {TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS, TaskStatus.COMPLETION_REQUESTED})
TaskStatus.CLOSED = frozenset({TaskStatus.DONE, TaskStatus.CANCELLED})
TaskStatus.RANKED = TaskStatus.LIVE | {TaskStatus.DONE}

# The one table of the moves a workflow step may make; every change of Task.status is checked
# against it (taskboard.tasks.workflow.transition). 交办 re-assigns (an upheld 异议 sends the
# task to another unit); 办结 follows a completion request only; 暂缓 stops a live task and
# 恢复办理 returns it to the status it had.
TRANSITIONS: dict[TaskStatus, frozenset[TaskStatus]] = {
    TaskStatus.DRAFT: frozenset({TaskStatus.ASSIGNED}),
    TaskStatus.ASSIGNED: frozenset({TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS,
                                    TaskStatus.COMPLETION_REQUESTED, TaskStatus.SUSPENDED}),
    TaskStatus.IN_PROGRESS: frozenset({TaskStatus.ASSIGNED, TaskStatus.COMPLETION_REQUESTED,
                                       TaskStatus.SUSPENDED}),
    TaskStatus.COMPLETION_REQUESTED: frozenset({TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS,
                                                TaskStatus.DONE, TaskStatus.SUSPENDED}),
    TaskStatus.SUSPENDED: TaskStatus.LIVE,
    TaskStatus.DONE: frozenset(),
    TaskStatus.CANCELLED: frozenset(),
}
# The stored values in a fixed order, for the CHECK constraint and the API's enum.
TASK_STATUSES = tuple(status.value for status in TaskStatus)
# A suspended task knows the live status it returns to; any other task has none.
SUSPENDED_FROM_CHECK = (
    f"(status = '{TaskStatus.SUSPENDED}' AND suspended_from IN "
    f"{tuple(sorted(status.value for status in TaskStatus.LIVE))!r}) "
    f"OR (status != '{TaskStatus.SUSPENDED}' AND suspended_from IS NULL)")
TASK_LEVELS = ("normal", "key", "listed")  # 一般 / 重点 / 挂牌督办
CARDS = ("none", "blue", "yellow", "red")  # 督办单, raised by the follow-up loop
COMPARATORS = (">=", ">", "<=", "<", "=")
REVIEW_STATUSES = ("pending", "accepted", "returned")
# A milestone counts as reported while its report waits for review or was accepted.
REPORTED_STATUSES = ("pending", "accepted")
REQUEST_KINDS = ("objection", "extension", "completion")  # 异议 / 申请延期 / 申请办结
REQUEST_STATUSES = ("pending", "approved", "rejected")
LIGHTS = ("green", "yellow", "red")
# Points behind plan that turn a light yellow, and red beyond the second.
YELLOW_BEHIND, RED_BEHIND = Decimal(10), Decimal(30)
CO_RESPONSIBLE, COOPERATING = "co_responsible", "cooperating"
# Measure units of things counted one by one: planned in whole numbers, never negative.
COUNT_UNITS = frozenset((
    "个", "家", "户", "项", "件", "人", "所", "座", "场", "次", "份", "台", "套", "栋", "条", "篇",
    "批", "辆", "株", "间", "处", "名", "位", "期", "本", "宗", "只", "张", "部", "架", "艘", "棵",
    "块", "家次", "人次", "场次", "个次"))

# Values up to 99,999,999,999,999.9999: enough for 亿元 amounts written in 元. A figure as
# large as AMOUNT_LIMIT does not fit (PostgreSQL refuses it; tasks/schemas.py says so first).
Amount = Numeric(18, 4)
AMOUNT_LIMIT = Decimal(10) ** 14
# How far behind plan a month is, in points of the target: beyond ±POINTS_LIMIT is as far
# behind (or ahead) as it gets, so the figure is clamped rather than refused by the column.
Points = Numeric(9, 2)
POINTS_LIMIT = Decimal("9999999.99")


class TaskUnit(db.Model):
    """A unit sharing a task: co-responsible (共同负责) or cooperating (配合/参与)."""

    __tablename__ = "task_units"

    task_id: Mapped[int] = mapped_column(
        ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True
    )
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(20))

    unit: Mapped["Unit"] = relationship()

    __table_args__ = (
        CheckConstraint(f"role IN ('{CO_RESPONSIBLE}', '{COOPERATING}')", name="role"),
    )


class Task(db.Model):
    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    # DB-2022-001: year and number kept apart so that numbering grows past 999 and sorts right.
    code: Mapped[str] = mapped_column(String(20), unique=True)
    code_year: Mapped[int] = mapped_column(Integer)
    code_number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"), index=True)
    source_excerpt: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(100), default="", index=True)
    # The lead leader is a user when they have an account; otherwise only the name as spoken
    # (a masked "**" included), so that no task waits for an account to be created.
    lead_leader_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    lead_leader_name: Mapped[str] = mapped_column(String(64), default="")
    responsible_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    # "其他相关部门参与" names no unit: a flag, not a row in task_units.
    other_departments_participate: Mapped[bool] = mapped_column(Boolean, default=False)
    # Cooperating bodies named in a speech that are not (yet) units of the system.
    cooperating_names: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")
    responsible_person: Mapped[str] = mapped_column(String(64), default="")
    start_date: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date] = mapped_column(Date, index=True)
    level: Mapped[str] = mapped_column(String(10), default="normal", index=True)
    card: Mapped[str] = mapped_column(String(10), default="none")
    status: Mapped[str] = mapped_column(String(24), default=TaskStatus.DRAFT, index=True)
    # 暂缓: the live status to return to on 恢复办理, why the office suspended it, and since when.
    suspended_from: Mapped[str | None] = mapped_column(String(24))
    suspended_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    suspended_on: Mapped[date | None] = mapped_column(Date)
    # 交办 and 签收: when the task reached its unit, and who acknowledged it.
    assigned_on: Mapped[date | None] = mapped_column(Date)
    # The day the task was done or cancelled (办结 / 撤销), None while open: the status as of
    # an earlier day. Kept by taskboard.tasks.derived on every flush; only a loader writing
    # history gives the day itself.
    closed_on: Mapped[date | None] = mapped_column(Date)
    # Kept by taskboard.tasks.derived so that lists compute lights from columns:
    # how far the latest reported month is behind plan, in points of the target.
    behind_points: Mapped[Decimal | None] = mapped_column(Points)
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime)
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=now, onupdate=now)

    meeting: Mapped["Meeting | None"] = relationship()
    lead_leader: Mapped["User | None"] = relationship(foreign_keys=[lead_leader_id])
    acknowledged_by: Mapped["User | None"] = relationship(foreign_keys=[acknowledged_by_id])
    responsible_unit: Mapped["Unit"] = relationship()
    shared_units: Mapped[list[TaskUnit]] = relationship(
        cascade="all, delete-orphan", order_by="TaskUnit.unit_id"
    )
    targets: Mapped[list["Target"]] = relationship(
        back_populates="task", cascade="all, delete-orphan", order_by="Target.position"
    )
    milestones: Mapped[list["Milestone"]] = relationship(
        back_populates="task", cascade="all, delete-orphan", order_by="Milestone.period"
    )
    comments: Mapped[list["Comment"]] = relationship(
        back_populates="task", cascade="all, delete-orphan", order_by="Comment.created_at"
    )
    requests: Mapped[list["TaskRequest"]] = relationship(
        back_populates="task", cascade="all, delete-orphan", order_by="TaskRequest.requested_at"
    )

    __table_args__ = (
        UniqueConstraint("code_year", "code_number", name="uq_tasks_code_year_number"),
        CheckConstraint("due_date >= start_date", name="dates_in_order"),
        CheckConstraint(f"status IN {TASK_STATUSES!r}", name="status"),
        CheckConstraint(SUSPENDED_FROM_CHECK, name="suspended_from"),
        CheckConstraint(f"level IN {TASK_LEVELS!r}", name="level"),
        CheckConstraint(f"card IN {CARDS!r}", name="card"),
    )

    @property
    def lead_name(self) -> str:
        return self.lead_leader.display_name if self.lead_leader else self.lead_leader_name

    def units_in(self, role: str) -> list["Unit"]:
        return [link.unit for link in self.shared_units if link.role == role]

    @property
    def co_responsible_units(self) -> list["Unit"]:
        return self.units_in(CO_RESPONSIBLE)

    @property
    def cooperating_units(self) -> list["Unit"]:
        return self.units_in(COOPERATING)

    @property
    def accountable_unit_ids(self) -> set[int]:
        """Units that report on the task: the responsible one and the co-responsible ones."""
        return {self.responsible_unit_id} | {u.id for u in self.co_responsible_units}

    @property
    def involved_unit_ids(self) -> set[int]:
        return {self.responsible_unit_id} | {link.unit_id for link in self.shared_units}

    @property
    def is_live(self) -> bool:
        return self.status in TaskStatus.LIVE

    @property
    def is_closed(self) -> bool:
        return self.status in TaskStatus.CLOSED

    @property
    def is_suspended(self) -> bool:
        return self.status == TaskStatus.SUSPENDED

    def is_overdue(self, today: date) -> bool:
        return self.is_live and today > self.due_date

    @property
    def awaits_acknowledgement(self) -> bool:
        return self.status == TaskStatus.ASSIGNED and self.acknowledged_at is None

    def pending_request(self, kind: str) -> "TaskRequest | None":
        return next((r for r in self.requests if r.kind == kind and r.status == "pending"), None)

    def light(self, today: date, horizon: date) -> str | None:
        """The worst light of the milestones that matter now.

        Those are the milestones not reported yet (overdue: red; due by ``horizon``: yellow)
        and the latest reported one, whose figures say whether the task is behind plan.
        Only live tasks have a light: not done, cancelled or suspended (暂缓) ones.
        """
        if not self.is_live:
            return None
        reported = [m for m in self.milestones if m.current_report is not None]
        relevant = [m for m in self.milestones if m.current_report is None and m.is_owed]
        if reported:
            relevant.append(max(reported, key=lambda m: m.due_date))
        return worst(m.light(today, horizon) for m in relevant)


class CodeCounter(db.Model):
    """The last number given out in a series of codes ("task-2022", "unit").

    Taken with one UPDATE … RETURNING, so two people confirming at once wait for each other on
    the row instead of both reading the same max + 1.
    """

    __tablename__ = "code_counters"

    series: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class Target(db.Model):
    """A quantitative target: "新签约亿元以上产业项目不少于60个" is (metric, >=, 60, 个)."""

    __tablename__ = "targets"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    metric: Mapped[str] = mapped_column(String(200))
    comparator: Mapped[str] = mapped_column(String(2), default=">=")
    # Null when the speech masks the figure ("增长**％以上"): unknown, never zero.
    target_value: Mapped[Decimal | None] = mapped_column(Amount)
    measure_unit: Mapped[str] = mapped_column(String(20), default="")
    # Counts and amounts accumulate month by month; rates and growth percentages do not.
    cumulative: Mapped[bool] = mapped_column(Boolean, default=True)
    baseline: Mapped[Decimal | None] = mapped_column(Amount)

    task: Mapped[Task] = relationship(back_populates="targets")

    __table_args__ = (CheckConstraint(f"comparator IN {COMPARATORS!r}", name="comparator"),)

    @property
    def is_count(self) -> bool:
        return (self.measure_unit or "").strip() in COUNT_UNITS

    @property
    def may_be_negative(self) -> bool:
        """Only rates and growth may fall below zero; counts and amounts cannot."""
        return not self.cumulative and not self.is_count


class Milestone(db.Model):
    """One month of a task's plan (细化到月)."""

    __tablename__ = "milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Indexed by the unique (task_id, period) and the two indexes below, all led by task_id.
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    due_date: Mapped[date] = mapped_column(Date, index=True)
    planned_work: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default="open")
    # True while a report waits for review or was accepted (kept by tasks.derived), so that
    # "overdue" is an indexed column test instead of a subquery per milestone.
    reported: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # When the report that counts was submitted: with status "done" (accepted) it tells an
    # on-time month from a late one without reading the reports.
    reported_on: Mapped[date | None] = mapped_column(Date)

    task: Mapped[Task] = relationship(back_populates="milestones")
    planned_values: Mapped[list["PlannedValue"]] = relationship(
        cascade="all, delete-orphan", order_by="PlannedValue.target_id"
    )
    reports: Mapped[list["ProgressReport"]] = relationship(
        back_populates="milestone", cascade="all, delete-orphan",
        order_by="ProgressReport.submitted_at",
    )

    __table_args__ = (
        UniqueConstraint("task_id", "period", name="uq_milestones_task_period"),
        Index("ix_milestones_due_status", "due_date", "status"),
        Index("ix_milestones_open", "task_id", "reported", "due_date"),
        # Covers the per-unit figures of the dashboard without reading the table.
        Index("ix_milestones_progress", "task_id", "due_date", "reported", "status",
              "reported_on"),
    )

    @property
    def current_report(self) -> "ProgressReport | None":
        """The latest report that counts: pending review or accepted (returned ones do not)."""
        counting = [r for r in self.reports if r.review_status in REPORTED_STATUSES]
        return max(counting, key=lambda r: r.submitted_at) if counting else None

    @property
    def latest_report(self) -> "ProgressReport | None":
        return max(self.reports, key=lambda r: r.submitted_at) if self.reports else None

    @property
    def is_owed(self) -> bool:
        """Due on or after the task's assignment; the SQL twin is owed_since_assignment."""
        return self.task.assigned_on is None or self.due_date >= self.task.assigned_on

    def is_overdue(self, today: date) -> bool:
        return today > self.due_date and self.current_report is None and self.is_owed

    def light(self, today: date, horizon: date) -> str | None:
        """红 overdue or far behind plan; 黄 due by ``horizon`` or somewhat behind; else 绿."""
        if not self.task.is_live:
            return None
        report = self.current_report
        if report is None and not self.is_owed:
            return None  # plan only: the month passed before the task was assigned
        behind = report.behind_points if report is not None else None
        if report is None and today > self.due_date:
            return "red"
        if behind is not None and behind > RED_BEHIND:
            return "red"
        if report is None and self.due_date <= horizon:
            return "yellow"
        if behind is not None and behind >= YELLOW_BEHIND:
            return "yellow"
        return "green"

    def is_final(self) -> bool:
        return self.period == max(m.period for m in self.task.milestones)

    def planned_value_for(self, target_id: int) -> Decimal | None:
        for planned in self.planned_values:
            if planned.target_id == target_id:
                return planned.planned_value
        return None


class PlannedValue(db.Model):
    __tablename__ = "planned_values"

    milestone_id: Mapped[int] = mapped_column(
        ForeignKey("milestones.id", ondelete="CASCADE"), primary_key=True
    )
    target_id: Mapped[int] = mapped_column(
        ForeignKey("targets.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    planned_value: Mapped[Decimal | None] = mapped_column(Amount)


class ProgressReport(db.Model):
    __tablename__ = "progress_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int] = mapped_column(
        ForeignKey("milestones.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    # The day in Asia/Shanghai (or the rehearsed day) the report counts as submitted on.
    submitted_on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    # No index: three values only, and SQLite would prefer it to the selective ones.
    review_status: Mapped[str] = mapped_column(String(10), default="pending")
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime)
    review_comment: Mapped[str] = mapped_column(Text, default="")
    # Working days after the milestone's due date (0 when on time), fixed at submission.
    late_workdays: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # How far the figures are behind plan, in points of the target (negative: ahead); null
    # when no target gives a value-based light. Fixed at submission, read by list pages in SQL.
    behind_points: Mapped[Decimal | None] = mapped_column(Points)

    milestone: Mapped[Milestone] = relationship(back_populates="reports")
    author: Mapped["User"] = relationship(foreign_keys=[author_id])
    reviewer: Mapped["User | None"] = relationship(foreign_keys=[reviewer_id])
    values: Mapped[list["ReportValue"]] = relationship(cascade="all, delete-orphan")
    attachments: Mapped[list["Attachment"]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="Attachment.id"
    )

    __table_args__ = (
        CheckConstraint(f"review_status IN {REVIEW_STATUSES!r}", name="review_status"),
        # One report waiting for review per month, even when two are submitted at once.
        Index("uq_progress_reports_pending", "milestone_id", unique=True,
              postgresql_where=sql_text("review_status = 'pending'"),
              sqlite_where=sql_text("review_status = 'pending'")),
    )

    def is_late(self) -> bool:
        return self.submitted_on > self.milestone.due_date

    def value_for(self, target_id: int) -> Decimal | None:
        return next((v.actual_value for v in self.values if v.target_id == target_id), None)


class Attachment(db.Model):
    """Evidence for a report (PDF, images, Office files), kept in the database with it."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("progress_reports.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)

    report: Mapped[ProgressReport] = relationship(back_populates="attachments")


class TaskRequest(db.Model):
    """A unit's 异议, 申请延期 or 申请办结, and the office's decision on it."""

    __tablename__ = "task_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    reason: Mapped[str] = mapped_column(Text)
    requested_due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    decision_comment: Mapped[str] = mapped_column(Text, default="")

    task: Mapped[Task] = relationship(back_populates="requests")
    requested_by: Mapped["User"] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped["User | None"] = relationship(foreign_keys=[decided_by_id])

    __table_args__ = (
        CheckConstraint(f"kind IN {REQUEST_KINDS!r}", name="kind"),
        CheckConstraint(f"status IN {REQUEST_STATUSES!r}", name="status"),
    )


def owed_since_assignment(milestone=Milestone, task=Task):
    """SQL: the milestone falls due on or after its task was assigned (交办).

    A start chosen earlier than the day of assignment keeps the earlier months as plan only:
    nobody is reminded of them and they do not count in a month's ranking.
    """
    return or_(task.assigned_on.is_(None), milestone.due_date >= task.assigned_on)


def worst(lights) -> str | None:
    """The worst of some lights (None counts as no light)."""
    ranked = [light for light in lights if light is not None]
    return max(ranked, key=LIGHTS.index) if ranked else None


class ReportValue(db.Model):
    """The actual value of one target in a report (cumulative targets: the total so far)."""

    __tablename__ = "report_values"

    report_id: Mapped[int] = mapped_column(
        ForeignKey("progress_reports.id", ondelete="CASCADE"), primary_key=True
    )
    target_id: Mapped[int] = mapped_column(
        ForeignKey("targets.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    actual_value: Mapped[Decimal] = mapped_column(Amount)


class Comment(db.Model):
    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    # A leader's comment is a 批示: shown highlighted at the top of the task.
    is_instruction: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)

    task: Mapped[Task] = relationship(back_populates="comments")
    author: Mapped["User"] = relationship()


class AuditLog(db.Model):
    """Written by taskboard.tasks.audit in the same flush as the change it records."""

    __tablename__ = "audit_logs"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(20))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int] = mapped_column(Integer)
    # The task the entity belongs to, so that a task's history is one indexed query.
    task_id: Mapped[int | None] = mapped_column(Integer, index=True)
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)

    actor: Mapped["User | None"] = relationship()

    __table_args__ = (Index("ix_audit_logs_entity", "entity", "entity_id"),)
