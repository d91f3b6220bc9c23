"""挂图作战: figures checked against independent counts, and a constant number of queries."""
import re
from collections import Counter
from datetime import date

import pytest
from conftest import count_queries, make_report, make_task, make_unit, make_user
from sqlalchemy import select

from taskboard.calendar.workdays import WorkCalendar
from taskboard.extensions import db
from taskboard.tasks.models import Task

TODAY = date(2022, 6, 15)


def _world(units: int, tasks_per_unit: int = 2) -> None:
    """Units whose tasks are on time, late, awaiting review or never reported."""
    for index in range(units):
        unit = make_unit(f"u{index:03d}", f"单位{index:03d}")
        reporter = make_user(f"u{index:03d}_reporter", "reporter", unit)
        for n in range(tasks_per_unit):
            task = make_task(unit, title=f"单位{index:03d}事项{n}", start=date(2022, 1, 1),
                             due=date(2022, 12, 31), targets=[])
            behaviour = (index + n) % 4
            for milestone in task.milestones:
                if milestone.due_date >= TODAY or behaviour == 3:
                    continue
                if behaviour == 0:
                    make_report(milestone, reporter, milestone.due_date)
                elif behaviour == 1:
                    make_report(milestone, reporter, date(2022, 6, 1))
                else:
                    make_report(milestone, reporter, milestone.due_date, "pending")


@pytest.fixture
def leader(client, app):
    make_user("leader", "leader")
    client.login("leader")
    return client


def test_the_figures_equal_independent_counts(leader, app):
    _world(6)
    page = leader.get("/").get_data(as_text=True)
    horizon = WorkCalendar().soon_horizon(TODAY)
    tasks = db.session.scalars(select(Task)).all()
    lights = Counter(t.light(TODAY, horizon) for t in tasks)
    for light in ("red", "yellow", "green"):
        shown = re.search(rf'data-light="{light}">(\d+)<', page).group(1)
        assert int(shown) == lights.get(light, 0), light
    statuses = Counter(t.status for t in tasks)
    for status, count in statuses.items():
        assert re.search(rf'data-status="{status}">(\d+)<', page).group(1) == str(count)
    # Per unit, "overdue now" is the unit's milestones due before today and not reported.
    for task in tasks:
        unit = task.responsible_unit
        overdue = sum(1 for t in tasks if t.responsible_unit_id == unit.id
                      for m in t.milestones if m.is_overdue(TODAY))
        assert re.search(rf'data-unit="{unit.id}">(\d+)<', page).group(1) == str(overdue)


def test_the_grid_shows_each_months_state_worst_first(leader, app):
    _world(1, tasks_per_unit=4)
    page = leader.get("/").get_data(as_text=True)
    grid = page[page.index('id="month-grid"'):page.index("</table>", page.index("month-grid"))]
    titles = re.findall(r'/tasks/\d+">([^<]+)</a>', grid)
    assert titles[0] == "单位000事项3"  # never reported: red, first
    row = grid[grid.index("单位000事项1"):]
    row = row[:row.index("</tr>")]
    assert row.count("cell-done_late") == 5 and "cell-due" in row
    assert "cell-awaiting_review" in grid and "cell-done_on_time" in grid
    assert "cell-not_started" in row and "cell-overdue" in grid


def test_filters_and_who_lands_where(leader, client, app):
    _world(2)
    unit = db.session.scalar(select(Task)).responsible_unit
    page = leader.get(f"/?unit={unit.id}").get_data(as_text=True)
    assert "单位000事项0" in page and "单位001事项0" not in page
    client.post_form("/logout")
    client.login("u000_reporter")
    assert client.get("/").headers["Location"].endswith("/workspace")


def test_the_same_number_of_queries_with_10_units_as_with_100(leader, app):
    _world(10, tasks_per_unit=1)
    few = count_queries(leader, "/")
    _world_more = [make_unit(f"v{i:03d}", f"新单位{i:03d}") for i in range(90)]
    for unit in _world_more[:40]:
        make_task(unit, title=f"{unit.name}事项", start=date(2022, 1, 1), due=date(2022, 12, 31),
                  targets=[])
    assert count_queries(leader, "/") == few


def test_the_dashboard_prints_on_a4_landscape(client, app):
    css = client.get("/static/taskboard.css").get_data(as_text=True)
    assert "size: A4 landscape" in css and "@media print" in css
