"""Task status as one type: the named sets, the transition table, and 暂缓 built on them."""
import re
from datetime import date, timedelta
from io import BytesIO

import pytest
from conftest import PASSWORD, TODAY, make_task, make_unit, make_user
from openpyxl import load_workbook
from sqlalchemy import func, select

from taskboard import labels
from taskboard.auth.models import User
from taskboard.awards.scoring import AwardSettings, score_month
from taskboard.calendar.workdays import WorkCalendar
from taskboard.digest import services as digest
from taskboard.errors import ValidationError
from taskboard.extensions import db
from taskboard.followup import settings as followup_settings
from taskboard.followup.models import Notification
from taskboard.followup.sweep import sweep
from taskboard.tasks import workflow
from taskboard.tasks.models import TASK_STATUSES, TRANSITIONS, Task, TaskStatus
from taskboard.tasks.queries import as_of, task_lights

REASON = "上级部署调整，项目选址待定"
SWEPT = ("due_soon", "overdue", "unsigned")


def _task(task_id: int) -> Task:
    db.session.expire_all()
    return db.session.get(Task, task_id)


def test_one_type_with_named_sets():
    assert tuple(status.value for status in TaskStatus) == TASK_STATUSES
    assert set(labels.STATUSES) == set(TaskStatus) == set(TRANSITIONS)
    assert TaskStatus.LIVE < TaskStatus.RANKED and not TaskStatus.LIVE & TaskStatus.CLOSED
    assert TaskStatus.SUSPENDED not in TaskStatus.LIVE | TaskStatus.RANKED | TaskStatus.CLOSED
    assert TaskStatus.CANCELLED not in TaskStatus.RANKED
    # Only live tasks are suspended, and a suspended one goes back to a live status only.
    assert {s for s, moves in TRANSITIONS.items() if TaskStatus.SUSPENDED in moves} \
        == TaskStatus.LIVE
    assert TRANSITIONS[TaskStatus.SUSPENDED] == TaskStatus.LIVE
    assert not TRANSITIONS[TaskStatus.DONE] and not TRANSITIONS[TaskStatus.CANCELLED]


@pytest.fixture
def two_units(app):
    """Two units with a task each, assigned on 1 January and never reported since."""
    tasks = {}
    for code, name in (("paused", "区城建局"), ("live", "区招商局")):
        unit = make_unit(code, name)
        make_user(f"{code}_head", "unit_head", unit)
        make_user(f"{code}_reporter", "reporter", unit)
        tasks[code] = make_task(unit, title=f"{name}的事项", targets=[])
    make_user("office", "office")
    return tasks


def _as(client, username: str) -> None:
    client.post_form("/logout")
    client.login(username)


def _swept(task_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.task_id == task_id, Notification.kind.in_(SWEPT)))


def test_a_suspended_task_is_not_reminded_lit_or_ranked(two_units):
    paused, live = two_units["paused"], two_units["live"]
    horizon = as_of(TODAY).horizon
    assert {t.unit_name for t in score_month("2022-05", AwardSettings(), WorkCalendar())} \
        == {"区城建局", "区招商局"}
    assert task_lights([paused.id], as_of(TODAY)) == {paused.id: "red"}

    workflow.suspend(paused, reason=REASON, today=date(2022, 5, 31))
    db.session.commit()

    result = sweep(TODAY, WorkCalendar.load(), followup_settings.load())
    db.session.commit()
    assert result.escalations and _swept(live.id) and _task(live.id).card == "red"
    assert _swept(paused.id) == 0 and _task(paused.id).card == "none"

    paused = _task(paused.id)
    assert paused.light(TODAY, horizon) is None
    assert {m.light(TODAY, horizon) for m in paused.milestones} == {None}
    assert task_lights([paused.id, live.id], as_of(TODAY)) == {paused.id: None, live.id: "red"}
    assert not paused.is_overdue(TODAY)
    ranked = score_month("2022-05", AwardSettings(), WorkCalendar())
    assert [t.unit_name for t in ranked] == ["区招商局"]


def test_the_office_suspends_and_resumes_on_the_task_page(client, two_units):
    task = two_units["paused"]
    _as(client, "paused_head")
    client.post_form(f"/tasks/{task.id}/acknowledge")
    assert _task(task.id).status == TaskStatus.IN_PROGRESS
    _as(client, "office")
    assert "light-dot" in client.get(f"/tasks/{task.id}").get_data(as_text=True)

    page = client.post_form(f"/tasks/{task.id}/suspend", {"reason": REASON},
                            follow_redirects=True).get_data(as_text=True)
    task = _task(task.id)
    assert (task.status, task.suspended_from, task.suspended_reason, task.suspended_on) == (
        TaskStatus.SUSPENDED, TaskStatus.IN_PROGRESS, REASON, TODAY)
    assert f"{task.code} 已暂缓" in page and REASON in page and "恢复办理" in page
    assert "状态：办理中 → 暂缓" in page and f"暂缓理由：— → {REASON}" in page
    assert "light-dot" not in page  # neither the task nor any month has a light

    listed = client.get("/tasks/?status=suspended").get_data(as_text=True)
    assert task.title in listed and "暂缓" in listed and two_units["live"].title not in listed
    board = client.get("/").get_data(as_text=True)
    assert re.search(r'data-status="suspended">1<', board)
    # Its months not reported are on hold in the wall chart, neither 应报 nor 逾期.
    assert board.count(f'title="{TODAY:%Y-%m} 暂缓"') == 1  # the live task's month is 应报
    assert board.count(f'title="{TODAY:%Y-%m} 应报"') == 1
    sheet = load_workbook(BytesIO(client.get("/ledger.xlsx").data)).active
    header = [c.value for c in sheet[1]]
    rows = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows[task.code][header.index("状态")] == "暂缓"
    monday = TODAY + timedelta(days=7 - TODAY.weekday())
    office = db.session.scalar(select(User).where(User.username == "office"))
    changes = [c.text for c in digest.build(office, monday).changes if c.task.id == task.id]
    assert changes == [f"暂缓：{REASON}"]

    # The unit cannot work on it meanwhile: no 签收, report or request buttons, and a refusal.
    _as(client, "paused_head")
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "申请延期" not in page and "恢复办理" not in page
    refused = client.post_form(f"/tasks/{task.id}/requests/extension",
                               {"reason": "来不及", "due_date": "2023-06-30"},
                               follow_redirects=True).get_data(as_text=True)
    assert "该事项已暂缓" in refused and not _task(task.id).requests

    _as(client, "office")
    page = client.post_form(f"/tasks/{task.id}/resume", follow_redirects=True) \
        .get_data(as_text=True)
    task = _task(task.id)
    assert (task.status, task.suspended_from, task.suspended_reason, task.suspended_on) == (
        TaskStatus.IN_PROGRESS, None, "", None)
    assert f"{task.code} 已恢复办理" in page and "状态：暂缓 → 办理中" in page


def test_suspending_needs_the_office_and_a_reason(client, two_units):
    task = two_units["paused"]
    _as(client, "paused_head")
    assert client.post_form(f"/tasks/{task.id}/suspend", {"reason": REASON}).status_code == 403
    _as(client, "office")
    page = client.post_form(f"/tasks/{task.id}/suspend", {"reason": "  "},
                            follow_redirects=True).get_data(as_text=True)
    assert "请说明暂缓理由。" in page
    assert _task(task.id).status == TaskStatus.ASSIGNED
    with pytest.raises(ValidationError) as refused:
        workflow.suspend(_task(task.id), reason="", today=TODAY)
    assert set(refused.value.errors) == {"reason"}


def test_illegal_transitions_are_refused_and_change_nothing(client, two_units):
    task = two_units["paused"]
    with pytest.raises(ValidationError) as refused:
        workflow.transition(task, TaskStatus.DONE)  # 办结 only after 申请办结
    assert refused.value.errors["status"] == "事项当前状态为“已交办”，不能改为“已办结”。"
    assert task.status == TaskStatus.ASSIGNED

    _as(client, "office")
    page = client.post_form(f"/tasks/{task.id}/resume", follow_redirects=True) \
        .get_data(as_text=True)
    assert "该事项没有暂缓，无需恢复办理。" in page and _task(task.id).status == "assigned"

    db.session.execute(db.update(Task).where(Task.id == task.id).values(status="done"))
    db.session.commit()
    page = client.post_form(f"/tasks/{task.id}/suspend", {"reason": REASON},
                            follow_redirects=True).get_data(as_text=True)
    assert "事项当前状态为“已办结”，不能改为“暂缓”。" in page
    task = _task(task.id)
    assert (task.status, task.suspended_from, task.suspended_reason) == ("done", None, "")


def _api(client, username: str):
    """Calls to /api/v1 with ``username``'s bearer token."""
    token = client.post("/api/v1/token", json={"username": username,
                                               "password": PASSWORD}).json["token"]

    def call(method: str, url: str, json=None):
        return client.open(f"/api/v1{url}", method=method, json=json,
                           headers={"Authorization": f"Bearer {token}"})
    return call


def test_suspend_and_resume_through_the_api(client, two_units):
    task = two_units["paused"]
    head, office = _api(client, "paused_head"), _api(client, "office")
    assert head("POST", f"/tasks/{task.id}/requests",
                {"kind": "completion", "reason": "已全部完成"}).status_code == 201
    assert head("POST", f"/tasks/{task.id}/suspend", {"reason": REASON}).status_code == 403

    missing = office("POST", f"/tasks/{task.id}/suspend", {"reason": ""})
    assert missing.status_code == 422 and missing.json["error"]["code"] == "validation_error"
    assert set(missing.json["error"]["fields"]) == {"reason"}

    done = office("POST", f"/tasks/{task.id}/suspend", {"reason": REASON})
    assert done.status_code == 200 and done.json["status"] == "suspended"
    assert done.json["light"] is None and done.json["suspension"] == {
        "reason": REASON, "since": TODAY.isoformat(), "resumes_to": "completion_requested"}
    listed = office("GET", "/tasks?status=suspended").json["items"]
    assert [item["id"] for item in listed] == [task.id]

    again = office("POST", f"/tasks/{task.id}/suspend", {"reason": REASON})
    assert again.status_code == 422
    assert again.json["error"]["fields"]["status"] == "事项当前状态为“暂缓”，不能改为“暂缓”。"
    # The office cannot settle the request while the task is on hold; the unit cannot report.
    request_id = _task(task.id).requests[0].id
    decided = office("POST", f"/requests/{request_id}/decision", {"decision": "approve"})
    assert decided.status_code == 409 and "暂缓" in decided.json["error"]["message"]
    milestone_id = _task(task.id).milestones[0].id
    report = head("POST", f"/milestones/{milestone_id}/reports", {"text": "补报"})
    assert report.status_code == 409
    assert _task(task.id).status == TaskStatus.SUSPENDED

    resumed = office("POST", f"/tasks/{task.id}/resume")
    assert resumed.status_code == 200 and resumed.json["status"] == "completion_requested"
    assert resumed.json["suspension"] is None
    assert office("POST", f"/tasks/{task.id}/resume").status_code == 422
    approved = office("POST", f"/requests/{request_id}/decision", {"decision": "approve"})
    assert approved.status_code == 200 and _task(task.id).status == TaskStatus.DONE
