"""Creating, editing, listing and deleting tasks through the pages and the services."""
from datetime import date
from decimal import Decimal

import pytest
from conftest import TODAY, count_queries, make_task, make_unit, make_user
from sqlalchemy import func, select

from taskboard.errors import ValidationError
from taskboard.extensions import db
from taskboard.tasks.models import AuditLog, Milestone, ProgressReport, ReportValue, Task
from taskboard.tasks.services import TargetData, TaskData, create_task, next_code, update_task


@pytest.fixture
def office(client, app):
    make_user("office", "office")
    client.login("office")
    return client


def _form(unit, **overrides):
    form = {
        "title": "加快重大项目开工", "category": "项目建设", "responsible_unit_id": unit.id,
        "start_date": "2022-01-01", "due_date": "2022-12-31", "level": "key",
        "lead_leader_name": "潘爱民", "targets-0-metric": "新开工亿元以上产业项目",
        "targets-0-comparator": ">=", "targets-0-value": "40", "targets-0-measure_unit": "个",
        "targets-0-cumulative": "y",
    }
    form.update(overrides)
    return form


def test_office_creates_a_task_with_targets_and_milestones(office):
    unit, partner = make_unit("qyfw", "区企业服务中心"), make_unit("zsj", "区招商局")
    response = office.post_form("/tasks/new", _form(unit, cooperating_unit_ids=[partner.id],
                                                    other_departments_participate="y"))
    assert response.status_code == 302, response.get_data(as_text=True)
    task = db.session.scalar(select(Task))
    assert task.code == "DB-2022-001" and task.status == "assigned" and task.level == "key"
    assert task.lead_name == "潘爱民"
    assert [u.name for u in task.cooperating_units] == ["区招商局"]
    assert task.other_departments_participate
    assert task.targets[0].target_value == Decimal(40)
    assert len(task.milestones) == 12
    page = office.get(response.headers["Location"]).get_data(as_text=True)
    assert "加快重大项目开工" in page and "其他相关部门" in page and "2022-01-30" in page


@pytest.mark.parametrize(("overrides", "message"), [
    ({"due_date": "2021-12-31"}, "完成时限不能早于开始日期"),
    ({"title": ""}, "请填写督办事项名称"),
    ({"title": "长" * 201}, "名称不能超过 200 个字"),
    ({"responsible_unit_id": "999"}, "不是有效的选择"),
    ({"responsible_unit_id": ""}, "请选择责任单位"),
    ({"start_date": "2022-13-01"}, "不是有效的日期"),
    ({"targets-0-value": "很多"}, "不是有效的小数"),
])
def test_bad_task_input_is_explained_and_writes_nothing(office, overrides, message):
    unit = make_unit()
    response = office.post_form("/tasks/new", _form(unit, **overrides))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Task.id))) == 0
    assert db.session.scalar(select(func.count(Milestone.id))) == 0


def test_the_same_unit_cannot_be_responsible_and_cooperating(app):
    unit = make_unit()
    data = TaskData(title="x", responsible_unit_id=unit.id, start_date=date(2022, 1, 1),
                    due_date=date(2022, 2, 1), cooperating_unit_ids=[unit.id])
    with pytest.raises(ValidationError) as error:
        create_task(data, today=TODAY)
    assert "co_responsible_unit_ids" in error.value.errors


def test_codes_grow_past_999(app):
    unit = make_unit()
    task = make_task(unit)
    task.code_number, task.code = 999, "DB-2022-999"
    db.session.commit()
    assert next_code(2022) == (1000, "DB-2022-1000")
    assert next_code(2023) == (1, "DB-2023-001")


def test_every_change_writes_an_audit_row_in_the_same_transaction(office):
    unit = make_unit()
    office.post_form("/tasks/new", _form(unit))
    task = db.session.scalar(select(Task))
    office.post_form(f"/tasks/{task.id}/edit", _form(unit, title="加快重大项目开工建设"))
    rows = db.session.scalars(select(AuditLog).where(AuditLog.task_id == task.id)).all()
    created = {r.entity for r in rows if r.action == "create"}
    assert {"task", "target", "milestone", "planned_value"} <= created
    update = next(r for r in rows if r.action == "update" and r.entity == "task")
    assert update.before["title"] == "加快重大项目开工"
    assert update.after["title"] == "加快重大项目开工建设"
    assert update.actor.username == "office"
    page = office.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "加快重大项目开工建设" in page and "修改记录" in page


def test_moving_the_due_date_regenerates_future_milestones_and_keeps_reported_ones(app):
    unit = make_unit()
    reporter = make_user("reporter", "reporter", unit)
    task = make_task(unit, today=date(2022, 1, 1))
    january = task.milestones[0]
    db.session.add(ProgressReport(milestone=january, author=reporter, text="一月完成 5 个",
                                  submitted_on=date(2022, 1, 28),
                                  values=[ReportValue(target_id=task.targets[0].id,
                                                      actual_value=Decimal(5))]))
    db.session.commit()
    data = TaskData(title=task.title, responsible_unit_id=unit.id, start_date=task.start_date,
                    due_date=date(2022, 6, 30),
                    targets=[TargetData(metric="新签约亿元以上产业项目", value=Decimal(60),
                                        measure_unit="个")])
    update_task(task, data, today=date(2022, 3, 15))
    db.session.commit()
    assert [m.period for m in task.milestones] == [f"2022-0{m}" for m in range(1, 7)]
    assert task.milestones[0].reports[0].text == "一月完成 5 个"
    june = task.milestones[-1]
    assert june.due_date == date(2022, 6, 30)
    assert june.planned_value_for(task.targets[0].id) == Decimal(60)
    # A target with reported figures cannot be dropped.
    data.targets = []
    with pytest.raises(ValidationError):
        update_task(task, data, today=date(2022, 3, 15))


def test_deleting_keeps_the_task_and_its_history(office):
    unit = make_unit()
    task = make_task(unit)
    assert office.post_form(f"/tasks/{task.id}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.get(Task, task.id).deleted_at is not None
    assert office.get(f"/tasks/{task.id}").status_code == 404
    assert task.title not in office.get("/tasks/").get_data(as_text=True)
    assert db.session.scalar(select(AuditLog).where(AuditLog.task_id == task.id,
                                                    AuditLog.action == "delete"))


def test_list_search_filters_and_paging(office, app):
    ours, theirs = make_unit("ours", "区企业服务中心"), make_unit("theirs", "区城建局")
    leader = make_user("pan", "leader", display_name="潘爱民")
    make_task(ours, title="推进离岸孵化相关工作", lead_leader_id=leader.id, category="创新")
    make_task(theirs, title="安置房分配", description="梅兰三期安置房", level="listed")
    for n in range(25):
        make_task(theirs, title=f"批量事项{n:02d}")

    def titles(query: str) -> str:
        return office.get(f"/tasks/?{query}").get_data(as_text=True)

    assert "推进离岸孵化相关工作" in titles("q=离岸") and "安置房分配" not in titles("q=离岸")
    assert "安置房分配" in titles("q=梅兰")  # description
    assert "推进离岸孵化相关工作" in titles("q=DB-2022-001")  # code
    assert "安置房分配" not in titles(f"unit={ours.id}")
    assert "推进离岸孵化相关工作" in titles(f"lead={leader.id}")
    assert "安置房分配" in titles("level=listed") and "批量事项00" not in titles("level=listed")
    assert "推进离岸孵化相关工作" in titles("category=创新")
    assert "批量事项" not in titles("status=done")
    first, second = titles(""), titles("page=2")
    assert first.count("批量事项") + second.count("批量事项") == 25
    assert "没有符合条件的督办事项" in titles("unit=abc")
    assert office.get("/tasks/?page=99").status_code == 200


def test_the_list_runs_the_same_number_of_queries_for_5_and_for_20_tasks(office, app):
    unit, partner = make_unit("ours"), make_unit("partner")
    office.get("/tasks/")  # the calendar is read once, then again only when it changes

    for n in range(5):
        make_task(unit, title=f"事项{n}", co_responsible_unit_ids=[partner.id])
    few = count_queries(office, "/tasks/")
    for n in range(15):
        make_task(unit, title=f"更多事项{n}", cooperating_unit_ids=[partner.id])
    assert count_queries(office, "/tasks/") == few
