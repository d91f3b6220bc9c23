"""细化到月: a task's monthly milestones and each month's planned value per target."""
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from taskboard.calendar.workdays import WorkCalendar

from .models import Milestone, PlannedValue, Target, Task

CENT = Decimal("0.01")


@dataclass(frozen=True)
class MonthSlot:
    period: str  # YYYY-MM
    due_date: date


def month_slots(start: date, due: date, calendar: WorkCalendar) -> list[MonthSlot]:
    """One slot per month from ``start`` to ``due``, due on the month's last working day.

    The last slot is due no later than the task itself, and never before the task starts.
    """
    slots = []
    year, month = start.year, start.month
    while (year, month) <= (due.year, due.month):
        slot_due = min(calendar.last_workday_of_month(year, month), due)
        slots.append(MonthSlot(f"{year:04d}-{month:02d}", max(slot_due, start)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return slots


def planned_values(target: Target, months: int) -> list[Decimal | None]:
    """The plan for each of ``months`` months.

    Cumulative targets (counts, amounts) grow evenly to the target — 60 over 12 months gives
    5, 10, 15 … 60; rates and growth percentages are planned at their final value every month.
    A masked target (no value) has no plan.
    """
    goal = target.target_value
    if goal is None:
        return [None] * months
    if not target.cumulative:
        return [goal] * months
    base = target.baseline or Decimal(0)
    plan = [
        (base + (goal - base) * step / months).quantize(CENT, rounding=ROUND_HALF_UP)
        for step in range(1, months)
    ]
    return [*plan, goal]


def sync_milestones(task: Task, calendar: WorkCalendar, today: date) -> None:
    """Make the task's milestones match its dates.

    Past milestones and those with reports stay as they are (history is never rewritten);
    open future ones move or go; missing months are added. The planned values of the open future
    milestones are recomputed from the targets.
    """
    slots = month_slots(task.start_date, task.due_date, calendar)
    by_period = {m.period: m for m in task.milestones}
    wanted = {slot.period for slot in slots}

    def is_open_future(milestone: Milestone) -> bool:
        return milestone.due_date >= today and not milestone.reports

    for milestone in list(task.milestones):
        if milestone.period not in wanted and is_open_future(milestone):
            task.milestones.remove(milestone)
    for position, slot in enumerate(slots):
        milestone = by_period.get(slot.period)
        if milestone is None:
            milestone = Milestone(period=slot.period, due_date=slot.due_date)
            task.milestones.append(milestone)
        elif not is_open_future(milestone):
            continue
        milestone.due_date = slot.due_date
        _plan(milestone, task.targets, position, len(slots))


def _plan(milestone: Milestone, targets: list[Target], position: int, months: int) -> None:
    current = {pv.target_id: pv for pv in milestone.planned_values}
    for target in targets:
        value = planned_values(target, months)[position]
        planned = current.get(target.id)
        if planned is None:
            milestone.planned_values.append(PlannedValue(target_id=target.id, planned_value=value))
        elif planned.planned_value != value:
            planned.planned_value = value
