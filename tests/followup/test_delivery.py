"""Delivery: one message per person per run, and no bad row can stop the others.

Against real parts: aiosmtpd on loopback for mail, an HTTP robot on loopback for webhooks.
"""
import re
from collections import Counter
from datetime import date, datetime, timedelta

import pytest
from conftest import count_queries, make_task, make_unit, make_user
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, update

from taskboard.extensions import db
from taskboard.followup.models import Notification
from taskboard.followup.render import Bundle, Entry, Section
from taskboard.followup.senders import deliver
from taskboard.followup.services import run_sweep
from taskboard.tasks.models import Task

NOON = datetime(2030, 1, 1)  # "now" for delivery: after every backoff
JUNE_15 = date(2022, 6, 15)
LINK = re.compile(r"\]\(([^)]*)\)")


def _signed(task: Task) -> Task:
    task.acknowledged_at, task.status = datetime(2022, 6, 2), "in_progress"
    db.session.commit()
    return task


@pytest.fixture
def people(app, robot_server):
    unit = make_unit("zsj", "区招商局", webhook_url=f"{robot_server.url}/cgi-bin/webhook/send")
    return {"unit": unit,
            "head": make_user("zsj_head", "unit_head", unit),
            "reporter": make_user("zsj_reporter", "reporter", unit),
            "leader": make_user("pan", "leader", display_name="潘爱民"),
            "office": make_user("office", "office")}


def _statuses(channel: str | None = None) -> Counter:
    query = select(Notification.status, func.count()).group_by(Notification.status)
    if channel:
        query = query.where(Notification.channel == channel)
    return Counter(dict(db.session.execute(query).all()))


def test_each_person_gets_one_mail_grouped_by_level_then_task(people, smtp_server,
                                                              robot_server, client):
    # Five months overdue (three or more: all at level three), and a task due in two days.
    late = _signed(make_task(people["unit"], title="新签约项目", start=date(2022, 1, 1),
                             due=date(2022, 12, 31), today=date(2022, 1, 1),
                             lead_leader_id=people["leader"].id))
    soon = _signed(make_task(people["unit"], title="园区道路改造", start=date(2022, 6, 1),
                             due=date(2022, 6, 17), today=date(2022, 6, 1)))
    deliver(NOON - timedelta(days=1))  # the two 交办 notices: one mail each, as one run
    assert smtp_server.subjects("zsj_head@example.org") == ["【督办提醒】2 条消息"]
    smtp_server.messages.clear()
    robot_server.received.clear()

    run_sweep(JUNE_15, NOON)

    mails = Counter(m["To"] for m in smtp_server.messages)
    assert mails == {"zsj_head@example.org": 1, "zsj_reporter@example.org": 1,
                     "pan@example.org": 1, "office@example.org": 1}
    assert smtp_server.subjects("zsj_head@example.org") == [
        "【督办提醒】1 项逾期（1 项红牌）· 1 项临期"]
    assert smtp_server.subjects("pan@example.org") == ["【督办提醒】1 项逾期（1 项红牌）"]
    body = smtp_server.to("zsj_head@example.org")[0].get_body("plain").get_content()
    months = "；".join(f"{m.period}（{m.due_date.isoformat()} 到期）"
                      for m in late.milestones if m.due_date < JUNE_15)
    assert months.count("到期") == 5
    assert f"- {late.code}「新签约项目」（区招商局）：{months}" in body
    assert body.count(late.code) == 1 and body.count(soon.code) == 1
    assert body.index("逾期 · 三级督办（红牌）") < body.index("临期未报") < body.index(soon.code)
    html = smtp_server.to("zsj_head@example.org")[0].get_body("html").get_content()
    assert f"/tasks/{late.id}" in html and "2022-05（2022-05-31 到期）" in html

    # Still one outbox row per owed item, each sent exactly once.
    head_rows = db.session.scalars(select(Notification).where(
        Notification.user_id == people["head"].id, Notification.channel == "email",
        Notification.kind.in_(("overdue", "due_soon")))).all()
    assert len(head_rows) == 6
    assert {(n.status, n.attempts) for n in head_rows} == {("sent", 1)}
    assert _statuses() == {"sent": sum(_statuses().values())}

    # The unit's robot: one message for the run, listing the months.
    assert len(robot_server.received) == 1
    markdown = robot_server.received[0][1]["markdown"]["content"]
    assert "1 项逾期（1 项红牌）" in markdown and "2022-05（2022-05-31 到期）" in markdown

    # The bell: one line per run — the 交办 run and this sweep's.
    client.login("zsj_head")
    assert 'text-bg-warning ms-1">2<' in client.get("/tasks/").get_data(as_text=True)
    inbox = client.get("/notifications").get_data(as_text=True)
    assert "【督办提醒】1 项逾期（1 项红牌）· 1 项临期" in inbox and "【督办提醒】2 条消息" in inbox


def test_one_malformed_message_leaves_every_other_delivered(people, smtp_server, robot_server,
                                                            client):
    # An Excel cell with Alt+Enter, imported through the ledger: a title with a line break.
    task = _signed(make_task(people["unit"], title="新签约项目", start=date(2022, 6, 1),
                             due=date(2022, 6, 17), today=date(2022, 6, 1)))
    task.title = "新签约\r\n项目"
    # A unit whose robot address is cleared while its 交办 notice is pending.
    other = make_unit("kfq", "开发区", webhook_url=f"{robot_server.url}/other")
    make_user("kfq_head", "unit_head", other)
    make_task(other, title="标准厂房建设", start=date(2022, 6, 1), due=date(2022, 12, 31),
              today=date(2022, 6, 1))
    other.webhook_url = None
    # A row whose milestone is gone: it cannot be rendered at all.
    broken = Notification(kind="overdue", level=1, object_type="milestone", object_id=999999,
                          recipient=f"user:{people['head'].id}", channel="email",
                          user_id=people["head"].id, task_id=task.id, period="2022-W24")
    db.session.add(broken)
    db.session.commit()

    result = run_sweep(JUNE_15, NOON)

    db.session.expire_all()
    assert (broken.status, broken.attempts) == ("failed", 1)
    assert broken.last_error.startswith("无法生成消息：AttributeError")
    cleared = db.session.scalars(select(Notification).where(
        Notification.unit_id == other.id, Notification.channel == "webhook")).all()
    assert [(n.status, n.last_error) for n in cleared] == [("failed", "单位的群机器人地址已清除。")]
    assert result["failed"] == 2
    # Everything else went: the head's mail (title on one line), the unit robot, kfq's people.
    assert _statuses() == {"sent": sum(_statuses().values()) - 2, "failed": 2}
    assert smtp_server.subjects("zsj_head@example.org") == ["【督办提醒】1 项临期 · 1 条消息"]
    assert "新签约 项目" in smtp_server.to("zsj_head@example.org")[0].get_body(
        "plain").get_content()
    assert smtp_server.subjects("kfq_head@example.org") == ["【督办提醒】1 项未签收 · 1 条消息"]
    assert len(robot_server.received) == 1
    # 发送记录 says why, and a second run does not trip over them again.
    client.login("office")
    page = client.get("/outbox").get_data(as_text=True)
    assert "无法生成消息：AttributeError" in page and "单位的群机器人地址已清除。" in page
    assert deliver(NOON + timedelta(hours=1)).failed == 0


def test_a_lone_message_with_a_line_break_in_its_title_is_sent(people, smtp_server):
    task = make_task(people["unit"], title="新签约项目", today=date(2022, 6, 1))
    task.title = "新签约\n项目\r"
    db.session.commit()
    assert deliver(NOON).failed == 0
    assert smtp_server.subjects("zsj_head@example.org") == ["【新交办】新签约 项目"]


def test_rows_whose_lease_ran_out_are_taken_again_retried_or_cancelled(people, smtp_server,
                                                                       client):
    make_task(people["unit"], title="新签约项目", today=date(2022, 6, 1))
    rows = db.session.scalars(select(Notification).where(Notification.channel == "email")
                              .order_by(Notification.id)).all()
    head_row, reporter_row = rows
    # A sender died mid-run: its rows stay "sending" with a lease that has run out.
    db.session.execute(update(Notification).where(Notification.channel == "email")
                       .values(status="sending", next_attempt_at=datetime(2022, 6, 1, 8)))
    db.session.commit()
    client.login("office")
    page = client.get("/outbox").get_data(as_text=True)
    assert "发送中断（2）" in page
    assert client.post_form("/outbox/cancel", {"id": reporter_row.id}).status_code == 302
    assert "已取消 1 条" in client.get("/outbox").get_data(as_text=True)
    db.session.expire_all()
    assert (reporter_row.status, head_row.status) == ("cancelled", "sending")
    # The lease ran out: the next run takes the head's row again; the cancelled one stays.
    deliver(NOON)
    assert smtp_server.subjects() == ["【新交办】新签约项目"]
    assert smtp_server.messages[0]["To"] == "zsj_head@example.org"
    db.session.expire_all()
    assert (reporter_row.status, head_row.status) == ("cancelled", "sent")
    # Cancelled is final; a row being sent right now cannot be touched either.
    client.post_form("/outbox/retry", {"id": reporter_row.id})
    db.session.expire_all()
    assert reporter_row.status == "cancelled"
    reporter_row.status, reporter_row.next_attempt_at = "sending", NOON + timedelta(minutes=5)
    db.session.commit()
    client.post_form("/outbox/cancel", {"id": reporter_row.id})
    client.post_form("/outbox/retry", {"id": reporter_row.id})
    db.session.expire_all()
    assert reporter_row.status == "sending"
    assert client.post_form("/outbox/cancel", {"id": "99999999999999999999999"}) \
        .status_code == 302


def test_robot_markdown_keeps_user_text_as_text(people, robot_server, app):
    title = "[点我](http://evil.example/x) ![图](http://evil.example/p.png) @all <@all> **粗**"
    make_task(people["unit"], title=title, start=date(2022, 6, 1), due=date(2022, 6, 17),
              today=date(2022, 6, 1))
    deliver(NOON - timedelta(days=1))  # the 交办 notice alone
    make_task(people["unit"], title=f"# {title}", start=date(2022, 6, 1), due=date(2022, 6, 17),
              today=date(2022, 6, 1))
    run_sweep(JUNE_15, NOON)  # the second 交办 and both 临期: one grouped message
    texts = [body["markdown"]["content"] for _path, body in robot_server.received]
    assert len(texts) == 2 and "1 条消息" in texts[1]
    base = app.config["BASE_URL"]
    for text in texts:
        assert "点我" in text and "evil.example" in text  # the words stay, as words
        assert all(link.startswith(f"{base}/") for link in LINK.findall(text))
        assert "@all" not in text and "<" not in text and "http://evil" not in text
        assert "![" not in text and "**粗**" not in text
        assert not any(line.startswith("# ") for line in text.splitlines())


def test_a_signed_dingtalk_robot(people, robot_server):
    unit = people["unit"]
    unit.robot_kind, unit.robot_secret = "dingtalk", "SEC0123456789abcdef"
    unit.webhook_url = f"{robot_server.url}/robot/send?access_token=t0ken"
    robot_server.secret = "SEC0123456789abcdef"  # the robot refuses anything not signed so
    db.session.commit()
    make_task(unit, title="新签约项目", today=date(2022, 6, 1))
    assert deliver(NOON).failed == 0
    (path, body), = robot_server.received
    assert path.startswith("/robot/send?access_token=t0ken&timestamp=") and "&sign=" in path
    assert body["markdown"]["title"] == "【新交办】新签约项目"
    assert "新签约项目" in body["markdown"]["text"]

    unit.robot_secret = "SECsomething-else"  # a wrong secret: 钉钉 answers errcode 310000
    db.session.commit()
    make_task(unit, title="园区道路改造", today=date(2022, 6, 1))
    assert deliver(NOON).failed == 1
    row = db.session.scalar(select(Notification).where(Notification.channel == "webhook",
                                                       Notification.status != "sent"))
    assert (row.status, row.attempts) == ("pending", 1) and "310000" in row.last_error
    assert len(robot_server.received) == 1


def test_a_long_list_splits_at_the_robot_limit_and_keeps_to_its_minute(people, robot_server,
                                                                      app):
    for number in range(12):
        make_task(people["unit"], title=f"{number:02d}" + "推进重点项目建设" * 24,
                  start=date(2022, 6, 1), due=date(2022, 6, 17), today=date(2022, 6, 1))
    app.config["ROBOT_PER_MINUTE"] = 3
    run_sweep(JUNE_15, NOON)
    sizes = [len(body["markdown"]["content"].encode()) for _path, body in robot_server.received]
    assert len(sizes) == 3 and all(size <= 4096 for size in sizes)
    assert "（1/" in robot_server.received[0][1]["markdown"]["content"]
    waiting = db.session.scalars(select(Notification).where(
        Notification.channel == "webhook", Notification.status == "pending")).all()
    assert waiting and {n.attempts for n in waiting} == {0}  # a wait, not a failure

    app.config["ROBOT_PER_MINUTE"] = 20
    deliver(NOON + timedelta(minutes=2))
    sizes = [len(body["markdown"]["content"].encode()) for _path, body in robot_server.received]
    assert len(sizes) > 4 and all(size <= 4096 for size in sizes)
    robot_rows = db.session.scalars(select(Notification).where(
        Notification.channel == "webhook")).all()
    assert len(robot_rows) == 24 and {(n.status, n.attempts) for n in robot_rows} == {("sent", 1)}
    # Every task, in full, in exactly one message.
    everything = "".join(body["markdown"]["content"] for _path, body in robot_server.received)
    for number in range(12):
        assert everything.count(f"「{number:02d}推进重点项目建设") == 2  # its 交办 and its 临期


def test_a_sweep_on_the_demo_sends_each_person_at_most_one_mail(app, smtp_server):
    result = app.test_cli_runner().invoke(args=["demo", "--year", "2022"])
    assert result.exit_code == 0, result.stderr
    run_sweep(JUNE_15, NOON)
    mails = Counter(m["To"] for m in smtp_server.messages)
    assert len(mails) >= 15 and max(mails.values()) == 1
    assert _statuses("email") == {"sent": sum(_statuses("email").values())}
    assert any("项逾期" in s and "项红牌" in s for s in smtp_server.subjects())


@given(st.lists(st.tuples(st.text(max_size=400), st.lists(st.text(max_size=300), max_size=4)),
                min_size=1, max_size=40))
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_robot_chunks_carry_every_row_once_under_the_limit_with_only_our_links(app, entries):
    base = app.config["BASE_URL"]
    sections = [Section("逾期", [Entry(heading, details, f"{base}/tasks/{number}", [number])
                                 for number, (heading, details) in enumerate(entries)])]
    chunks = Bundle("【督办提醒】", sections, f"{base}/").markdown_chunks()
    carried = [row for _markdown, ids in chunks for row in ids]
    assert sorted(carried) == list(range(len(entries)))
    for markdown, _ids in chunks:
        assert len(markdown.encode()) <= 4096
        assert all(link.startswith(f"{base}/") for link in LINK.findall(markdown))
        assert "@" not in markdown and "<" not in markdown and "![" not in markdown


def test_the_bell_page_asks_the_database_the_same_number_of_times_for_more_rows(people,
                                                                                client):
    def queries_with(tasks: int) -> int:
        for number in range(tasks):
            make_task(people["unit"], title=f"事项{number}", start=date(2022, 1, 1),
                      due=date(2022, 12, 31), today=date(2022, 1, 1))
        run_sweep(JUNE_15, NOON)
        return count_queries(client, "/notifications")

    client.login("zsj_head")
    few = queries_with(1)
    assert queries_with(4) == few
    assert "5 项逾期（5 项红牌）" in client.get("/notifications").get_data(as_text=True)
