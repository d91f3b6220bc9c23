"""细化到月: milestone dates across holidays, 调休 weekends and years without calendar data."""
from datetime import date
from decimal import Decimal

from conftest import make_task, make_unit

from taskboard.calendar.models import CalendarDay
from taskboard.calendar.workdays import WorkCalendar, package_covers
from taskboard.extensions import db
from taskboard.tasks.milestones import month_slots, planned_values
from taskboard.tasks.models import Target
from taskboard.tasks.services import TargetData


def test_month_ends_follow_the_chinese_holiday_calendar():
    calendar = WorkCalendar()
    # Spring Festival 2022 began on Mon 31 Jan; Sat 29 and Sun 30 Jan were 调休 working days.
    assert calendar.last_workday_of_month(2022, 1) == date(2022, 1, 30)
    # 30 Apr 2022 was a Saturday inside the Labour Day holiday.
    assert calendar.last_workday_of_month(2022, 4) == date(2022, 4, 29)
    # National Day 2022: 8 and 9 Oct (a weekend) were working days.
    assert calendar.is_workday(date(2022, 10, 8)) and calendar.is_workday(date(2022, 10, 9))
    assert not calendar.is_workday(date(2022, 10, 3))
    assert calendar.workdays_between(date(2022, 9, 30), date(2022, 10, 10)) == 3
    assert calendar.add_workdays(date(2022, 9, 30), 1) == date(2022, 10, 8)


def test_a_year_without_official_data_uses_weekends_and_the_admins_table():
    assert not package_covers(2030)
    assert WorkCalendar().last_workday_of_month(2030, 3) == date(2030, 3, 29)  # 31st is Sunday
    # The admin declares Fri 29 Mar 2030 a holiday and Sun 31 Mar a 调休 working day.
    calendar = WorkCalendar({date(2030, 3, 29): False})
    assert calendar.last_workday_of_month(2030, 3) == date(2030, 3, 28)
    calendar = WorkCalendar({date(2030, 3, 31): True})
    assert calendar.last_workday_of_month(2030, 3) == date(2030, 3, 31)


def test_the_admins_table_is_loaded_from_the_database(app):
    db.session.add(CalendarDay(day=date(2030, 3, 29), is_workday=False, note="补录"))
    db.session.commit()
    assert WorkCalendar.load().last_workday_of_month(2030, 3) == date(2030, 3, 28)


def test_one_slot_per_month_the_last_one_no_later_than_the_task():
    slots = month_slots(date(2022, 3, 15), date(2022, 6, 20), WorkCalendar())
    assert [(s.period, s.due_date) for s in slots] == [
        ("2022-03", date(2022, 3, 31)),
        ("2022-04", date(2022, 4, 29)),
        ("2022-05", date(2022, 5, 31)),
        ("2022-06", date(2022, 6, 20)),
    ]


def test_cumulative_targets_split_evenly_and_rates_stay_at_their_final_value():
    sixty = Target(target_value=Decimal(60), cumulative=True)
    assert planned_values(sixty, 12) == [Decimal(5 * m) for m in range(1, 13)]
    seven = planned_values(Target(target_value=Decimal(10), cumulative=True), 3)
    assert seven == [Decimal("3.33"), Decimal("6.67"), Decimal(10)]
    rate = Target(target_value=Decimal(80), cumulative=False)
    assert planned_values(rate, 4) == [Decimal(80)] * 4
    masked = Target(target_value=None, cumulative=True)
    assert planned_values(masked, 3) == [None, None, None]


def test_a_new_task_gets_its_monthly_plan(app):
    unit = make_unit()
    task = make_task(unit, targets=[
        TargetData(metric="新签约亿元以上产业项目", value=Decimal(60), measure_unit="个"),
        TargetData(metric="投产率", value=Decimal(80), measure_unit="%", cumulative=False),
        TargetData(metric="营业收入增长", value=None, measure_unit="%", cumulative=False),
    ])
    assert len(task.milestones) == 12
    january, june, december = task.milestones[0], task.milestones[5], task.milestones[11]
    assert january.due_date == date(2022, 1, 30)
    projects, rate, masked = task.targets
    assert [m.planned_value_for(projects.id) for m in (january, june, december)] == [
        Decimal(5), Decimal(30), Decimal(60)]
    assert june.planned_value_for(rate.id) == Decimal(80)
    assert december.planned_value_for(masked.id) is None


def test_a_task_in_a_year_without_calendar_data(app):
    unit = make_unit()
    task = make_task(unit, start=date(2030, 1, 1), due=date(2030, 3, 31), targets=[])
    assert [m.due_date for m in task.milestones] == [
        date(2030, 1, 31), date(2030, 2, 28), date(2030, 3, 29)]
