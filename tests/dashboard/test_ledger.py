"""The Excel ledger: export, edit, import back — without losing or doubling anything."""
import re
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from conftest import make_report, make_task, make_unit, make_user
from openpyxl import Workbook, load_workbook
from sqlalchemy import delete, func, select

from taskboard.awards.export import ranking_workbook
from taskboard.awards.scoring import UnitMonth
from taskboard.dashboard.ledger import import_ledger
from taskboard.extensions import db
from taskboard.followup.models import Notification
from taskboard.meetings.models import Meeting
from taskboard.tasks.models import AuditLog, ProgressReport, Task
from taskboard.tasks.services import TargetData

TODAY = date(2022, 6, 15)


@pytest.fixture
def ledger_world(app):
    zsj, cjj, qyfw = (make_unit("zsj", "区招商局"), make_unit("cjj", "区城建局"),
                      make_unit("qyfw", "区企业服务中心"))
    pan = make_user("pan", "leader", display_name="潘爱民")
    reporter = make_user("zsj_reporter", "reporter", zsj)
    make_user("office", "office")
    meeting = Meeting(title="2022年务虚会", meeting_date=date(2021, 12, 28), kind="speech",
                      full_text="……")
    db.session.add(meeting)
    db.session.commit()
    first = make_task(zsj, title="新签约亿元以上产业项目不少于60个", lead_leader_id=pan.id,
                      co_responsible_unit_ids=[cjj.id], cooperating_unit_ids=[qyfw.id],
                      other_departments_participate=True, meeting_id=meeting.id,
                      category="总体目标", level="listed", description="全年新签约 60 个",
                      source_excerpt="新签约亿元以上产业项目不少于60个。", targets=[
                          TargetData(metric="新签约亿元以上产业项目", value=Decimal(60),
                                     measure_unit="个"),
                          TargetData(metric="营业收入增长", value=None, measure_unit="%",
                                     cumulative=False)])
    first.milestones[0].planned_work = "走访客商 10 家"
    db.session.commit()
    make_task(cjj, title="安置房分配", lead_leader_name="**", start=date(2022, 3, 15),
              due=date(2022, 9, 30), targets=[])
    make_report(first.milestones[0], reporter, date(2022, 1, 28), text="一月签约 6 个")
    return {"zsj": zsj, "first": first}


def _export(client) -> bytes:
    client.login("office")
    response = client.get("/ledger.xlsx")
    assert response.status_code == 200
    return response.data


def _snapshot() -> list[tuple]:
    db.session.expire_all()
    return sorted(
        (t.code, t.title, t.lead_name, t.responsible_unit.name,
         tuple(u.name for u in t.co_responsible_units),
         tuple(u.name for u in t.cooperating_units), t.other_departments_participate,
         t.meeting.title if t.meeting else None, t.category, t.level, t.start_date, t.due_date,
         tuple((g.metric, g.comparator, g.target_value, g.measure_unit, g.cumulative)
               for g in t.targets),
         tuple((m.period, m.due_date, m.planned_work,
                tuple(pv.planned_value for pv in m.planned_values)) for m in t.milestones))
        for t in db.session.scalars(select(Task)))


def test_the_ledger_layout(client, ledger_world):
    sheet = load_workbook(BytesIO(_export(client))).active
    header = [c.value for c in sheet[1]]
    assert header[:9] == ["序号", "编号", "督办事项", "来源会议", "牵头领导", "责任单位",
                          "配合单位", "目标", "完成时限"]
    assert header[9:21] == [f"{m}月" for m in range(1, 13)]
    assert header[21:] == ["状态", "备注", "责任人", "具体要求", "原文摘录"]
    assert sheet.freeze_panes == "D2"
    row = [c.value for c in sheet[2]]
    assert row[1] == "DB-2022-001" and row[4] == "潘爱民"
    assert row[5] == "区招商局、区城建局" and row[6] == "区企业服务中心、其他相关部门"
    assert row[7] == "新签约亿元以上产业项目 ≥ 60 个\n营业收入增长 ≥ ** %"
    assert row[9] == "计划：走访客商 10 家\n进展：一月签约 6 个"
    assert row[21] == "红" and sheet.cell(2, 22).fill.fgColor.rgb.endswith("FFC7CE")
    assert sheet.cell(2, 3).alignment.wrap_text


def test_export_then_import_into_an_empty_ledger_reproduces_the_tasks(client, ledger_world,
                                                                      app):
    data = _export(client)
    before = _snapshot()
    # The same units and users, but no tasks (nor anything that hangs off them).
    for model in (Notification, AuditLog):
        db.session.execute(delete(model))
    db.session.execute(delete(Task))
    db.session.execute(delete(Meeting))
    db.session.commit()
    db.session.expunge_all()  # ids may be reused by the import
    result = import_ledger(data, year=2022, today=TODAY)
    db.session.commit()
    assert (result.created, result.updated, result.errors) == (2, 0, [])
    assert _snapshot() == before


def _preview(client, data: bytes, name: str = "台账.xlsx") -> tuple[str, dict]:
    """Upload ``data``: the page shows the plan, and the fields 确认导入 posts."""
    client.login("office")
    page = client.post_form("/ledger/import", {"file": (BytesIO(data), name),
                                               "action": "preview"},
                            content_type="multipart/form-data").get_data(as_text=True)
    return page, dict(re.findall(r'name="(payload|fingerprint|year)" value="([^"]*)"', page))


def _import(client, data: bytes, name: str = "台账.xlsx"):
    """The preview page, and the answer to 确认导入 (None when there is nothing to confirm)."""
    page, fields = _preview(client, data, name)
    if "payload" not in fields:
        return page, None
    return page, client.post_form("/ledger/import", {**fields, "action": "confirm"})


def _edited(data: bytes, cells: dict[tuple[int, int], object]) -> bytes:
    book = load_workbook(BytesIO(data))
    for (row, column), value in cells.items():
        book.active.cell(row, column).value = value
    edited = BytesIO()
    book.save(edited)
    return edited.getvalue()


def _audit_rows() -> int:
    return db.session.scalar(select(func.count(AuditLog.id)))


def test_reimporting_shows_the_changes_then_applies_exactly_them(client, ledger_world):
    data = _export(client)
    edited = _edited(data, {
        (2, 3): "新签约亿元以上产业项目不少于65个",
        (2, 8): "新签约亿元以上产业项目 ≥ 65 个\n营业收入增长 ≥ ** %",
        (3, 10 + 3): "计划：完成分配方案"})  # April of the second task
    audit_before = _audit_rows()
    page, fields = _preview(client, edited)
    # The preview lists per task the fields that change, old → new, and writes nothing.
    assert "将新建 0 项，更新 2 项，0 项不变" in page
    assert re.search(r"<td>督办事项</td><td[^>]*>新签约亿元以上产业项目不少于60个</td>"
                     r"<td[^>]*>新签约亿元以上产业项目不少于65个</td>", page)
    assert re.search(r"<td>4月计划</td><td[^>]*>—</td><td[^>]*>完成分配方案</td>", page)
    db.session.expire_all()
    assert _audit_rows() == audit_before
    assert db.session.scalar(select(Task.title).where(Task.code == "DB-2022-001")).endswith("60个")
    confirmed = client.post_form("/ledger/import", {**fields, "action": "confirm"})
    assert confirmed.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Task.id))) == 2
    first = db.session.scalar(select(Task).where(Task.code == "DB-2022-001"))
    assert first.title.endswith("65个") and first.targets[0].target_value == Decimal(65)
    assert first.milestones[-1].planned_value_for(first.targets[0].id) == Decimal(65)
    assert first.description == "全年新签约 60 个"  # a column nobody edited stays as it was
    assert first.milestones[0].reports[0].text == "一月签约 6 个"
    assert db.session.scalar(select(func.count(ProgressReport.id))) == 1
    second = db.session.scalar(select(Task).where(Task.code == "DB-2022-002"))
    assert {m.period: m.planned_work for m in second.milestones}["2022-04"] == "完成分配方案"


def test_confirming_a_plan_that_went_stale_imports_nothing(client, ledger_world):
    edited = _edited(_export(client), {(2, 3): "改过的名称"})
    client.login("office")
    page = client.post_form("/ledger/import", {"file": (BytesIO(edited), "x.xlsx")},
                            content_type="multipart/form-data").get_data(as_text=True)
    fields = dict(re.findall(r'name="(payload|fingerprint|year)" value="([^"]*)"', page))
    first = db.session.scalar(select(Task).where(Task.code == "DB-2022-001"))
    first.title = "督查室刚改的名称"  # someone else changes the task meanwhile
    db.session.commit()
    page = client.post_form("/ledger/import", {**fields, "action": "confirm"}
                            ).get_data(as_text=True)
    assert "核对之后事项已有变化，没有导入" in page
    db.session.expire_all()
    assert db.session.get(Task, first.id).title == "督查室刚改的名称"


def test_an_unchanged_ledger_changes_nothing_and_writes_no_audit_row(client, ledger_world):
    data = _export(client)
    before, audit_before = _snapshot(), _audit_rows()
    page, confirmed = _import(client, data)
    assert "将新建 0 项，更新 0 项，2 项不变" in page and "没有需要导入的变化" in page
    assert confirmed is None  # nothing to confirm
    result = import_ledger(data, year=2022, today=TODAY)
    db.session.commit()
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert _snapshot() == before and _audit_rows() == audit_before
    first = db.session.scalar(select(Task).where(Task.code == "DB-2022-001"))
    assert first.description == "全年新签约 60 个"
    assert first.source_excerpt == "新签约亿元以上产业项目不少于60个。"


def test_a_completed_task_exports_with_its_status(client, ledger_world):
    first = ledger_world["first"]
    first.status = "done"
    db.session.commit()
    sheet = load_workbook(BytesIO(_export(client))).active
    assert sheet.cell(2, 22).value == "已办结"
    result = import_ledger(_export(client), year=2022, today=TODAY)
    assert (result.errors, result.updated) == ([], 0)


def test_cooperating_bodies_outside_the_system_survive_the_round_trip(client, ledger_world):
    first = ledger_world["first"]
    first.cooperating_names = ["区交通运输局"]
    db.session.commit()
    data = _export(client)
    assert "区交通运输局" in load_workbook(BytesIO(data)).active.cell(2, 7).value
    result = import_ledger(data, year=2022, today=TODAY)
    assert (result.errors, result.updated, result.unchanged) == ([], 0, 2)
    data = _sheet([["", "新的事项", "", "区招商局", "区城建局、区交通运输局", "", "2022-12-31",
                    ""]])
    result = import_ledger(data, year=2022, today=TODAY)
    db.session.commit()
    task = db.session.scalar(select(Task).where(Task.title == "新的事项"))
    assert result.errors == [] and task.cooperating_names == ["区交通运输局"]
    assert [u.name for u in task.cooperating_units] == ["区城建局"]


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://evil.example\",\"点此\")", "+1", "-2",
                                  "@SUM(A1)"])
def test_text_that_looks_like_a_formula_stays_text(client, ledger_world, text):
    first = ledger_world["first"]
    first.title, first.responsible_person = text, text
    first.meeting.title = text
    db.session.commit()
    data = _export(client)
    sheet = load_workbook(BytesIO(data)).active
    for column in (3, 4, 24):  # 督办事项, 来源会议, 责任人
        cell = sheet.cell(2, column)
        assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)
    result = import_ledger(data, year=2022, today=TODAY)
    assert (result.errors, result.updated, result.unchanged) == ([], 0, 2)
    db.session.commit()
    assert db.session.get(Task, first.id).title == text


def test_the_awards_export_keeps_unit_names_as_text(app):
    name = '=HYPERLINK("http://evil.example","蜗牛奖")'
    data = ranking_workbook("2022年5月", [UnitMonth(unit_id=1, unit_name=name)], "-说明")
    sheet = load_workbook(BytesIO(data)).active
    assert (sheet.cell(3, 2).value, sheet.cell(3, 2).data_type) == (name, "s")
    assert (sheet.cell(5, 1).value, sheet.cell(5, 1).data_type) == ("-说明", "s")


def _sheet(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["编号", "督办事项", "牵头领导", "责任单位", "配合单位", "目标", "完成时限",
                  "开始日期"])
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_plain_one_row_per_task_sheet(client, ledger_world):
    data = _sheet([["", "推进离岸孵化相关工作", "潘爱民", "区企业服务中心", "其他相关部门",
                    "离岸孵化基地 ≥ 5 个", "2022年12月31日", "2022-01-01"]])
    page, response = _import(client, data, "简表.xlsx")
    assert "推进离岸孵化相关工作" in page and "将新建 1 项" in page
    assert response.status_code == 302
    task = db.session.scalar(select(Task).where(Task.title == "推进离岸孵化相关工作"))
    assert task.lead_name == "潘爱民" and task.lead_leader_id is not None
    assert task.other_departments_participate and len(task.milestones) == 12
    assert task.code == "DB-2022-003"


def test_bad_cells_import_nothing_and_are_named(client, ledger_world):
    data = _sheet([
        ["", "好的一行", "", "区招商局", "", "", "2022-12-31", ""],
        ["", "", "", "区招商局", "", "", "2022-12-31", ""],
        ["", "日期不对", "", "区招商局", "", "", "2022-13-45", ""],
        ["", "单位不对", "", "区发改委", "", "", "2022-12-31", ""],
        ["", "指标不对", "", "区招商局", "", "很多很多", "2022-12-31", ""],
    ])
    client.login("office")
    page = client.post_form("/ledger/import", {"file": (BytesIO(data), "x.xlsx")},
                            content_type="multipart/form-data").get_data(as_text=True)
    assert "没有导入任何内容" in page
    for row, column, message in [(3, "督办事项", "不能为空"), (4, "完成时限", "不是有效的日期"),
                                 (5, "责任单位", "单位“区发改委”不存在"),
                                 (6, "目标", "看不懂")]:
        assert re.search(rf"<td>{row}</td><td>{column}</td><td>[^<]*{message}", page), (row,
                                                                                       column)
    assert db.session.scalar(select(func.count(Task.id))) == 2


def test_text_too_long_to_store_is_named_not_a_server_error(client, ledger_world):
    book = Workbook()
    sheet = book.active
    sheet.append(["督办事项", "牵头领导", "责任单位", "完成时限", "责任人", "备注"])
    sheet.append(["过长的一行", "领" * 65, "区招商局", "2022-12-31", "人" * 65,
                  "类别：" + "类" * 101])
    buffer = BytesIO()
    book.save(buffer)
    client.login("office")
    page = client.post_form("/ledger/import", {"file": (BytesIO(buffer.getvalue()), "x.xlsx")},
                            content_type="multipart/form-data").get_data(as_text=True)
    assert "没有导入任何内容" in page
    for column in ("牵头领导", "责任人", "类别"):
        assert re.search(rf"<td>2</td><td>{column}</td><td>[^<]*不能超过", page), column
    assert db.session.scalar(select(func.count(Task.id))) == 2


@pytest.mark.parametrize(("content", "message"), [
    (b"not a spreadsheet", "不是有效的 .xlsx 文件"),
    (b"PK\x03\x04" + b"\x00" * 100, "不是有效的 .xlsx 文件"),
    (b"x" * (5 * 1024 * 1024 + 1), "超过 5 MB"),
])
def test_files_that_are_not_ledgers(client, ledger_world, content, message):
    client.login("office")
    page = client.post_form("/ledger/import", {"file": (BytesIO(content), "x.xlsx")},
                            content_type="multipart/form-data").get_data(as_text=True)
    assert message in page
    assert db.session.scalar(select(func.count(Task.id))) == 2


def test_ledger_commands(app, ledger_world, tmp_path):
    runner = app.test_cli_runner()
    path = tmp_path / "台账.xlsx"
    result = runner.invoke(args=["ledger", "export", str(path)])
    assert result.exit_code == 0 and path.exists()
    book = load_workbook(path)
    book.active.cell(2, 3).value = "新签约亿元以上产业项目不少于65个"
    book.save(path)
    result = runner.invoke(args=["ledger", "import", str(path), "--dry-run", "--year", "2022"])
    assert result.exit_code == 0
    assert "将新建 0 项，更新 1 项，1 项不变。" in result.stdout
    assert "  督办事项：新签约亿元以上产业项目不少于60个 → 新签约亿元以上产业项目不少于65个" \
        in result.stdout
    assert db.session.scalar(select(Task.title).where(Task.code == "DB-2022-001")).endswith("60个")
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(_sheet([["", "单位不对", "", "区发改委", "", "", "2022-12-31", ""]]))
    result = runner.invoke(args=["ledger", "import", str(bad)])
    assert result.exit_code == 1 and result.stdout == ""
    assert "第 2 行“责任单位”：单位“区发改委”不存在" in result.stderr


def test_units_export_only_their_tasks_and_cannot_import(client, ledger_world):
    client.login("zsj_reporter")
    sheet = load_workbook(BytesIO(client.get("/ledger.xlsx").data)).active
    assert [c.value for c in sheet["C"]][1:] == ["新签约亿元以上产业项目不少于60个"]
    assert client.get("/ledger/import").status_code == 403



def test_a_plain_sheet_imported_in_june_starts_in_june_and_is_not_red(client, ledger_world):
    data = _sheet([["", "晚登记的事项", "", "区招商局", "", "签约项目 ≥ 10 个", "2022-12-31", ""]])
    result = import_ledger(data, year=2022, today=TODAY)
    db.session.commit()
    assert result.errors == []
    task = db.session.scalar(select(Task).where(Task.title == "晚登记的事项"))
    assert task.start_date == TODAY and task.assigned_on == TODAY
    assert [m.period for m in task.milestones] == [f"2022-{m:02d}" for m in range(6, 13)]
    assert task.light(TODAY, TODAY) != "red"
    assert [m.planned_value_for(task.targets[0].id) for m in task.milestones] == [
        1, 2, 4, 5, 7, 8, 10]
