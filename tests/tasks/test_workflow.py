"""签收, 异议, reports, 复核, 延期, 办结 and plans, through the pages a unit and the office use."""
import io
from datetime import date
from decimal import Decimal

import pytest
from conftest import make_task, make_unit, make_user
from sqlalchemy import func, select

from taskboard.extensions import db
from taskboard.tasks.models import Milestone, ProgressReport, Task, TaskRequest
from taskboard.tasks.services import TargetData

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%fake but typed by its first bytes\n"


@pytest.fixture
def desk(app):
    ours, other = make_unit("ours", "区招商局"), make_unit("other", "区城建局")
    users = {name: make_user(name, role, unit) for name, role, unit in [
        ("office", "office", None), ("head", "unit_head", ours), ("reporter", "reporter", ours),
        ("other_head", "unit_head", other), ("leader", "leader", None)]}
    task = make_task(ours, title="新签约亿元以上产业项目不少于60个", today=date(2022, 1, 4),
                     cooperating_unit_ids=[other.id])
    return {"task": task, "ours": ours, "other": other, "users": users}


def _reload(model, ident):
    db.session.expire_all()
    return db.session.get(model, ident)


def _as(client, username):
    client.post_form("/logout")
    client.login(username)
    return client


def test_the_unit_signs_a_new_task(client, desk):
    task = desk["task"]
    assert task.awaits_acknowledgement and task.assigned_on == date(2022, 1, 4)
    _as(client, "other_head")  # a cooperating unit does not sign
    assert client.post_form(f"/tasks/{task.id}/acknowledge").status_code == 403
    _as(client, "reporter")
    page = client.get("/workspace").get_data(as_text=True)
    assert "待签收" in page and task.title in page
    assert client.post_form(f"/tasks/{task.id}/acknowledge").status_code == 302
    task = _reload(Task, task.id)
    assert task.acknowledged_by.username == "reporter" and task.status == "in_progress"
    response = client.post_form(f"/tasks/{task.id}/acknowledge", follow_redirects=True)
    assert "已于" in response.get_data(as_text=True)


def test_an_objection_is_upheld_by_reassigning_or_refused(client, desk):
    task = desk["task"]
    _as(client, "reporter")  # only the head may object
    assert client.post_form(f"/tasks/{task.id}/requests/objection",
                            {"reason": "不是我们的"}).status_code == 403
    _as(client, "head")
    response = client.post_form(f"/tasks/{task.id}/requests/objection", {"reason": ""},
                                follow_redirects=True)
    assert "请填写理由" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(TaskRequest.id))) == 0
    client.post_form(f"/tasks/{task.id}/requests/objection", {"reason": "应由城建局负责"})
    objection = db.session.scalar(select(TaskRequest))
    assert (objection.kind, objection.status) == ("objection", "pending")

    _as(client, "office")
    assert "应由城建局负责" in client.get("/reviews").get_data(as_text=True)
    response = client.post_form(f"/requests/{objection.id}/decide", {"decision": "approve"},
                                follow_redirects=True)
    assert "同意异议时请选择新的责任单位" in response.get_data(as_text=True)
    client.post_form(f"/requests/{objection.id}/decide",
                     {"decision": "approve", "unit_id": desk["other"].id})
    task = _reload(Task, task.id)
    assert task.responsible_unit.name == "区城建局" and task.awaits_acknowledgement
    assert task.cooperating_units == []  # the new responsible unit no longer cooperates
    assert _reload(TaskRequest, objection.id).status == "approved"


def test_a_refused_objection_keeps_the_task_and_needs_a_reason(client, desk):
    task = desk["task"]
    _as(client, "head")
    client.post_form(f"/tasks/{task.id}/requests/objection", {"reason": "工作量太大"})
    objection = db.session.scalar(select(TaskRequest))
    _as(client, "office")
    response = client.post_form(f"/requests/{objection.id}/decide", {"decision": "reject"},
                                follow_redirects=True)
    assert "驳回时请写明理由" in response.get_data(as_text=True)
    client.post_form(f"/requests/{objection.id}/decide",
                     {"decision": "reject", "comment": "属于招商局职责"})
    assert _reload(Task, task.id).responsible_unit.name == "区招商局"
    _as(client, "head")
    assert "属于招商局职责" in client.get(f"/tasks/{task.id}").get_data(as_text=True)


def _report(client, milestone, text="一月新签约项目 6 个", value="6", files=()):
    data = {"text": text, "values-0-target_id": str(milestone.task.targets[0].id),
            "values-0-value": value}
    if files:
        data["files"] = [(io.BytesIO(content), name) for name, content in files]
    return client.post_form(f"/milestones/{milestone.id}/report", data,
                            content_type="multipart/form-data")


def test_a_report_with_evidence_then_review(client, desk, app):
    task = desk["task"]
    january = task.milestones[0]
    app.config["TODAY"] = "2022-02-08"  # 31 Jan–6 Feb 2022 was the Spring Festival holiday
    _as(client, "reporter")
    response = _report(client, january, files=[("签约清单.pdf", PDF), ("现场.png", PNG)])
    assert response.status_code == 302
    report = db.session.scalar(select(ProgressReport))
    assert report.submitted_on == date(2022, 2, 8) and report.is_late()
    # Due Sun 30 Jan (a 调休 working day); 7 and 8 Feb are the first working days after it.
    assert report.late_workdays == 2
    assert [a.content_type for a in report.attachments] == ["application/pdf", "image/png"]
    assert report.value_for(task.targets[0].id) == Decimal(6)
    assert _reload(Task, task.id).status == "in_progress"  # reporting signs the task

    # A second report while the first waits for review is refused and changes nothing.
    response = _report(client, _reload(Milestone, january.id), text="再报一次")
    assert "等待审核" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(ProgressReport.id))) == 1

    download = client.get(f"/reports/{report.id}/files/{report.attachments[0].id}")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment")
    _as(client, "other_head")  # the cooperating unit sees the task, and so its evidence
    assert client.get(f"/reports/{report.id}/files/{report.attachments[0].id}").status_code == 200
    assert client.post_form(f"/reports/{report.id}/review",
                            {"decision": "accept"}).status_code == 403

    _as(client, "office")
    response = client.post_form(f"/reports/{report.id}/review", {"decision": "return"},
                                follow_redirects=True)
    assert "退回时请写明" in response.get_data(as_text=True)
    client.post_form(f"/reports/{report.id}/review",
                     {"decision": "return", "comment": "请附签约清单盖章件"})
    report = _reload(ProgressReport, report.id)
    assert report.review_status == "returned" and report.reviewer.username == "office"
    response = client.post_form(f"/reports/{report.id}/review", {"decision": "accept"},
                                follow_redirects=True)
    assert "不能重复审核" in response.get_data(as_text=True)

    _as(client, "reporter")
    page = client.get("/workspace").get_data(as_text=True)
    assert "请附签约清单盖章件" in page and "被退回" in page
    assert _report(client, _reload(Milestone, january.id), text="补充盖章件").status_code == 302
    second = db.session.scalar(select(ProgressReport).where(ProgressReport.text == "补充盖章件"))
    _as(client, "office")
    client.post_form(f"/reports/{second.id}/review", {"decision": "accept"})
    assert _reload(Milestone, january.id).status == "done"


@pytest.mark.parametrize(("name", "content", "message"), [
    ("病毒.pdf", b"MZ\x90\x00 an exe renamed", "不是 PDF、图片或 Office 文件"),
    ("说明.txt", "纯文本".encode(), "不是 PDF、图片或 Office 文件"),
    ("大图.png", PNG + b"\x00" * (10 * 1024 * 1024), "超过 10 MB"),
])
def test_bad_evidence_is_refused_and_nothing_is_saved(client, desk, name, content, message):
    _as(client, "reporter")
    response = _report(client, desk["task"].milestones[0], files=[(name, content)])
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(ProgressReport.id))) == 0


def test_only_accountable_units_report(client, desk):
    milestone = desk["task"].milestones[0]
    for username in ("other_head", "leader", "office"):
        _as(client, username)
        assert _report(client, milestone).status_code == 403
    assert db.session.scalar(select(func.count(ProgressReport.id))) == 0


def test_an_extension_moves_the_future_and_keeps_the_past(client, desk, app):
    task = desk["task"]
    app.config["TODAY"] = "2022-03-10"
    _as(client, "reporter")
    _report(client, task.milestones[0])
    _as(client, "head")
    response = client.post_form(f"/tasks/{task.id}/requests/extension",
                                {"reason": "项目审批延后", "due_date": "2022-12-01"},
                                follow_redirects=True)
    assert "必须晚于" in response.get_data(as_text=True)
    client.post_form(f"/tasks/{task.id}/requests/extension",
                     {"reason": "项目审批延后", "due_date": "2023-03-31"})
    request = db.session.scalar(select(TaskRequest))
    _as(client, "office")
    client.post_form(f"/requests/{request.id}/decide", {"decision": "approve"})
    task = _reload(Task, task.id)
    assert task.due_date == date(2023, 3, 31)
    assert [m.period for m in task.milestones][-3:] == ["2023-01", "2023-02", "2023-03"]
    assert task.milestones[0].reports[0].text == "一月新签约项目 6 个"
    assert task.milestones[-1].planned_value_for(task.targets[0].id) == Decimal(60)
    history = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "2022-12-31 → 2023-03-31" in history


def test_completion_is_requested_then_approved_or_rejected(client, desk):
    task = desk["task"]
    _as(client, "head")
    client.post_form(f"/tasks/{task.id}/acknowledge")
    client.post_form(f"/tasks/{task.id}/requests/completion", {"reason": "已签约 61 个"})
    assert _reload(Task, task.id).status == "completion_requested"
    request = db.session.scalar(select(TaskRequest))
    _as(client, "office")
    client.post_form(f"/requests/{request.id}/decide",
                     {"decision": "reject", "comment": "请补充签约清单"})
    assert _reload(Task, task.id).status == "in_progress"
    _as(client, "head")
    client.post_form(f"/tasks/{task.id}/requests/completion", {"reason": "清单已补充"})
    request = db.session.scalar(select(TaskRequest).where(TaskRequest.status == "pending"))
    _as(client, "office")
    client.post_form(f"/requests/{request.id}/decide", {"decision": "approve"})
    task = _reload(Task, task.id)
    assert task.status == "done" and task.light(date(2022, 6, 1), date(2022, 6, 3)) is None
    _as(client, "reporter")
    response = _report(client, task.milestones[5])
    assert "不能再办理" in response.get_data(as_text=True)


def test_the_office_edits_the_monthly_plan(client, desk):
    task = desk["task"]
    _as(client, "office")
    page = client.get(f"/tasks/{task.id}/plan").get_data(as_text=True)
    assert "2022-12" in page
    data = {f"rows-{i}-milestone_id": str(m.id) for i, m in enumerate(task.milestones)}
    data |= {f"rows-{i}-values-0-target_id": str(task.targets[0].id)
             for i in range(len(task.milestones))}
    data |= {f"rows-{i}-values-0-value": str(3 * (i + 1)) for i in range(12)}
    data["rows-0-planned_work"] = "走访重点客商 10 家"
    assert client.post_form(f"/tasks/{task.id}/plan", data).status_code == 302
    task = _reload(Task, task.id)
    assert task.milestones[0].planned_work == "走访重点客商 10 家"
    assert task.milestones[1].planned_value_for(task.targets[0].id) == Decimal(6)
    data["rows-1-values-0-value"] = "很多"
    response = client.post_form(f"/tasks/{task.id}/plan", data)
    assert "不是有效的小数" in response.get_data(as_text=True)
    _as(client, "head")
    assert client.post_form(f"/tasks/{task.id}/plan", data).status_code == 403


def test_a_masked_target_gives_no_value_light(app):
    unit = make_unit()
    task = make_task(unit, targets=[TargetData(metric="营业收入增长", value=None,
                                               measure_unit="%", cumulative=False)])
    from taskboard.tasks.workflow import behind_points

    assert behind_points(task.milestones[-1], {task.targets[0].id: Decimal(1)}) is None
