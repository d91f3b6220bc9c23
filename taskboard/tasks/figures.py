"""Where a task stands against its targets: plan to date, actual, share of the target."""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .models import Target, Task


@dataclass(frozen=True)
class TargetFigures:
    target: Target
    planned: Decimal | None  # the plan of the latest milestone due by today
    actual: Decimal | None  # the latest figure of a report that counts (pending or accepted)
    reported_period: str | None

    @property
    def percent(self) -> Decimal | None:
        """Actual as a share of the target, in whole per cent; None when either is unknown."""
        goal = self.target.target_value
        if self.actual is None or not goal:
            return None
        return (self.actual * 100 / goal).quantize(Decimal(1))


def target_figures(task: Task, today: date) -> list[TargetFigures]:
    """One row per target; reads the task's loaded milestones, reports and values."""
    milestones = sorted(task.milestones, key=lambda m: m.period)
    due = [m for m in milestones if m.due_date <= today]
    counted = [(m.period, m.current_report) for m in milestones if m.current_report is not None]
    rows = []
    for target in task.targets:
        planned = due[-1].planned_value_for(target.id) if due else None
        actual, period = next(
            ((report.value_for(target.id), period) for period, report in reversed(counted)
             if report.value_for(target.id) is not None), (None, None))
        rows.append(TargetFigures(target, planned, actual, period))
    return rows
