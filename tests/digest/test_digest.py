"""The Monday digest: the right tasks for the right leader, once a week, in a real mailbox."""
import json
from datetime import date, datetime

import pytest
from conftest import make_report, make_task, make_unit, make_user
from sqlalchemy import select

from taskboard.digest.services import build, parse_week
from taskboard.extensions import db
from taskboard.tasks.models import Comment, Task

WEEK = "2022-W24"  # Monday 13 June 2022


@pytest.fixture
def leaders(app):
    unit = make_unit("zsj", "区招商局")
    reporter = make_user("zsj_reporter", "reporter", unit)
    pan = make_user("pan", "leader", display_name="潘爱民")
    li = make_user("li", "leader", display_name="李四")
    make_user("quiet", "leader", display_name="王五")  # leads nothing
    make_user("office", "office")
    overdue = make_task(unit, title="新签约项目", start=date(2022, 4, 1), due=date(2022, 12, 31),
                        lead_leader_id=pan.id, targets=[])
    soon = make_task(unit, title="安置房分配", start=date(2022, 6, 1), due=date(2022, 6, 24),
                     lead_leader_id=li.id, targets=[])
    # Last week: a report on pan's task, and 批示 on li's.
    make_report(overdue.milestones[1], reporter, date(2022, 6, 8), text="五月完成",
                late_workdays=5)
    db.session.add(Comment(task=soon, author=li, text="六月底前必须完成", is_instruction=True,
                           created_at=datetime(2022, 6, 9, 2, 0)))
    db.session.commit()
    return {"pan": pan, "li": li, "overdue": overdue, "soon": soon}


def test_each_leader_gets_the_tasks_they_lead(leaders):
    pan = build(leaders["pan"], parse_week(WEEK))
    assert [t.title for t, _ms in pan.overdue] == ["新签约项目"]
    assert [m.period for m in pan.overdue[0][1]] == ["2022-04"]  # May reported, June not due
    assert [c.text for c in pan.changes] == ["区招商局报送了 2022-05 进展（迟报 5 个工作日）"]
    assert pan.due_soon == []
    li = build(leaders["li"], parse_week(WEEK))
    assert li.overdue == [] and [m.task.title for m in li.due_soon] == ["安置房分配"]
    assert "六月底前必须完成" in li.changes[0].text


def test_red_cards_head_the_overdue_list(leaders, app):
    unit = leaders["overdue"].responsible_unit
    red = make_task(unit, title="红牌事项", start=date(2022, 5, 1), due=date(2022, 12, 31),
                    lead_leader_id=leaders["pan"].id, targets=[])
    red.card = "red"
    db.session.commit()
    digest = build(leaders["pan"], parse_week(WEEK))
    assert [t.title for t, _ms in digest.overdue] == ["红牌事项", "新签约项目"]


def test_digests_arrive_once_a_week_and_only_with_something_to_say(leaders, app, smtp_server):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["digest", "send", "--week", WEEK, "--json"])
    assert result.exit_code == 0, result.stderr
    output = json.loads(result.stdout)
    assert output["week"] == WEEK
    by_recipient = {d["recipient"]: d for d in output["digests"]}
    assert set(by_recipient) == {"pan", "li", "office"}  # 王五 leads nothing: no mail
    assert by_recipient["pan"] == {"recipient": "pan", "email": "pan@example.org",
                                   "tasks": 1, "overdue": 1, "sent": True}
    assert by_recipient["office"]["tasks"] == 2

    pan_mail = smtp_server.to("pan@example.org")
    assert len(pan_mail) == 1 and str(pan_mail[0]["Subject"]).startswith("【督办周报】2022-W24")
    html = pan_mail[0].get_body("html").get_content()
    assert "新签约项目" in html and "安置房分配" not in html
    assert "新签约项目" in pan_mail[0].get_body("plain").get_content()
    assert smtp_server.to("quiet@example.org") == []

    again = json.loads(runner.invoke(args=["digest", "send", "--week", WEEK, "--json"]).stdout)
    assert not any(d["sent"] for d in again["digests"])
    assert len(smtp_server.to("pan@example.org")) == 1


def test_dry_run_and_opting_out(leaders, app, client, smtp_server):
    runner = app.test_cli_runner()
    dry = json.loads(runner.invoke(args=["digest", "send", "--week", WEEK, "--dry-run",
                                         "--json"]).stdout)
    assert {d["recipient"] for d in dry["digests"]} == {"pan", "li", "office"}
    assert smtp_server.messages == []
    client.login("pan")
    client.post_form("/account/", {"email": "y"})  # the digest box left unticked
    output = json.loads(runner.invoke(args=["digest", "send", "--week", WEEK, "--json"]).stdout)
    assert "pan" not in {d["recipient"] for d in output["digests"]}
    result = runner.invoke(args=["digest", "send", "--week", "W24"])
    assert result.exit_code == 1 and "YYYY-Www" in result.stderr


def test_the_preview_shows_any_leaders_week_to_the_office(leaders, client):
    client.login("office")
    page = client.get(f"/digest/preview?user={leaders['pan'].id}&week={WEEK}")
    assert "新签约项目" in page.get_data(as_text=True)
    client.post_form("/logout")
    client.login("li")
    own = client.get(f"/digest/preview?week={WEEK}").get_data(as_text=True)
    assert "安置房分配" in own
    assert client.get(f"/digest/preview?user={leaders['pan'].id}&week={WEEK}"
                      ).status_code == 403
    assert db.session.scalar(select(Task.id).where(Task.title == "新签约项目"))
