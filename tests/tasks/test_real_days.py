"""Nothing lost, nothing wrong on real days: work registered late, extensions, figures, limits,
history in words, event times of a rehearsal, and two clicks at once."""
import io
import re
import threading
from datetime import UTC, date, timedelta
from decimal import Decimal

import pytest
from conftest import PASSWORD, TODAY, make_task, make_unit, make_user
from flask import Flask
from sqlalchemy import func, select

from taskboard.awards.scoring import load_settings, score_month
from taskboard.calendar.workdays import WorkCalendar
from taskboard.clock import SHANGHAI, now
from taskboard.errors import Conflict, ValidationError
from taskboard.extensions import db
from taskboard.followup.models import Notification
from taskboard.followup.services import run_sweep
from taskboard.meetings.models import Meeting
from taskboard.meetings.services import add_unit_from_speech, confirm_proposals, create_meeting
from taskboard.tasks import workflow
from taskboard.tasks.models import Milestone, ProgressReport, Task, TaskRequest
from taskboard.tasks.queries import as_of, task_lights
from taskboard.tasks.services import TargetData, TaskData, create_task
from taskboard.units.models import Unit

SPEECH = "一要加快项目建设。新签约亿元以上产业项目不少于12个，由区招商局负责，6月底前完成。"


@pytest.fixture
def desk(app):
    ours = make_unit("zsj", "区招商局")
    users = {name: make_user(name, role, unit) for name, role, unit in [
        ("office", "office", None), ("office2", "office", None), ("head", "unit_head", ours),
        ("reporter", "reporter", ours), ("leader", "leader", None)]}
    return {"unit": ours, "users": users}


def _as(client, username):
    client.post_form("/logout")
    client.login(username)
    return client


def _meeting(meeting_date: date, office, year: int = 2022) -> Meeting:
    """A meeting whose one proposal is ticked and given to 区招商局."""
    meeting = create_meeting(title="务虚会", meeting_date=meeting_date, kind="speech",
                             full_text=SPEECH, created_by=office, year=year)
    unit = db.session.scalar(select(Unit).where(Unit.code == "zsj"))
    for proposal in meeting.proposals:
        proposal.responsible_unit_id, proposal.selected = unit.id, proposal.position == 0
    db.session.commit()
    return meeting


# ---- 3: work registered late starts on the day it is assigned ----------------------------

def test_a_january_meeting_confirmed_in_june_starts_in_june_and_is_not_red(client, desk):
    meeting = _meeting(date(2022, 1, 10), desk["users"]["office"])
    _as(client, "office")
    page = client.get(f"/meetings/{meeting.id}/review").get_data(as_text=True)
    assert 'name="start_date"' in page and 'value="2022-06-15"' in page
    assert "已过去一个多月" in page
    [task] = confirm_proposals(meeting, [], today=TODAY)
    db.session.commit()
    assert task.start_date == TODAY and task.assigned_on == TODAY
    assert task.milestones[0].period == "2022-06"
    assert all(m.due_date >= TODAY for m in task.milestones)
    assert task.light(TODAY, as_of(TODAY).horizon) != "red"
    assert run_sweep(TODAY)["escalations"] == 0
    assert db.session.scalar(select(func.count(Notification.id)).where(
        Notification.kind == "overdue")) == 0


def test_a_december_speech_confirmed_in_december_starts_next_year(app, desk):
    meeting = _meeting(date(2021, 12, 28), None)
    [task] = confirm_proposals(meeting, [], today=date(2021, 12, 29))
    assert task.start_date == date(2022, 1, 1)


def test_an_earlier_start_on_purpose_is_neither_reminded_nor_ranked(app, desk):
    meeting = _meeting(date(2022, 1, 10), desk["users"]["office"])
    [task] = confirm_proposals(meeting, [], today=TODAY, start_date=date(2022, 1, 10))
    db.session.commit()
    assert task.milestones[0].period == "2022-01"
    assert all(m.due_date >= task.start_date for m in task.milestones)
    run_sweep(TODAY)
    db.session.commit()
    assert db.session.scalar(select(func.count(Notification.id)).where(
        Notification.kind == "overdue")) == 0
    calendar = WorkCalendar.load()
    assert score_month("2022-05", load_settings(), calendar) == []
    assert [t.due for t in score_month("2022-06", load_settings(), calendar)] == [1]


def test_an_earlier_start_on_purpose_is_not_red_for_the_months_before_assignment(client, desk):
    meeting = _meeting(date(2022, 1, 10), desk["users"]["office"])
    [task] = confirm_proposals(meeting, [], today=TODAY, start_date=date(2022, 1, 10))
    db.session.commit()
    horizon = as_of(TODAY).horizon
    january = task.milestones[0]
    assert not january.is_owed and not january.is_overdue(TODAY)
    assert january.light(TODAY, horizon) is None
    assert task.light(TODAY, horizon) != "red"
    assert task_lights([task.id], as_of(TODAY)) == {task.id: task.light(TODAY, horizon)}
    _as(client, "leader")
    page = client.get("/").get_data(as_text=True)
    assert 'title="2022-01 交办前"' in page and 'title="2022-05 交办前"' in page
    assert "2022-06 逾期" not in page and "2022-01 逾期" not in page


def test_a_new_task_through_the_api_starts_today(client, desk):
    token = client.post("/api/v1/token", json={"username": "office", "password": PASSWORD}
                        ).json["token"]
    response = client.post("/api/v1/tasks", json={
        "title": "晚登记", "due_date": "2022-12-31", "responsible_unit_id": desk["unit"].id},
        headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201, response.json
    task = db.session.get(Task, response.json["id"])
    assert task.start_date == TODAY and task.milestones[0].period == "2022-06"


# ---- 4 and 7: plans that rise, counts in whole numbers -----------------------------------

def test_an_extension_keeps_a_cumulative_plan_rising(app, desk):
    task = make_task(desk["unit"], title="封关运作面积", due=date(2022, 6, 30), targets=[
        TargetData(metric="封关运作面积", value=Decimal(1), measure_unit="平方公里")])
    before = [m.planned_value_for(task.targets[0].id) for m in task.milestones]
    request = workflow.request_extension(task, desk["users"]["head"], due_date=date(2022, 12, 31),
                                         reason="征地未完成")
    workflow.decide_extension(request, desk["users"]["office"], approve=True, comment="",
                              today=TODAY, calendar=WorkCalendar.load())
    db.session.commit()
    plan = [m.planned_value_for(task.targets[0].id) for m in task.milestones]
    assert plan[:5] == before[:5]  # January–May are history
    assert plan == sorted(plan) and plan[-1] == Decimal(1) and len(plan) == 12
    assert plan[5] > plan[4]


@pytest.mark.parametrize(("value", "unit", "months", "expected"), [
    (Decimal(1), "份", 9, [0] * 8 + [1]),
    (Decimal(100), "件", 12, [8, 16, 25, 33, 41, 50, 58, 66, 75, 83, 91, 100]),
])
def test_counts_are_planned_in_whole_numbers(app, desk, value, unit, months, expected):
    task = make_task(desk["unit"], start=date(2022, 13 - months, 1), targets=[
        TargetData(metric="数量", value=value, measure_unit=unit)])
    assert [m.planned_value_for(task.targets[0].id) for m in task.milestones] == expected


# ---- 5 and 7: figures validated per target -------------------------------------------------

def _report_form(milestone, **fields):
    data = {"text": "本月完成情况", "values-0-target_id": str(milestone.task.targets[0].id)}
    return {**data, **fields}


def test_report_figures_are_checked_per_target(client, desk):
    task = make_task(desk["unit"], targets=[
        TargetData(metric="新签约项目", value=Decimal(60), measure_unit="个"),
        TargetData(metric="增速", value=Decimal(5), measure_unit="%", cumulative=False)])
    june = next(m for m in task.milestones if m.period == "2022-06")
    _as(client, "reporter")
    url = f"/milestones/{june.id}/report"
    rate = {"values-1-target_id": str(task.targets[1].id), "values-1-value": "-1.5"}
    page = client.post_form(url, _report_form(june, **{"values-0-value": "-5"}, **rate)
                            ).get_data(as_text=True)
    assert "“新签约项目”不能为负数" in page and "本月完成情况" in page
    page = client.post_form(url, _report_form(june, **rate)).get_data(as_text=True)
    assert "请填写“新签约项目”的实际值；本月没有统计数据时请勾选“暂无数据”" in page
    assert db.session.scalar(select(func.count(ProgressReport.id))) == 0
    response = client.post_form(url, _report_form(june, **{"values-0-no_data": "y"}, **rate))
    assert response.status_code == 302
    report = db.session.scalar(select(ProgressReport))
    assert report.value_for(task.targets[0].id) is None  # no figure, not a zero
    assert report.value_for(task.targets[1].id) == Decimal("-1.5")  # a rate may fall


# ---- 8: an oversized form answers on its page with what was typed -------------------------

def test_an_oversized_report_keeps_what_was_typed(client, desk, app):
    task = make_task(desk["unit"])
    june = next(m for m in task.milestones if m.period == "2022-06")
    _as(client, "reporter")
    photo = b"\xff\xd8\xff\xe0" + b"\x00" * (9 * 1024 * 1024)
    data = _report_form(june, **{"values-0-value": "7"})
    data["text"] = "六月新签约项目 7 个，详见照片"
    data["files"] = [(io.BytesIO(photo), "一.jpg"), (io.BytesIO(photo), "二.jpg")]
    response = client.post_form(f"/milestones/{june.id}/report", data,
                                content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "六月新签约项目 7 个，详见照片" in page and 'value="7"' in page
    assert "超过 16 MB 的上限" in page
    assert db.session.scalar(select(func.count(ProgressReport.id))) == 0


# ---- 9: due dates within five years -------------------------------------------------------

def test_a_due_date_more_than_five_years_away_is_refused(client, desk):
    data = TaskData(title="远期", responsible_unit_id=desk["unit"].id, start_date=TODAY,
                    due_date=date(9999, 12, 31))
    with pytest.raises(ValidationError) as refused:
        create_task(data, today=TODAY)
    assert "最晚为开始日期后 5 年（2027-06-15）" in refused.value.errors["due_date"]
    db.session.rollback()
    task = make_task(desk["unit"])
    with pytest.raises(ValidationError):
        workflow.request_extension(task, desk["users"]["head"], due_date=date(2030, 1, 1),
                                   reason="x")


# ---- 6 (history) and 10 (event times) -----------------------------------------------------

def test_the_history_is_in_words(client, desk):
    task = make_task(desk["unit"])
    _as(client, "office")
    client.post_form(f"/tasks/{task.id}/edit", {
        "title": task.title, "responsible_unit_id": desk["unit"].id, "level": "listed",
        "start_date": "2022-01-01", "due_date": "2022-12-31",
        "targets-0-metric": "新签约亿元以上产业项目", "targets-0-comparator": ">=",
        "targets-0-value": "80", "targets-0-measure_unit": "个", "targets-0-cumulative": "y"})
    task.card = "red"
    workflow.request_completion(task, desk["users"]["head"], summary="已完成")
    db.session.commit()
    request = db.session.scalar(select(TaskRequest))
    workflow.decide_completion(request, desk["users"]["office"], approve=True, comment="")
    db.session.commit()
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    for words in ("状态：申请办结 → 已办结", "督办级别：一般 → 挂牌督办", "督办牌：无 → 红牌",
                  "目标值：60 → 80", "处理人：— → office"):
        assert words in page, words
    assert "planned_value" not in page and "decided_by_id" not in page
    client.get("/lang/en")
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "Status: Completion requested → Completed" in page
    assert "Card: None → Red card" in page


def test_event_times_follow_the_rehearsed_day(client, desk):
    task = make_task(desk["unit"])
    _as(client, "reporter")
    client.post_form(f"/tasks/{task.id}/acknowledge")
    db.session.expire_all()
    task = db.session.get(Task, task.id)
    local = task.acknowledged_at.replace(tzinfo=UTC).astimezone(SHANGHAI)
    assert local.date() == TODAY
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert re.search(r"于 2022-06-15 \d\d:\d\d 签收", page)
    assert now().date() in (TODAY, TODAY - timedelta(days=1))  # UTC of a Shanghai day


# ---- 6: simultaneous clicks, guarded by the database --------------------------------------

def _at_once(app: Flask, *actions) -> list:
    """Run each action in its own thread, session and transaction, released together."""
    barrier, outcomes = threading.Barrier(len(actions)), [None] * len(actions)

    def run(index, action):
        with app.app_context():
            try:
                prepared = action[0]()
                barrier.wait(timeout=10)
                outcomes[index] = action[1](prepared)
                db.session.commit()
            except (Conflict, ValidationError) as refused:
                db.session.rollback()
                outcomes[index] = refused
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_an_accept_and_a_return_at_once_leave_one_decision(app, desk):
    task = make_task(desk["unit"])
    june = next(m for m in task.milestones if m.period == "2022-06")
    report = workflow.submit_report(june, desk["users"]["reporter"], text="报告",
                                    values={task.targets[0].id: Decimal(30)}, files=[],
                                    today=TODAY, calendar=WorkCalendar())
    db.session.commit()
    report_id, users = report.id, {n: u.id for n, u in desk["users"].items()}

    def decide(who, accept):
        def load():
            return db.session.get(ProgressReport, report_id), db.session.get(
                type(desk["users"]["office"]), users[who])
        return load, lambda pair: workflow.review_report(pair[0], pair[1], accept=accept,
                                                         comment="请补充")

    outcomes = _at_once(app, decide("office", True), decide("office2", False))
    assert sum(isinstance(o, Conflict) for o in outcomes) == 1
    db.session.expire_all()
    report = db.session.get(ProgressReport, report_id)
    winner = "accepted" if not isinstance(outcomes[0], Conflict) else "returned"
    assert report.review_status == winner
    assert report.milestone.status == ("done" if winner == "accepted" else "open")
    kinds = db.session.scalars(select(Notification.kind).where(
        Notification.kind.like("report_%")).distinct()).all()
    assert kinds == [f"report_{winner}"]  # the unit hears only the decision that stood


def test_two_decisions_on_one_request_at_once(app, desk):
    task = make_task(desk["unit"])
    request = workflow.request_completion(task, desk["users"]["head"], summary="完成")
    db.session.commit()
    request_id, office_ids = request.id, (desk["users"]["office"].id, desk["users"]["office2"].id)

    def decide(user_id, approve):
        def load():
            return db.session.get(TaskRequest, request_id), db.session.get(
                type(desk["users"]["office"]), user_id)
        return load, lambda pair: workflow.decide_completion(pair[0], pair[1], approve=approve,
                                                             comment="不同意")

    outcomes = _at_once(app, decide(office_ids[0], True), decide(office_ids[1], False))
    assert sum(isinstance(o, Conflict) for o in outcomes) == 1
    db.session.expire_all()
    request = db.session.get(TaskRequest, request_id)
    assert request.status in ("approved", "rejected")
    assert request.task.status == ("done" if request.status == "approved" else "in_progress")


def test_a_suspension_and_an_approved_completion_at_once_leave_one_move(app, desk):
    """Both start from 申请办结: the status moves once, and what stands is consistent."""
    task = make_task(desk["unit"])
    request = workflow.request_completion(task, desk["users"]["head"], summary="完成")
    db.session.commit()
    task_id, request_id, office_id = task.id, request.id, desk["users"]["office"].id

    def load():
        return db.session.get(TaskRequest, request_id), db.session.get(
            type(desk["users"]["office"]), office_id)

    outcomes = _at_once(
        app, (load, lambda pair: workflow.suspend(pair[0].task, reason="规划调整",
                                                  today=TODAY)),
        (load, lambda pair: workflow.decide_completion(pair[0], pair[1], approve=True,
                                                       comment="")))
    assert sum(isinstance(o, Conflict) for o in outcomes) == 1, outcomes
    db.session.expire_all()
    task, request = db.session.get(Task, task_id), db.session.get(TaskRequest, request_id)
    if isinstance(outcomes[1], Conflict):  # suspended first: the request waits for 恢复办理
        assert (task.status, task.suspended_from) == ("suspended", "completion_requested")
        assert request.status == "pending"
    else:
        assert (task.status, task.suspended_from, request.status) == ("done", None, "approved")


def test_simultaneous_reports_on_one_month_leave_one_pending(app, desk):
    task = make_task(desk["unit"])
    june_id = next(m.id for m in task.milestones if m.period == "2022-06")
    target_id, reporter_id = task.targets[0].id, desk["users"]["reporter"].id

    def submit():
        def load():
            return db.session.get(Milestone, june_id), db.session.get(
                type(desk["users"]["reporter"]), reporter_id)
        return load, lambda pair: workflow.submit_report(
            pair[0], pair[1], text="报告", values={target_id: Decimal(30)}, files=[],
            today=TODAY, calendar=WorkCalendar())

    outcomes = _at_once(app, submit(), submit(), submit())
    assert sum(isinstance(o, Conflict) for o in outcomes) == 2
    assert db.session.scalar(select(func.count(ProgressReport.id)).where(
        ProgressReport.review_status == "pending")) == 1


def test_simultaneous_confirmations_get_different_codes(app, desk):
    unit_id = desk["unit"].id

    def confirm(title):
        return (lambda: None, lambda _none: create_task(TaskData(
            title=title, responsible_unit_id=unit_id, start_date=TODAY,
            due_date=date(2022, 12, 31)), today=TODAY))

    outcomes = _at_once(app, *(confirm(f"事项{i}") for i in range(4)))
    assert not any(isinstance(o, Exception) for o in outcomes)
    codes = db.session.scalars(select(Task.code).order_by(Task.code)).all()
    assert codes == ["DB-2022-001", "DB-2022-002", "DB-2022-003", "DB-2022-004"]


def test_units_created_from_speeches_at_once_get_different_codes(app, desk):
    meeting_id = _meeting(date(2022, 6, 1), desk["users"]["office"]).id

    def add(name):
        return (lambda: db.session.get(Meeting, meeting_id),
                lambda meeting: add_unit_from_speech(meeting, name))

    outcomes = _at_once(app, add("区交通运输局"), add("区生态环境局"), add("区水务局"))
    assert not any(isinstance(o, Exception) for o in outcomes)
    codes = db.session.scalars(select(Unit.code).where(Unit.code.like("unit%"))).all()
    assert len(codes) == len(set(codes)) == 3
