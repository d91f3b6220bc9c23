"""The pages and the API go through the same loaders and the same workflow entry points.

A soft-deleted task's report, request or file is gone on both (404), and the same input gets
the same answer on a page (a flashed message) and in the API (a JSON error).
"""
from datetime import date

import pytest
from conftest import PASSWORD, make_report
from sqlalchemy import func, select

from taskboard.extensions import db
from taskboard.tasks.models import Attachment, ProgressReport, TaskRequest
from taskboard.tasks.services import soft_delete_task

PDF = b"%PDF-1.4\n%evidence\n"


@pytest.fixture
def both(client, world):
    """``both(username)`` → (post on a page → its HTML, post to the API → its response)."""
    def sign_in(username: str):
        client.post_form("/logout")
        client.login(username)
        token = client.post("/api/v1/token", json={"username": username,
                                                   "password": PASSWORD}).json["token"]

        def page(url: str, data: dict | None = None, **kwargs):
            return client.post_form(url, data or {}, follow_redirects=True, **kwargs)

        def api(url: str, body: dict | None = None):
            return client.post(f"/api/v1{url}", json=body or {},
                               headers={"Authorization": f"Bearer {token}"})
        return page, api
    return sign_in


@pytest.fixture
def deleted(world):
    """A report with a file and a pending objection, then their task soft-deleted."""
    task = world["own_task"]
    report = make_report(task.milestones[0], world["users"]["reporter"], date(2022, 1, 28),
                         review_status="pending")
    other = make_report(task.milestones[1], world["users"]["reporter"], date(2022, 2, 25))
    attachment = Attachment(report=report, filename="清单.pdf", content_type="application/pdf",
                            size=len(PDF), data=PDF)
    objection = TaskRequest(task=task, kind="objection", requested_by=world["users"]["unit_head"],
                            reason="不是我们的")
    db.session.add_all([attachment, objection])
    db.session.commit()
    ids = {"task": task.id, "milestone": task.milestones[2].id, "report": report.id,
           "other_report": other.id, "attachment": attachment.id, "request": objection.id}
    soft_delete_task(task)
    db.session.commit()
    return ids


def test_a_soft_deleted_tasks_report_request_and_file_are_404_on_the_pages(client, deleted):
    client.login("office")
    assert client.post_form(f"/reports/{deleted['report']}/review",
                            {"decision": "accept"}).status_code == 404
    assert client.post_form(f"/requests/{deleted['request']}/decide",
                            {"decision": "reject", "comment": "不同意"}).status_code == 404
    assert client.get(f"/reports/{deleted['report']}/files/"
                      f"{deleted['attachment']}").status_code == 404
    assert client.get(f"/milestones/{deleted['milestone']}/report").status_code == 404
    db.session.expire_all()
    assert db.session.get(ProgressReport, deleted["report"]).review_status == "pending"
    assert db.session.get(TaskRequest, deleted["request"]).status == "pending"


def test_a_soft_deleted_tasks_report_and_request_are_404_in_the_api(both, deleted):
    _page, api = both("office")
    for url, body in [(f"/reports/{deleted['report']}/review", {"decision": "accept"}),
                      (f"/requests/{deleted['request']}/decision",
                       {"decision": "reject", "comment": "不同意"}),
                      (f"/milestones/{deleted['milestone']}/reports", {"text": "已完成"})]:
        response = api(url, body)
        assert response.status_code == 404, url
        assert response.json["error"] == {"code": "not_found", "message": "您要找的内容不存在。"}
    db.session.expire_all()
    assert db.session.get(ProgressReport, deleted["report"]).review_status == "pending"
    assert db.session.get(TaskRequest, deleted["request"]).status == "pending"


def test_a_file_is_found_only_under_its_own_report(client, world):
    task = world["own_task"]
    report = make_report(task.milestones[0], world["users"]["reporter"], date(2022, 1, 28))
    other = make_report(task.milestones[1], world["users"]["reporter"], date(2022, 2, 25))
    attachment = Attachment(report=report, filename="清单.pdf", content_type="application/pdf",
                            size=len(PDF), data=PDF)
    db.session.add(attachment)
    db.session.commit()
    client.login("office")
    assert client.get(f"/reports/{report.id}/files/{attachment.id}").data == PDF
    assert client.get(f"/reports/{other.id}/files/{attachment.id}").status_code == 404


# ---- the same input, the same answer on a page and in the API --------------------------------

def _refused_alike(page_html: str, api_response, status: int, message: str) -> None:
    assert api_response.status_code == status
    error = api_response.json["error"]
    assert message in ((error.get("fields") or {}).values() if status == 422
                       else [error["message"]])
    assert message in page_html


def test_acknowledge_twice_is_refused_alike(both, world):
    task = world["own_task"]
    page, api = both("reporter")
    assert api(f"/tasks/{task.id}/acknowledge").status_code == 200
    refused = api(f"/tasks/{task.id}/acknowledge")
    _refused_alike(page(f"/tasks/{task.id}/acknowledge").get_data(as_text=True), refused,
                   409, refused.json["error"]["message"])
    assert refused.json["error"]["message"].startswith("该事项已于")


def test_make_request_refuses_an_earlier_due_date_alike(both, world):
    task = world["own_task"]
    page, api = both("head")
    body = {"reason": "审批延后", "due_date": "2022-06-30"}
    html = page(f"/tasks/{task.id}/requests/extension", body).get_data(as_text=True)
    _refused_alike(html, api(f"/tasks/{task.id}/requests", {"kind": "extension", **body}),
                   422, "新的完成时限必须晚于现在的 2022-12-31。")
    assert db.session.scalar(select(func.count(TaskRequest.id))) == 0


@pytest.mark.parametrize("decision, message", [
    ({"decision": "approve"}, "同意异议时请选择新的责任单位。"),
    ({"decision": "reject"}, "驳回时请写明理由。"),
])
def test_decide_request_refuses_alike(both, world, decision, message):
    task = world["own_task"]
    objection = TaskRequest(task=task, kind="objection", requested_by=world["users"]["unit_head"],
                            reason="不是我们的")
    db.session.add(objection)
    db.session.commit()
    page, api = both("office")
    html = page(f"/requests/{objection.id}/decide", decision).get_data(as_text=True)
    _refused_alike(html, api(f"/requests/{objection.id}/decision", decision), 422, message)
    db.session.expire_all()
    assert db.session.get(TaskRequest, objection.id).status == "pending"


def test_decide_request_upholds_an_objection_alike(both, world):
    """Upheld on a page and in the API, two objections move their tasks the same way."""
    tasks = [world["own_task"], world["foreign_task"]]
    new_units = [world["units"]["partner"], world["units"]["ours"]]
    objections = [TaskRequest(task=task, kind="objection", reason="不是我们的",
                              requested_by=world["users"]["unit_head"]) for task in tasks]
    db.session.add_all(objections)
    db.session.commit()
    page, api = both("office")
    page(f"/requests/{objections[0].id}/decide",
         {"decision": "approve", "unit_id": new_units[0].id})
    assert api(f"/requests/{objections[1].id}/decision",
               {"decision": "approve", "unit_id": new_units[1].id}).status_code == 200
    db.session.expire_all()
    for task, unit, objection in zip(tasks, new_units, objections, strict=True):
        task, objection = db.session.merge(task), db.session.merge(objection)
        assert (task.responsible_unit_id, task.status, task.acknowledged_at) == \
            (unit.id, "assigned", None)
        assert (objection.status, objection.decision_comment) == \
            ("approved", f"改由{unit.name}负责。")


def test_review_report_refuses_alike(both, world):
    task = world["own_task"]
    report = make_report(task.milestones[0], world["users"]["reporter"], date(2022, 1, 28),
                         review_status="pending")
    page, api = both("office")
    html = page(f"/reports/{report.id}/review", {"decision": "return"}).get_data(as_text=True)
    _refused_alike(html, api(f"/reports/{report.id}/review", {"decision": "return"}), 422,
                   "退回时请写明需要补充或修改的内容。")


def test_submit_report_refuses_alike(both, world):
    task = world["own_task"]
    milestone = task.milestones[0]
    make_report(milestone, world["users"]["reporter"], date(2022, 1, 28),
                review_status="pending")
    page, api = both("reporter")
    html = page(f"/milestones/{milestone.id}/report",
                {"text": "再报一次", "values-0-target_id": str(task.targets[0].id),
                 "values-0-value": "5"}).get_data(as_text=True)
    _refused_alike(html, api(f"/milestones/{milestone.id}/reports",
                             {"text": "再报一次", "values": {str(task.targets[0].id): 5}}),
                   409, "本月已有一份报告在等待审核，审核后才能再报。")


def test_resume_refuses_alike(both, world):
    task = world["own_task"]
    page, api = both("office")
    html = page(f"/tasks/{task.id}/resume").get_data(as_text=True)
    _refused_alike(html, api(f"/tasks/{task.id}/resume"), 422, "该事项没有暂缓，无需恢复办理。")


def test_decide_request_names_a_unit_that_does_not_exist(both, world):
    objection = TaskRequest(task=world["own_task"], kind="objection", reason="不是我们的",
                            requested_by=world["users"]["unit_head"])
    db.session.add(objection)
    db.session.commit()
    _page, api = both("office")
    response = api(f"/requests/{objection.id}/decision",
                   {"decision": "approve", "unit_id": 999999})
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {"unit_id": "单位不存在。"}
