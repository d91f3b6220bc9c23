"""细化到月: a task's monthly milestones and each month's planned value per target."""
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

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


def rise(base: Decimal, end: Decimal, months: int, whole: bool) -> list[Decimal]:
    """Even steps from ``base`` (excluded) to ``end`` (the last of ``months`` values).

    Whole-number plans (counts) are rounded down, so no month asks for more than its share and
    the last month is exactly ``end``.
    """
    steps = []
    for step in range(1, months):
        value = base + (end - base) * step / months
        steps.append(value.to_integral_value(ROUND_FLOOR) if whole
                     else value.quantize(CENT, rounding=ROUND_HALF_UP))
    return [*steps, end] if months else []


def planned_values(target: Target, months: int) -> list[Decimal | None]:
    """The plan for each of ``months`` months.

    Cumulative targets (counts, amounts) grow evenly to the target — 60 over 12 months gives
    5, 10, 15 … 60; counts in whole numbers; rates and growth percentages are planned at their
    final value every month. A masked target (no value) has no plan.
    """
    goal = target.target_value
    if goal is None:
        return [None] * months
    if not target.cumulative:
        return [goal] * months
    return rise(target.baseline or Decimal(0), goal, months, target.is_count)


def replan(target: Target, current: list[Decimal | None], fixed: list[bool]
           ) -> list[Decimal | None]:
    """New plans for the months not ``fixed``, the fixed ones kept as they are.

    A run of open months rises from the plan of the fixed month before it (or the baseline) to
    the plan of the fixed month after it, or to the target when the run ends the task: an
    extension spreads what is left over the months added, so a cumulative plan never goes down.
    """
    goal = target.target_value
    if goal is None or not target.cumulative:
        return [value if keep else (None if goal is None else goal)
                for value, keep in zip(current, fixed, strict=True)]
    plan = list(current)
    base = target.baseline or Decimal(0)
    index = 0
    while index < len(plan):
        if fixed[index]:
            base = plan[index] if plan[index] is not None else base
            index += 1
            continue
        end = index
        while end < len(plan) and not fixed[end]:
            end += 1
        if end < len(plan) and plan[end] is not None:  # rise to the next kept month's plan
            plan[index:end] = rise(base, plan[end], end - index + 1, target.is_count)[:-1]
        else:
            plan[index:end] = rise(base, goal, end - index, target.is_count)
        index = end
    return plan


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
    ordered = []
    for slot in slots:
        milestone = by_period.get(slot.period)
        if milestone is None:
            milestone = Milestone(period=slot.period, due_date=slot.due_date)
            task.milestones.append(milestone)
        elif is_open_future(milestone):
            milestone.due_date = slot.due_date
        ordered.append(milestone)
    fixed = [milestone.id is not None and not is_open_future(milestone) for milestone in ordered]
    for target in task.targets:
        current = [m.planned_value_for(target.id) for m in ordered]
        for milestone, keep, value in zip(ordered, fixed, replan(target, current, fixed),
                                          strict=True):
            if not keep:
                _set_plan(milestone, target.id, value)


def _set_plan(milestone: Milestone, target_id: int, value: Decimal | None) -> None:
    planned = next((pv for pv in milestone.planned_values if pv.target_id == target_id), None)
    if planned is None:
        milestone.planned_values.append(PlannedValue(target_id=target_id, planned_value=value))
    elif planned.planned_value != value:
        planned.planned_value = value
