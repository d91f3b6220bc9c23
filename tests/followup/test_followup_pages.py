"""The bell, the settings page, workflow news, the scheduler and the commands."""
import json
from datetime import date

import pytest
from conftest import make_task, make_unit, make_user
from sqlalchemy import func, select

from taskboard.extensions import db
from taskboard.followup import settings
from taskboard.followup.models import Notification
from taskboard.followup.services import run_sweep
from taskboard.tasks import workflow
from taskboard.tasks.models import Milestone
from taskboard.tasks.services import add_comment


@pytest.fixture
def unit_task(app):
    unit = make_unit("zsj", "区招商局")
    people = {"reporter": make_user("zsj_reporter", "reporter", unit),
              "head": make_user("zsj_head", "unit_head", unit),
              "office": make_user("office", "office"),
              "leader": make_user("leader", "leader", display_name="主要领导")}
    task = make_task(unit, title="新签约项目", start=date(2022, 6, 1), due=date(2022, 6, 30),
                     today=date(2022, 6, 1))
    return {"task": task, **people}


def test_the_bell_counts_unread_messages(client, unit_task):
    client.login("zsj_reporter")
    page = client.get("/tasks/").get_data(as_text=True)
    assert 'text-bg-warning ms-1">1<' in page  # the 交办 notice
    inbox = client.get("/notifications").get_data(as_text=True)
    assert "【新交办】新签约项目" in inbox
    client.post_form("/notifications/read")
    assert 'text-bg-warning ms-1">' not in client.get("/tasks/").get_data(as_text=True)


def test_workflow_news_reaches_the_right_people(app, unit_task, smtp_server):
    task, reporter, office = unit_task["task"], unit_task["reporter"], unit_task["office"]
    milestone = db.session.get(Milestone, task.milestones[0].id)
    from taskboard.calendar.workdays import WorkCalendar

    report = workflow.submit_report(milestone, reporter, text="完成 1 个", values={}, files=[],
                                    today=date(2022, 6, 28), calendar=WorkCalendar(),
                                    no_data=[t.id for t in task.targets])
    workflow.review_report(report, office, accept=False, comment="请补充项目名称")
    add_comment(task, unit_task["leader"], "抓紧落实")
    db.session.commit()
    run_sweep(date(2022, 6, 29))
    # One mail each, the news inside it: 交办, the returned report, the 批示, and the reminder.
    for person in ("zsj_reporter", "zsj_head"):
        assert smtp_server.subjects(f"{person}@example.org") == [
            "【督办提醒】1 项临期 · 3 条消息"]
        body = smtp_server.to(f"{person}@example.org")[0].get_body("plain").get_content()
        assert "【报告退回】新签约项目 2022-06" in body and "【领导批示】新签约项目" in body
        assert "请补充项目名称" in body and "抓紧落实" in body


def test_the_task_page_lists_its_reminders_and_escalations(client, unit_task):
    run_sweep(date(2022, 7, 7))
    client.login("office")
    page = client.get(f"/tasks/{unit_task['task'].id}").get_data(as_text=True)
    assert "逾期督办 · 二级" in page and "2022-W27" in page and "交办通知" in page


def test_settings_change_thresholds_and_refuse_nonsense(client, unit_task):
    client.login("office")
    form = {"due_soon_workdays": "3", "level1_workdays": "2", "level2_workdays": "6",
            "level3_workdays": "15", "level3_overdue_milestones": "3",
            "unsigned_workdays": "2", "weekly_repeat": "y", "lead_from_level": "2",
            "office_from_level": "3", "email": "y"}
    assert client.post_form("/settings/followup", form).status_code == 302
    stored = settings.load()
    assert (stored.level1_workdays, stored.webhook) == (2, False)
    response = client.post_form("/settings/followup", {**form, "level2_workdays": "1"})
    assert "逐级增加" in response.get_data(as_text=True)
    response = client.post_form("/settings/followup", {**form, "level3_workdays": "很多"})
    assert response.status_code == 200 and settings.load().level3_workdays == 15
    run_sweep(date(2022, 7, 1))  # one working day overdue: not yet, with the new threshold
    assert db.session.scalar(select(func.count(Notification.id)).where(
        Notification.kind == "overdue")) == 0
    client.post_form("/logout")
    client.login("zsj_head")
    assert client.get("/settings/followup").status_code == 403
    assert client.get("/outbox").status_code == 403


def test_followup_commands(app, unit_task):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["followup", "sweep", "--today", "2022-07-07", "--json"])
    assert result.exit_code == 0, result.stderr
    output = json.loads(result.stdout)
    assert set(output) == {"today", "reminders", "escalations", "notifications_created",
                           "sent", "failed"}
    assert output["today"] == "2022-07-07" and output["escalations"] == 2 * 2
    assert output["notifications_created"] == output["reminders"] + output["escalations"]
    result = runner.invoke(args=["followup", "sweep", "--today", "7月7日"])
    assert result.exit_code == 1 and "YYYY-MM-DD" in result.stderr and result.stdout == ""
    result = runner.invoke(args=["followup", "send", "--json"])
    assert result.exit_code == 0 and json.loads(result.stdout) == {"sent": 0, "failed": 0}


def test_the_scheduler_runs_the_sweep_at_eight_and_delivery_every_minute(app):
    from taskboard import scheduler

    built = scheduler.build(app)
    jobs = {job.id: job for job in built.get_jobs()}
    assert set(jobs) == {"sweep", "send", "awards", "digest"}
    assert str(jobs["digest"].trigger) == "cron[hour='8', minute='30']"
    assert str(jobs["sweep"].trigger) == "cron[hour='8', minute='0']"
    assert jobs["send"].trigger.interval.total_seconds() == 60
    assert str(built.timezone) == "Asia/Shanghai"
    assert built._job_defaults["coalesce"] is True
    assert built._job_defaults["max_instances"] == 1
    assert jobs["sweep"].func is scheduler.sweep_job


def test_only_one_scheduler_leads(app):
    from taskboard.scheduler import LeaderLock

    first, second = LeaderLock(app), LeaderLock(app)
    assert first.acquire()
    try:
        assert not second.acquire()
    finally:
        first.release()
    assert second.acquire()
    second.release()
