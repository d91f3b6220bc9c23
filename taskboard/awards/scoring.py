"""How a unit's month is scored, in plain words on the awards page.

For each unit, the milestones of its tasks (as responsible or co-responsible unit) due in the
month, plus earlier ones still overdue at the month's end:
- on time: a report submitted by the due date and accepted;
- late: accepted, but submitted after the due date;
- overdue: nothing reported by the month's end;
- delay: a late report's working days of delay; an overdue milestone's working days from its
  due date to the month's end; on time counts 0. The average is over all the unit's milestones.
score = 100 × (on time + late × late_credit) / due − delay_penalty × average delay.
Units with fewer than ``min_due`` milestones are listed without a rank. Only the tasks
TaskStatus.RANKED names count: never a suspended (暂缓) or cancelled one.
"""
from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import aliased

from taskboard import settings_store
from taskboard.calendar.workdays import WorkCalendar
from taskboard.clock import year_error
from taskboard.errors import ValidationError
from taskboard.extensions import db
from taskboard.tasks.models import (
    CO_RESPONSIBLE,
    REPORTED_STATUSES,
    Milestone,
    ProgressReport,
    Task,
    TaskStatus,
    TaskUnit,
    owed_since_assignment,
)
from taskboard.units.models import Unit

KEY = "awards"
TWO = Decimal("0.01")


@dataclass
class AwardSettings:
    late_credit: float = 0.5
    delay_penalty: float = 2.0
    min_due: int = 2
    snail_threshold: float = 0.8

    def validate(self) -> None:
        errors = {}
        if not 0 <= self.late_credit <= 1:
            errors["late_credit"] = _("迟报折算比例应在 0 到 1 之间。")
        if not 0 <= self.delay_penalty <= 100:
            errors["delay_penalty"] = _("每个工作日扣分应在 0 到 100 之间。")
        if not 1 <= self.min_due <= 100:
            errors["min_due"] = _("参与排名的最少节点数应在 1 到 100 之间。")
        if not 0 < self.snail_threshold <= 1:
            errors["snail_threshold"] = _("蜗牛奖按时率门槛应在 0 到 1 之间。")
        if errors:
            raise ValidationError(errors)

    def words(self) -> str:
        return _("得分 = 100 × (按时数 + 迟报数 × %(credit)s) ÷ 应报数 − %(penalty)s × "
                 "平均延误工作日；应报节点少于 %(min)d 个的单位不参与排名；按时率低于 "
                 "%(threshold)s 的末位单位获“蜗牛奖”，按时率 100%% 的首位单位获“红旗”。",
                 credit=self.late_credit, penalty=self.delay_penalty, min=self.min_due,
                 threshold=self.snail_threshold)


def load_settings() -> AwardSettings:
    return settings_store.load(KEY, AwardSettings)


def requested_month(month: str) -> tuple[date, date]:
    """``month_bounds`` of a month someone asked for: also within the years Taskboard keeps."""
    first, last = month_bounds(month)
    if message := year_error(first.year):
        raise ValidationError({"month": message})
    return first, last


def month_bounds(month: str) -> tuple[date, date]:
    """(first day, last day) of "YYYY-MM"; ValidationError for anything else."""
    try:
        year, number = (int(part) for part in month.split("-"))
        first = date(year, number, 1)
    except (ValueError, TypeError, OverflowError):
        raise ValidationError({"month": _("月份必须是 YYYY-MM 格式。")}) from None
    return first, date(year, number, monthrange(year, number)[1])


@dataclass
class UnitMonth:
    unit_id: int
    due: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    delay_days: int = 0
    rank: int | None = None
    score: Decimal = Decimal(0)
    is_snail: bool = False
    is_red_flag: bool = False
    unit_name: str = ""
    months: list[str] = field(default_factory=list)

    @property
    def on_time_rate(self) -> Decimal:
        if not self.due:
            return Decimal(0)
        return (Decimal(self.on_time) / self.due).quantize(Decimal("0.0001"), ROUND_HALF_UP)

    @property
    def avg_delay_days(self) -> Decimal:
        if not self.due:
            return Decimal(0)
        return (Decimal(self.delay_days) / self.due).quantize(TWO, ROUND_HALF_UP)

    def add(self, other: "UnitMonth") -> None:
        for name in ("due", "on_time", "late", "overdue", "delay_days"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _rows(first: date, last: date):
    """(unit, milestone due date, accepted?, submitted on, late days) for the month's set."""
    accountable = select(Task.id.label("task_id"), Task.responsible_unit_id.label("unit_id"),
                         Task.assigned_on.label("assigned_on")) \
        .where(Task.deleted_at.is_(None), Task.status.in_(TaskStatus.RANKED)) \
        .union_all(select(TaskUnit.task_id, TaskUnit.unit_id, Task.assigned_on)
                   .join(Task, Task.id == TaskUnit.task_id)
                   .where(TaskUnit.role == CO_RESPONSIBLE, Task.deleted_at.is_(None),
                          Task.status.in_(TaskStatus.RANKED))).subquery()
    # The report that counts: the first one submitted by the month's end that was not returned.
    report = aliased(ProgressReport)
    first_report = (select(report.id).where(report.milestone_id == Milestone.id,
                                            report.review_status.in_(REPORTED_STATUSES),
                                            report.submitted_on <= last)
                    .order_by(report.submitted_on, report.id).limit(1).correlate(Milestone)
                    .scalar_subquery())
    counted = aliased(ProgressReport)
    return db.session.execute(
        select(accountable.c.unit_id, Milestone.due_date, counted.review_status,
               counted.submitted_on, counted.late_workdays)
        .join(Milestone, Milestone.task_id == accountable.c.task_id)
        .outerjoin(counted, counted.id == first_report)
        .where(or_(and_(Milestone.due_date >= first, Milestone.due_date <= last),
                   and_(Milestone.due_date < first, counted.id.is_(None))),
               # Months before the task was assigned (交办) are not the unit's to answer for.
               owed_since_assignment(Milestone, accountable.c))
    ).all()


def score_month(month: str, settings: AwardSettings, calendar: WorkCalendar) -> list[UnitMonth]:
    """Every unit with milestones in ``month``, scored and ranked (see the module's words)."""
    first, last = month_bounds(month)
    units: dict[int, UnitMonth] = {}
    delay_to_month_end: dict[date, int] = {}
    for unit_id, due_date, status, submitted_on, late_days in _rows(first, last):
        tally = units.setdefault(unit_id, UnitMonth(unit_id))
        tally.due += 1
        if status is None:
            tally.overdue += 1
            if due_date not in delay_to_month_end:
                delay_to_month_end[due_date] = calendar.workdays_between(due_date, last)
            tally.delay_days += delay_to_month_end[due_date]
        elif status == "accepted" and submitted_on <= due_date:
            tally.on_time += 1
        elif status == "accepted":
            tally.late += 1
            tally.delay_days += late_days
        # A report still awaiting review is neither on time nor late yet: it only counts as due.
    names = dict(db.session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(units))).all())
    for tally in units.values():
        tally.unit_name = names.get(tally.unit_id, "")
    return rank(list(units.values()), settings)


def rank(tallies: list[UnitMonth], settings: AwardSettings) -> list[UnitMonth]:
    """Score, rank (ties share a rank), and name the snail(s) and red flag(s)."""
    credit, penalty = Decimal(str(settings.late_credit)), Decimal(str(settings.delay_penalty))
    for tally in tallies:
        if tally.due:
            share = (tally.on_time + tally.late * credit) / tally.due * 100
            tally.score = (share - penalty * tally.avg_delay_days).quantize(TWO, ROUND_HALF_UP)
    ranked = sorted((t for t in tallies if t.due >= settings.min_due),
                    key=lambda t: (-t.score, t.unit_name))
    for position, tally in enumerate(ranked):
        same_as_before = position and tally.score == ranked[position - 1].score
        tally.rank = ranked[position - 1].rank if same_as_before else position + 1
    if ranked:
        bottom = [t for t in ranked if t.score == ranked[-1].score]
        threshold = Decimal(str(settings.snail_threshold))
        for tally in bottom:
            tally.is_snail = tally.on_time_rate < threshold
        for tally in ranked:
            tally.is_red_flag = tally.rank == 1 and tally.on_time_rate == 1
    unranked = sorted((t for t in tallies if t.due < settings.min_due), key=lambda t: t.unit_name)
    return [*ranked, *unranked]
