"""The follow-up loop against real parts: an SMTP server and a robot webhook on loopback."""
import json
import os
import subprocess
import sys
from collections import Counter
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from conftest import make_task, make_unit, make_user
from sqlalchemy import func, select

from taskboard.calendar.workdays import WorkCalendar
from taskboard.extensions import db
from taskboard.followup.models import Notification
from taskboard.followup.senders import deliver
from taskboard.followup.services import run_sweep
from taskboard.tasks.models import Task
from taskboard.tasks.services import TargetData

CALENDAR = WorkCalendar()
NOON = datetime(2030, 1, 1)  # "now" for delivery: after every backoff in these tests


def _workdays(first: date, last: date) -> list[date]:
    days, day = [], first
    while day <= last:
        if CALENDAR.is_workday(day):
            days.append(day)
        day += timedelta(days=1)
    return days


@pytest.fixture
def june(app, robot_server):
    """A task due Thu 30 Jun 2022, with a unit that has a robot, a leader and an office."""
    unit = make_unit("zsj", "区招商局", webhook_url=f"{robot_server.url}/cgi-bin/webhook/send")
    people = {
        "reporter": make_user("zsj_reporter", "reporter", unit),
        "head": make_user("zsj_head", "unit_head", unit),
        "leader": make_user("pan", "leader", display_name="潘爱民"),
        "office": make_user("office", "office"),
    }
    task = make_task(unit, title="新签约项目", start=date(2022, 6, 1), due=date(2022, 6, 30),
                     lead_leader_id=people["leader"].id, today=date(2022, 6, 1),
                     targets=[TargetData(metric="新签约项目", value=Decimal(5),
                                         measure_unit="个")])
    task.acknowledged_at = datetime(2022, 6, 2)
    task.status = "in_progress"
    db.session.commit()
    return {"task": task, "unit": unit, **people}


def _escalations() -> Counter:
    """(recipient username or unit, kind, level, period) → channels, of the sweep's messages."""
    rows = db.session.execute(
        select(Notification.recipient, Notification.kind, Notification.level,
               Notification.period, Notification.channel)
        .where(Notification.kind.in_(("due_soon", "overdue", "unsigned")))).all()
    return Counter((r.recipient, r.kind, r.level, r.period) for r in rows)


def test_the_whole_ladder_day_by_day(june, smtp_server, robot_server):
    people = {name: f"user:{june[name].id}" for name in ("reporter", "head", "leader", "office")}
    unit_people = [people["reporter"], people["head"]]
    robot = f"unit:{june['unit'].id}"
    cards = {}
    for day in _workdays(date(2022, 6, 20), date(2022, 7, 29)):
        run_sweep(day, NOON)
        db.session.expire_all()
        cards[day] = db.session.get(Task, june["task"].id).card

    expected = Counter()

    def owed(level, period, kind="overdue", to=()):
        for recipient in (*unit_people, robot, *to):
            expected[(recipient, kind, level, period)] += 1 if recipient == robot else 2

    owed(0, "2022-06-30", kind="due_soon")   # Tue 28 Jun: within 3 working days
    owed(1, "2022-W26")                      # Fri 1 Jul: a working day overdue
    owed(1, "2022-W27")                      # Mon 4 Jul: repeated for the new week
    owed(2, "2022-W27", to=[people["leader"]])  # Thu 7 Jul: 5 working days
    owed(2, "2022-W28", to=[people["leader"]])
    owed(2, "2022-W29", to=[people["leader"]])
    owed(3, "2022-W29", to=[people["leader"], people["office"]])  # Thu 21 Jul: 15 days
    owed(3, "2022-W30", to=[people["leader"], people["office"]])  # Mon 25 Jul
    assert _escalations() == {k: v for k, v in expected.items()}

    assert cards[date(2022, 6, 30)] == "none"
    assert cards[date(2022, 7, 1)] == "blue"
    assert cards[date(2022, 7, 7)] == "yellow"
    assert cards[date(2022, 7, 21)] == "red"

    # They arrive: mail for each person, markdown for the unit's robot.
    head_mail = smtp_server.subjects("zsj_head@example.org")
    assert head_mail.count("【临期提醒】新签约项目") == 1
    assert head_mail.count("【逾期督办·一级】新签约项目") == 2
    assert head_mail.count("【逾期督办·三级】新签约项目") == 2
    assert smtp_server.subjects("office@example.org") == ["【逾期督办·三级】新签约项目"] * 2
    message = smtp_server.to("zsj_head@example.org")[-1]
    assert message.get_body("plain").get_content().count("新签约项目") >= 1
    assert "查看详情" in message.get_body("html").get_content()
    robot_texts = [body["markdown"]["content"] for _path, body in robot_server.received]
    assert sum("逾期督办·二级" in text for text in robot_texts) == 3
    assert db.session.scalar(select(func.count(Notification.id)).where(
        Notification.status != "sent")) == 0


def test_the_same_sweep_twice_sends_once(june, smtp_server):
    first = run_sweep(date(2022, 7, 7), NOON)
    second = run_sweep(date(2022, 7, 7), NOON)
    assert first["escalations"] > 0 and first["sent"] > 0
    assert (second["notifications_created"], second["sent"]) == (0, 0)
    # One mail: the 交办 notice still pending, and the level-two escalation.
    assert smtp_server.subjects("zsj_head@example.org") == ["【督办提醒】1 项逾期 · 1 条消息"]
    body = smtp_server.to("zsj_head@example.org")[0].get_body("plain").get_content()
    assert "逾期 · 二级督办（黄牌）" in body and "2022-06（2022-06-30 到期）" in body


def test_after_downtime_only_the_current_level_is_sent(june, smtp_server):
    run_sweep(date(2022, 6, 29), NOON)  # then nothing ran from 30 Jun to 6 Jul
    result = run_sweep(date(2022, 7, 7), NOON)
    assert result["escalations"] == 2 * 2 + 2 + 1  # two unit people, the leader (×2), robot
    levels = {(n.kind, n.level) for n in db.session.scalars(select(Notification))}
    assert ("overdue", 1) not in levels and ("overdue", 2) in levels
    assert run_sweep(date(2022, 7, 8), NOON)["notifications_created"] == 0


def test_two_sweeps_at_once_in_separate_processes_do_not_duplicate(june, app, database_url):
    env = {**os.environ, "TASKBOARD_SQLALCHEMY_DATABASE_URI": database_url,
           "TASKBOARD_SECRET_KEY": '"test"', "TASKBOARD_PASSWORD_HASH_METHOD": '"scrypt"'}
    command = [sys.executable, "-m", "flask", "--app", "taskboard", "followup", "sweep",
               "--today", "2022-07-21", "--json"]
    processes = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE) for _ in range(2)]
    outputs = [p.communicate(timeout=120) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], outputs
    created = [json.loads(out)["notifications_created"] for out, _err in outputs]
    total = db.session.scalar(select(func.count(Notification.id)).where(
        Notification.kind == "overdue"))
    assert sum(created) == total == 4 * 2 + 1  # unit people, leader, office ×2 channels; robot
    keys = db.session.execute(select(Notification.recipient, Notification.channel,
                                     Notification.level, Notification.period)
                              .where(Notification.kind == "overdue")).all()
    assert len(keys) == len(set(keys))


def test_smtp_down_keeps_mail_pending_until_it_is_back(june, app, smtp_server):
    smtp_server.down()
    result = run_sweep(date(2022, 6, 28), datetime(2022, 6, 28, 0, 5))
    assert result["failed"] > 0 and result["sent"] > 0  # in-app went; mail waits
    waiting = db.session.scalars(select(Notification).where(
        Notification.channel == "email")).all()
    assert {n.status for n in waiting} == {"pending"}
    assert all(n.attempts == 1 and n.last_error.startswith("smtp") for n in waiting)
    assert deliver(datetime(2022, 6, 28, 0, 5, 30)).sent == 0  # still backing off

    smtp_server.up()
    result = deliver(datetime(2022, 6, 28, 0, 10))
    assert result.sent == len(waiting)
    assert Counter(smtp_server.subjects()) == {"【督办提醒】1 项临期 · 1 条消息": 2}
    assert {n.status for n in db.session.scalars(select(Notification))} == {"sent"}


def test_failures_end_as_failed_and_the_office_retries(june, app, client, robot_server):
    app.config["DELIVERY_MAX_ATTEMPTS"] = 2
    robot_server.fail = True
    run_sweep(date(2022, 6, 28), datetime(2022, 6, 28))
    deliver(datetime(2022, 6, 28, 1))
    robot_rows = db.session.scalars(select(Notification).where(
        Notification.channel == "webhook")).all()
    db.session.expire_all()
    assert {n.status for n in robot_rows} == {"failed"}
    client.login("office")
    page = client.get("/outbox").get_data(as_text=True)
    assert "发送失败" in page and "HTTP Error 500" in page and "未配置邮件服务器" in page
    robot_server.fail = False
    assert client.post_form("/outbox/retry").status_code == 302
    assert deliver(datetime(2022, 6, 28, 2)).sent == len(robot_rows)
    paths = {path for path, _body in robot_server.received}
    assert paths == {"/cgi-bin/webhook/send"}


def test_a_holiday_shifts_the_working_day_thresholds(app):
    unit = make_unit("zsj", "区招商局")
    make_user("zsj_head", "unit_head", unit)
    task = make_task(unit, start=date(2022, 9, 1), due=date(2022, 9, 29), targets=[],
                     today=date(2022, 9, 1))
    task.acknowledged_at, task.status = datetime(2022, 9, 2), "in_progress"
    db.session.commit()

    def level(day: date) -> int | None:
        run_sweep(day, NOON)
        return db.session.scalar(select(func.max(Notification.level)).where(
            Notification.kind == "overdue"))

    assert level(date(2022, 9, 30)) == 1
    # 1–7 Oct is the National Day holiday; 8 and 9 Oct (a weekend) are working days.
    assert level(date(2022, 10, 10)) == 1   # 30 Sep, 8, 9, 10 Oct: four working days
    assert level(date(2022, 10, 11)) == 2   # the fifth


def test_an_unsigned_task_reminds_the_head_after_two_working_days(app, smtp_server):
    unit = make_unit("zsj", "区招商局")
    make_user("zsj_head", "unit_head", unit)
    make_user("zsj_reporter", "reporter", unit)
    make_task(unit, title="新交办的事项", start=date(2022, 7, 1), due=date(2022, 12, 31),
              today=date(2022, 7, 4))  # assigned on Monday
    assert run_sweep(date(2022, 7, 5), NOON)["reminders"] == 0
    assert run_sweep(date(2022, 7, 6), NOON)["reminders"] == 2  # in-app and mail, head only
    assert smtp_server.subjects("zsj_head@example.org") == [
        "【新交办】新交办的事项", "【未签收提醒】新交办的事项"]
    assert smtp_server.subjects("zsj_reporter@example.org") == ["【新交办】新交办的事项"]
