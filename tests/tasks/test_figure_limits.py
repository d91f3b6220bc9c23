"""A figure too large for its column is refused with a message wherever it is typed, on
SQLite and PostgreSQL alike (PostgreSQL used to answer a report of 10^20 with a server error);
how far a month is behind plan is clamped to what its column holds."""
import re
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from conftest import make_task, make_unit, make_user
from openpyxl import Workbook
from sqlalchemy import func, select

from taskboard.extensions import db
from taskboard.tasks.models import AMOUNT_LIMIT, POINTS_LIMIT, ProgressReport, Task
from taskboard.tasks.services import TargetData

TOO_LARGE = "数值超出范围：绝对值须小于 100 万亿。"
# The largest whole figure; SQLite keeps figures as doubles, exact to 15 significant digits.
LARGEST = Decimal("99999999999999")


@pytest.fixture
def desk(app):
    ours = make_unit("ours", "区招商局")
    for name, role in (("office", "office"), ("reporter", "reporter")):
        make_user(name, role, ours if role == "reporter" else None)
    task = make_task(ours, title="安全生产事故不超过 1 起", targets=[
        TargetData(metric="安全生产事故", comparator="<=", value=Decimal(1), measure_unit="起")])
    return {"unit": ours, "task": task}


def _counts() -> tuple[int, int]:
    db.session.expire_all()
    return (db.session.scalar(select(func.count(Task.id))),
            db.session.scalar(select(func.count(ProgressReport.id))))


def _task_form(unit_id: int, value: str) -> dict:
    return {"title": "招商引资到位资金", "responsible_unit_id": unit_id,
            "start_date": "2022-01-01", "due_date": "2022-12-31", "level": "normal",
            "targets-0-metric": "到位资金", "targets-0-comparator": ">=",
            "targets-0-value": value, "targets-0-measure_unit": "元"}


def test_the_largest_figure_a_column_holds_is_kept_exactly(client, desk):
    client.login("office")
    response = client.post_form("/tasks/new", _task_form(desk["unit"].id, str(LARGEST)))
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    task = db.session.scalar(select(Task).where(Task.title == "招商引资到位资金"))
    assert task.targets[0].target_value == LARGEST


@pytest.mark.parametrize("value", [str(AMOUNT_LIMIT), "1e20", "-1e15"])
def test_a_target_too_large_is_explained_on_the_task_form(client, desk, value):
    client.login("office")
    before = _counts()
    response = client.post_form("/tasks/new", _task_form(desk["unit"].id, value))
    assert response.status_code == 200 and TOO_LARGE in response.get_data(as_text=True)
    assert _counts() == before


def test_a_target_too_large_is_a_422_in_the_api(api, desk):
    body = {"title": "到位资金", "responsible_unit_id": desk["unit"].id,
            "start_date": "2022-01-01", "due_date": "2022-12-31",
            "targets": [{"metric": "到位资金", "value": 1e20, "unit": "元"}]}
    before = _counts()
    response = api("office")("POST", "/tasks", body)
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {"targets.0.value": TOO_LARGE}
    assert _counts() == before


def test_a_reported_figure_too_large_is_refused_on_the_page_and_in_the_api(client, api, desk):
    task = desk["task"]
    january, target = task.milestones[0], task.targets[0]
    before = _counts()
    response = api("reporter")("POST", f"/milestones/{january.id}/reports",
                               {"text": "一月", "values": {str(target.id): 1e20}})
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {f"values.{target.id}": TOO_LARGE}
    client.login("reporter")
    response = client.post_form(f"/milestones/{january.id}/report", {
        "text": "一月", "values-0-target_id": str(target.id), "values-0-value": "1e20"},
        content_type="multipart/form-data")
    assert response.status_code == 200, response.headers.get("Location")
    assert TOO_LARGE in response.get_data(as_text=True)
    assert _counts() == before


def test_a_planned_figure_too_large_is_refused_and_the_plan_kept(client, desk):
    task = desk["task"]
    target = task.targets[0]
    planned = [m.planned_value_for(target.id) for m in task.milestones]
    data = {f"rows-{i}-milestone_id": str(m.id) for i, m in enumerate(task.milestones)}
    data |= {f"rows-{i}-values-0-target_id": str(target.id) for i in range(12)}
    data |= {f"rows-{i}-values-0-value": "1" for i in range(12)}
    data["rows-2-values-0-value"] = "1e20"
    client.login("office")
    response = client.post_form(f"/tasks/{task.id}/plan", data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert re.search(r'name="rows-2-values-0-value"[^>]*value="1e20"', page)
    assert f'<div class="invalid-feedback">{TOO_LARGE}</div>' in page
    db.session.expire_all()
    task = db.session.get(Task, task.id)
    assert [m.planned_value_for(target.id) for m in task.milestones] == planned


def test_a_ledger_target_too_large_is_a_named_cell(client, desk):
    book = Workbook()
    sheet = book.active
    sheet.append(["督办事项", "责任单位", "目标", "完成时限"])
    sheet.append(["到位资金", "区招商局", "到位资金 ≥ 100000000000000 元", "2022-12-31"])
    buffer = BytesIO()
    book.save(buffer)
    client.login("office")
    before = _counts()
    page = client.post_form("/ledger/import", {"file": (BytesIO(buffer.getvalue()), "x.xlsx")},
                            content_type="multipart/form-data").get_data(as_text=True)
    assert "没有导入任何内容" in page and "<td>2</td><td>目标</td>" in page
    assert TOO_LARGE in page
    assert _counts() == before


def test_a_month_far_behind_is_clamped_to_what_its_column_holds(api, desk, app):
    """≤ 1 起 and 99,999,999,999,999 reported: 10^16 points behind, stored as the most."""
    app.config["TODAY"] = "2022-01-20"
    task = desk["task"]
    january, target = task.milestones[0], task.targets[0]
    response = api("reporter")("POST", f"/milestones/{january.id}/reports",
                               {"text": "一月", "values": {str(target.id): 99999999999999}})
    assert response.status_code == 201, response.json
    db.session.expire_all()
    task = db.session.get(Task, task.id)
    assert task.milestones[0].reports[0].behind_points == POINTS_LIMIT
    assert task.behind_points == POINTS_LIMIT
    assert task.light(date(2022, 1, 20), date(2022, 1, 27)) == "red"
