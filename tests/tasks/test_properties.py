"""The rules as properties (Hypothesis): plans rise to their targets, milestones never fall
before the start, a task is never red on the day it is assigned, a ledger round trip changes
nothing, and a month's ranking counts only what was owed after the task was assigned."""
from calendar import monthrange
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from conftest import TODAY, make_unit, make_user
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import func, select

from taskboard.auth.models import User
from taskboard.awards.scoring import load_settings, score_month
from taskboard.calendar.workdays import WorkCalendar
from taskboard.dashboard.ledger import export_workbook, import_ledger, ledger_tasks
from taskboard.extensions import db
from taskboard.tasks import workflow
from taskboard.tasks.models import COUNT_UNITS, AuditLog, Task
from taskboard.tasks.queries import as_of
from taskboard.tasks.services import (
    TargetData,
    TaskData,
    create_task,
    default_start,
    latest_due,
)
from taskboard.xlsx import write_row

DB_SETTINGS = settings(max_examples=25, deadline=None,
                       suppress_health_check=[HealthCheck.function_scoped_fixture,
                                              HealthCheck.too_slow])
HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF)
WORDS = st.text(HAN, min_size=1, max_size=12)
# User text as it comes: Chinese, ASCII, and what Excel would take for a formula.
TEXT = st.text(st.one_of(HAN, st.sampled_from("abcXYZ 0123456789=+-@（）“”")),
               min_size=1, max_size=40).map(str.strip).filter(bool)
UNITS = [*sorted(COUNT_UNITS)[:6], "万元", "亿元", "平方米", "%", ""]
DAYS = st.dates(date(2022, 1, 1), date(2022, 12, 31))


@pytest.fixture
def office(app):
    unit = make_unit("zsj", "区招商局")
    make_unit("cjj", "区城建局")
    make_user("pan", "leader", display_name="潘爱民")
    return unit


def _target(value: Decimal, unit: str, cumulative: bool = True) -> TargetData:
    return TargetData(metric="指标", value=value, measure_unit=unit,
                      cumulative=cumulative and unit != "%")


def _plan(task: Task) -> list[list[Decimal | None]]:
    return [[m.planned_value_for(t.id) for m in task.milestones] for t in task.targets]


# ---- plans rise to their targets, also after an extension ---------------------------------

@DB_SETTINGS
@given(start=DAYS, months=st.integers(0, 30), extra_months=st.integers(1, 30),
       days_in=st.integers(0, 900), value=st.decimals(1, 10**6, places=2),
       unit=st.sampled_from(UNITS))
def test_plans_rise_to_the_target_and_counts_are_whole(office, start, months, extra_months,
                                                       days_in, value, unit):
    if unit in COUNT_UNITS:
        value = value.to_integral_value() or Decimal(1)
    due = min(start + timedelta(days=30 * months), latest_due(start))
    task = create_task(TaskData(title="计划", responsible_unit_id=office.id, start_date=start,
                                due_date=due, targets=[_target(value, unit)]), today=start)
    target = task.targets[0]
    # A later day within the task, when the unit asks for more time and gets it.
    today = min(start + timedelta(days=days_in), due)
    new_due = min(due + timedelta(days=30 * extra_months), latest_due(start))
    if new_due > due:
        request = workflow.request_extension(task, _someone(), due_date=new_due, reason="x")
        workflow.decide_extension(request, _someone(), approve=True, comment="", today=today,
                                  calendar=WorkCalendar())
    [plan] = _plan(task)
    assert plan == sorted(plan), plan
    assert plan[-1] == value
    if target.is_count:
        assert all(v == v.to_integral_value() for v in plan), plan
    assert all(m.due_date >= task.start_date for m in task.milestones)
    db.session.rollback()


def _someone() -> User:
    return db.session.scalar(select(User).where(User.username == "pan"))


# ---- milestones never before the start; never red on the day of assignment --------------

@DB_SETTINGS
@given(meeting=st.dates(date(2021, 10, 1), date(2022, 12, 31)),
       late=st.integers(0, 400), length=st.integers(0, 700))
def test_a_task_with_the_default_start_is_not_red_on_its_first_day(office, meeting, late,
                                                                   length):
    today = meeting + timedelta(days=late)
    start = default_start(today, meeting.year + (meeting.month == 12))
    due = min(start + timedelta(days=length), latest_due(start))
    task = create_task(TaskData(title="交办", responsible_unit_id=office.id, start_date=start,
                                due_date=due, targets=[_target(Decimal(12), "个")]),
                       today=today)
    assert task.start_date >= today
    assert all(m.due_date >= start for m in task.milestones)
    assert task.milestones[0].period == f"{start.year:04d}-{start.month:02d}"
    assert task.light(today, as_of(today).horizon) != "red"
    db.session.rollback()


# ---- a ledger exported and imported back changes nothing --------------------------------

TASKS = st.lists(st.fixed_dictionaries({
    "title": TEXT, "description": st.one_of(st.just(""), TEXT), "category": st.one_of(
        st.just(""), WORDS), "responsible_person": st.one_of(st.just(""), TEXT),
    "lead": st.sampled_from(["pan", "", "**", "王某某"]),
    "cooperating_names": st.lists(st.sampled_from(["区交通运输局", "市生态环境局"]),
                                  unique=True, max_size=2),
    "other_departments": st.booleans(), "level": st.sampled_from(["normal", "key", "listed"]),
    "start": st.dates(date(2022, 1, 1), date(2022, 6, 30)), "length": st.integers(0, 180),
    "targets": st.lists(st.tuples(WORDS, st.sampled_from([">=", "<=", ">", "="]),
                                  st.one_of(st.none(), st.decimals(0, 10**6, places=2)),
                                  st.sampled_from(UNITS)), max_size=3),
    "plan": st.one_of(st.just(""), WORDS), "done": st.booleans(),
}), min_size=1, max_size=3)


def _make(office_unit, spec: dict) -> Task:
    pan = _someone()
    start = spec["start"]
    task = create_task(TaskData(
        title=spec["title"], responsible_unit_id=office_unit.id, start_date=start,
        due_date=start + timedelta(days=spec["length"]), description=spec["description"],
        category=spec["category"], responsible_person=spec["responsible_person"],
        lead_leader_id=pan.id if spec["lead"] == "pan" else None,
        lead_leader_name="" if spec["lead"] == "pan" else spec["lead"],
        cooperating_names=spec["cooperating_names"],
        other_departments_participate=spec["other_departments"], level=spec["level"],
        targets=[TargetData(metric=m, comparator=c, value=v, measure_unit=u,
                            cumulative=u != "%") for m, c, v, u in spec["targets"]]),
        today=start)
    task.milestones[0].planned_work = spec["plan"]
    if spec["done"]:
        task.status = "done"
    return task


def _state() -> dict:
    db.session.expire_all()
    return {t.code: (t.title, t.description, t.category, t.responsible_person, t.lead_name,
                     t.responsible_unit_id, tuple(t.cooperating_names),
                     t.other_departments_participate, t.level, t.status, t.start_date,
                     t.due_date, t.meeting_id, t.source_excerpt,
                     tuple((g.metric, g.comparator, g.target_value, g.measure_unit, g.cumulative)
                           for g in t.targets),
                     tuple((m.period, m.due_date, m.planned_work,
                            tuple(pv.planned_value for pv in m.planned_values))
                           for m in t.milestones))
            for t in db.session.scalars(select(Task))}


def _ledger() -> bytes:
    return export_workbook(ledger_tasks(select(Task).where(Task.deleted_at.is_(None))), 2022,
                           as_of(TODAY))


@DB_SETTINGS
@given(specs=TASKS, edit=st.sampled_from(["title", "description", "responsible_person",
                                          "due_date", None]), new_text=TEXT)
def test_a_ledger_round_trip_changes_nothing_but_the_cell_edited(office, specs, edit,
                                                                 new_text):
    codes = [_make(office, spec).code for spec in specs]
    db.session.flush()
    try:
        before, audit = _state(), db.session.scalar(select(func.count(AuditLog.id)))
        data = _ledger()
        result = import_ledger(data, year=2022, today=TODAY)
        assert (result.errors, result.created, result.updated) == ([], 0, 0)
        assert _state() == before
        assert db.session.scalar(select(func.count(AuditLog.id))) == audit
        if edit is not None:
            _check_one_edit(data, before, codes[0], edit, new_text)
    finally:
        db.session.rollback()


def _check_one_edit(data: bytes, before: dict, code: str, edit: str, new_text: str) -> None:
    """Type ``new_text`` (or the next day) into one cell of ``code``'s row, as a clerk would."""
    book = load_workbook(BytesIO(data))
    sheet = book.active
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 2).value == code)
    old = before[code]
    new_value = (old[11] + timedelta(days=1)) if edit == "due_date" else new_text
    column = {"title": 3, "due_date": 9, "responsible_person": 24, "description": 25}[edit]
    write_row(sheet, row, [sheet.cell(row, c).value for c in range(1, column)] + [new_value])
    edited = BytesIO()
    book.save(edited)
    result = import_ledger(edited.getvalue(), year=2022, today=TODAY)
    assert result.errors == []
    after = _state()
    position = {"title": 0, "description": 1, "responsible_person": 3, "due_date": 11}[edit]
    changed = {(c, i) for c in before for i, (a, b) in
               enumerate(zip(before[c], after[c], strict=True)) if a != b}
    if old[position] == new_value:
        assert changed == set()
    else:
        # A new due date moves the milestones with it; nothing else of any task changes.
        allowed = {(code, position)} | ({(code, 15)} if edit == "due_date" else set())
        assert (code, position) in changed and changed <= allowed


# ---- a month's ranking counts only what was owed after the task was assigned -------------

@DB_SETTINGS
@given(tasks=st.lists(st.tuples(st.dates(date(2022, 1, 1), date(2022, 6, 30)),
                                st.integers(0, 200)), min_size=1, max_size=4),
       month=st.integers(1, 12))
def test_the_ranking_counts_only_milestones_due_after_assignment(office, tasks, month):
    made = []
    for start, assigned_after in tasks:
        assigned = start + timedelta(days=assigned_after)
        made.append(create_task(TaskData(
            title="排名", responsible_unit_id=office.id, start_date=start,
            due_date=date(2022, 12, 31), targets=[_target(Decimal(12), "个")]), today=assigned))
    db.session.flush()
    last = date(2022, month, monthrange(2022, month)[1])
    expected = sum(1 for task in made for m in task.milestones
                   if task.assigned_on <= m.due_date <= last)
    tallies = score_month(f"2022-{month:02d}", load_settings(), WorkCalendar())
    assert sum(t.due for t in tallies) == expected
    db.session.rollback()
