"""Derived columns (milestones.reported / reported_on, tasks.behind_points) are kept by one
flush hook, whoever writes; the bulk demo load keeps them by the same module's SQL."""
from datetime import date
from decimal import Decimal

import pytest
from conftest import make_task, make_unit, make_user
from sqlalchemy import select

from taskboard.calendar.workdays import WorkCalendar
from taskboard.demo import loader
from taskboard.extensions import commit, db
from taskboard.tasks import derived
from taskboard.tasks.models import Milestone, ProgressReport, Task
from taskboard.tasks.services import TargetData
from taskboard.tasks.workflow import review_report, submit_report

CALENDAR = WorkCalendar()


@pytest.fixture
def desk(app):
    unit = make_unit()
    reporter = make_user("reporter", "reporter", unit)
    office = make_user("office", "office")
    task = make_task(unit, start=date(2022, 1, 1), due=date(2022, 6, 30), targets=[
        TargetData(metric="新签约项目", value=Decimal(60), measure_unit="个")])
    return task, reporter, office


def _submit(task, reporter, period: str, value: str, day: date) -> ProgressReport:
    milestone = next(m for m in task.milestones if m.period == period)
    report = submit_report(milestone, reporter, text="报告", files=[], today=day,
                           values={task.targets[0].id: Decimal(value)}, calendar=CALENDAR)
    commit()
    return report


def _state(task: Task) -> tuple:
    db.session.expire_all()
    return ([(m.period, m.reported, m.reported_on) for m in task.milestones if m.reported],
            task.behind_points)


def test_submitted_accepted_returned_and_deleted_reports(desk):
    task, reporter, office = desk
    january = _submit(task, reporter, "2022-01", "10", date(2022, 1, 28))
    # Planned 10 of 60 in January: on plan.
    assert _state(task) == ([("2022-01", True, date(2022, 1, 28))], Decimal("0.00"))

    review_report(january, office, accept=True, comment="")
    commit()
    february = _submit(task, reporter, "2022-02", "11", date(2022, 3, 1))
    assert _state(task) == ([("2022-01", True, date(2022, 1, 28)),
                             ("2022-02", True, date(2022, 3, 1))], Decimal("15.00"))

    review_report(february, office, accept=False, comment="请补充数据")
    commit()
    # A returned report does not count: January is the latest reported month again.
    assert _state(task) == ([("2022-01", True, date(2022, 1, 28))], Decimal("0.00"))

    db.session.delete(db.session.get(ProgressReport, january.id))
    commit()
    assert _state(task) == ([], None)


def test_a_report_added_without_the_workflow(desk):
    task, reporter, _office = desk
    milestone = task.milestones[2]
    db.session.add(ProgressReport(milestone=milestone, author=reporter, text="直接写入",
                                  submitted_on=date(2022, 4, 2), behind_points=Decimal("12.5")))
    commit()
    assert _state(task) == ([("2022-03", True, date(2022, 4, 2))], Decimal("12.50"))


def _derived_columns() -> tuple[list, list]:
    db.session.expire_all()
    milestones = db.session.execute(select(
        Milestone.id, Milestone.reported, Milestone.reported_on).order_by(Milestone.id)).all()
    tasks = db.session.execute(select(Task.id, Task.behind_points).order_by(Task.id)).all()
    return [tuple(row) for row in milestones], [tuple(row) for row in tasks]


def test_the_demo_data_has_right_derived_columns(app):
    """The speech demo (ORM, the hook) agrees with the SQL rule; the synthetic set (SQL)
    agrees with the hook's rule applied to its objects."""
    loader.load_demo(year=2022, password="demo-password-1", today=date(2022, 6, 15))
    loaded = _derived_columns()
    assert any(reported for _id, reported, _on in loaded[0])
    assert any(behind is not None for _id, behind in loaded[1])
    derived.recompute(db.session.scalars(select(Task.id)))
    assert _derived_columns() == loaded
    db.session.rollback()

    loader.load_synthetic(year=2022, unit_count=3, task_count=12, password="demo-password-1",
                          today=date(2022, 6, 15))
    loaded = _derived_columns()
    for task in db.session.scalars(select(Task)):
        derived.refresh(task)
    assert not [obj for obj in db.session.dirty if db.session.is_modified(obj)]
    assert _derived_columns() == loaded
