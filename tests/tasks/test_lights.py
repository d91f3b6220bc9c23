"""Traffic lights at their boundaries, computed on the objects and in SQL alike."""
from datetime import date
from decimal import Decimal

import pytest
from conftest import make_task, make_unit, make_user
from sqlalchemy import select

from taskboard.auth.models import User
from taskboard.calendar.workdays import WorkCalendar
from taskboard.extensions import db
from taskboard.tasks.models import Milestone
from taskboard.tasks.queries import AsOf, task_lights
from taskboard.tasks.services import TargetData
from taskboard.tasks.workflow import acknowledge, review_report, submit_report

CALENDAR = WorkCalendar()


def _lights(task, today: date) -> tuple[str | None, str | None]:
    """(light on the objects, light in SQL) of ``task`` as of ``today``."""
    horizon = CALENDAR.soon_horizon(today)
    db.session.expire_all()
    return task.light(today, horizon), task_lights([task.id], AsOf(today, horizon))[task.id]


@pytest.fixture
def task(app):
    unit = make_unit()
    make_user("reporter", "reporter", unit)
    # One milestone, due Thu 29 Sep 2022, just before the National Day holiday.
    return make_task(unit, start=date(2022, 9, 1), due=date(2022, 9, 29), targets=[
        TargetData(metric="新签约项目", value=Decimal(60), measure_unit="个")])


def test_the_due_soon_window_counts_working_days_and_the_due_day():
    assert CALENDAR.soon_horizon(date(2022, 9, 26)) == date(2022, 9, 28)  # Mon → Wed
    assert CALENDAR.soon_horizon(date(2022, 9, 24)) == date(2022, 9, 28)  # Sat → Wed
    # Over National Day: Fri 30 Sep, then Sat 8 and Sun 9 Oct were working days.
    assert CALENDAR.soon_horizon(date(2022, 9, 30)) == date(2022, 10, 9)


@pytest.mark.parametrize(("today", "light"), [
    (date(2022, 9, 23), "green"),   # due in 4 working days
    (date(2022, 9, 27), "yellow"),  # Tue: Tue, Wed, Thu — the due day is the third
    (date(2022, 9, 28), "yellow"),  # the day before
    (date(2022, 9, 29), "yellow"),  # on the due day
    (date(2022, 9, 30), "red"),     # the day after, not reported
    (date(2022, 10, 7), "red"),     # through the holiday
])
def test_an_unreported_milestone_around_its_due_date(task, today, light):
    assert _lights(task, today) == (light, light)


def _report(task, value: str, today: date):
    reporter = db.session.scalar(select(User).where(User.username == "reporter"))
    milestone = task.milestones[-1]
    report = submit_report(milestone, reporter, text="报告", today=today, files=[],
                           values={task.targets[0].id: Decimal(value)}, calendar=CALENDAR)
    db.session.commit()
    return report


@pytest.mark.parametrize(("actual", "light"), [
    ("60", "green"), ("55", "green"),      # 8.3 points behind
    ("54", "yellow"), ("42", "yellow"),    # 10 and 30 points behind
    ("41", "red"),                         # 31.7 points behind
])
def test_figures_behind_plan(task, actual, light):
    _report(task, actual, date(2022, 9, 20))
    assert _lights(task, date(2022, 9, 21)) == (light, light)


def test_a_returned_report_counts_as_not_reported(task):
    report = _report(task, "60", date(2022, 9, 28))
    assert _lights(task, date(2022, 10, 10)) == ("green", "green")
    office = make_user("office", "office")
    review_report(report, office, accept=False, comment="数据有误")
    db.session.commit()
    assert _lights(task, date(2022, 10, 10)) == ("red", "red")


def test_a_target_to_stay_below(app):
    unit = make_unit()
    make_user("reporter", "reporter", unit)
    task = make_task(unit, start=date(2022, 9, 1), due=date(2022, 9, 29), targets=[
        TargetData(metric="审批时限", comparator="<=", value=Decimal(10),
                   measure_unit="工作日", cumulative=False)])
    _report(task, "12", date(2022, 9, 20))  # 20 points over a "<=" target: behind
    assert _lights(task, date(2022, 9, 21)) == ("yellow", "yellow")


def test_done_tasks_have_no_light(task):
    reporter = db.session.scalar(select(User).where(User.username == "reporter"))
    acknowledge(task, reporter)
    task.status = "done"
    db.session.commit()
    assert _lights(task, date(2022, 10, 10)) == (None, None)


def test_the_list_filters_by_light(client, app, task):
    make_user("office", "office")
    client.login("office")
    app.config["TODAY"] = "2022-09-30"
    assert task.title in client.get("/tasks/?light=red").get_data(as_text=True)
    assert task.title not in client.get("/tasks/?light=green").get_data(as_text=True)
    page = client.get("/tasks/").get_data(as_text=True)
    assert "逾期" in page
    assert db.session.get(Milestone, task.milestones[0].id).is_overdue(date(2022, 9, 30))
