"""flask commands: users and demo. Bad input exits 1 with Chinese on stderr, nothing on stdout."""
import json
from datetime import date

import pytest
from conftest import PASSWORD, make_unit, make_user
from sqlalchemy import func, select

from taskboard.auth.models import User
from taskboard.extensions import db
from taskboard.tasks.models import Milestone, ProgressReport, Task
from taskboard.units.models import Unit


@pytest.fixture
def runner(app):
    return app.test_cli_runner()  # click >= 8.2 keeps stderr apart from stdout


def test_users_create_and_list(runner, app):
    make_unit("qyfw", "区企业服务中心")
    result = runner.invoke(args=["users", "create", "li", "--role", "reporter", "--unit", "qyfw",
                                 "--email", "li@example.org", "--display-name", "小李",
                                 "--password", PASSWORD])
    assert result.exit_code == 0, result.stderr
    result = runner.invoke(args=["users", "list", "--json"])
    assert json.loads(result.stdout) == [{"username": "li", "display_name": "小李",
                                          "role": "reporter", "unit": "区企业服务中心",
                                          "email": "li@example.org"}]


@pytest.mark.parametrize(("args", "message"), [
    (["users", "create", "x", "--role", "boss", "--password", PASSWORD], "角色无效"),
    (["users", "create", "x", "--role", "reporter", "--password", PASSWORD], "必须属于一个单位"),
    (["users", "create", "x", "--role", "reporter", "--unit", "nope", "--password", PASSWORD],
     "单位代码“nope”不存在"),
    (["users", "create", "taken", "--role", "office", "--password", PASSWORD], "已被使用"),
    (["users", "create", "x", "--role", "office"], "密码至少 10 位"),
    (["users", "create", "x", "--role", "office", "--bogus"], "参数有误"),
    (["demo", "--year", "1900"], "年份"),
    (["demo", "--units", "3"], "--units 和 --tasks 要一起给出"),
])
def test_bad_command_input_exits_1_and_writes_nothing(runner, app, args, message):
    make_user("taken", "office")
    result = runner.invoke(args=args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert result.stdout == ""
    assert db.session.scalar(select(func.count(User.id))) == 1


def test_demo_loads_the_speech_and_twice_duplicates_nothing(runner, app):
    app.config["TODAY"] = "2026-06-15"
    result = runner.invoke(args=["demo", "--year", "2026"])
    assert result.exit_code == 0, result.stderr
    for username in ("admin", "office", "leader", "panaimin", "qyfw_head", "qyfw_reporter",
                     "zbq_head", "cjj_reporter"):
        assert username in result.stdout
    counts = [db.session.scalar(select(func.count(m.id))) for m in (Unit, User, Task, Milestone)]
    assert counts[0] >= 8
    offshore = db.session.scalar(select(Task).where(Task.title == "推进离岸孵化相关工作"))
    assert offshore.lead_name == "潘爱民"
    assert offshore.responsible_unit.name == "区企业服务中心"
    assert offshore.other_departments_participate
    assert [t.target_value for t in offshore.targets] == [5, 15, 15]
    assert "离岸孵化基地5个" in offshore.source_excerpt
    transfer = db.session.scalar(select(Task).where(Task.title == "推进科技成果转化申报"))
    assert transfer.lead_name == "**" and transfer.lead_leader_id is None
    assert db.session.scalar(select(Task).where(Task.title.like("新签约亿元以上%"))).due_date \
        == date(2026, 12, 31)
    # Reports only on months already due, in every state a screen needs.
    reports = db.session.scalars(select(ProgressReport)).all()
    assert reports and all(r.milestone.due_date < date(2026, 6, 15) for r in reports)
    assert {r.review_status for r in reports} == {"accepted", "returned", "pending"}
    assert any(r.is_late() for r in reports)
    missing = db.session.scalar(select(func.count(Milestone.id)).where(
        Milestone.due_date < date(2026, 6, 15), ~Milestone.reports.any()))
    assert missing > 0

    # As of the middle of the year, the demo shows every light.
    from taskboard.tasks.queries import as_of, task_lights

    lights = task_lights(list(db.session.scalars(select(Task.id))), as_of(date(2026, 6, 15)))
    assert {"red", "yellow", "green"} <= set(lights.values())

    # Loading ran the first sweep: the bell and the 红牌 panel have something at once.
    from taskboard.followup.models import Notification

    assert "首次督办（2026-06-15）" in result.stdout
    assert db.session.scalar(select(func.count(Notification.id)).where(
        Notification.channel == "in_app")) > 0
    assert db.session.scalar(select(func.count(Task.id)).where(Task.card == "red")) > 0

    again = runner.invoke(args=["demo", "--year", "2026"])
    assert again.exit_code == 0
    assert [db.session.scalar(select(func.count(m.id))) for m in (Unit, User, Task, Milestone)] \
        == counts
    skipped = runner.invoke(args=["demo", "--if-empty"])
    assert "跳过" in skipped.stdout


@pytest.mark.parametrize(("username", "sees_all", "manages", "home"), [
    ("admin", True, True, "/"), ("office", True, True, "/"), ("leader", True, False, "/"),
    ("panaimin", True, False, "/"), ("qyfw_head", False, False, "/workspace"),
    ("qyfw_reporter", False, False, "/workspace"),
])
def test_each_demo_account_sees_and_changes_what_its_role_may(runner, app, client, username,
                                                              sees_all, manages, home):
    app.config["DEMO_PASSWORD"] = "demo-password-1"
    app.config["TODAY"] = "2022-06-15"
    runner.invoke(args=["demo", "--year", "2022"])
    client.login(username, "demo-password-1")
    landing = client.get("/")
    assert (landing.headers.get("Location") or "/") == home
    page = client.get("/tasks/").get_data(as_text=True)
    assert "推进离岸孵化相关工作" in page  # 区企业服务中心's task
    assert ("安置房分配" in page) == sees_all  # 区城建局's task
    assert (client.get("/tasks/new").status_code == 200) == manages
    assert (client.get("/reviews").status_code == 200) == manages
    offshore = db.session.scalar(select(Task).where(Task.title == "推进离岸孵化相关工作"))
    detail = client.get(f"/tasks/{offshore.id}").get_data(as_text=True)
    assert ("填报</a>" in detail) == username.startswith("qyfw_")
    assert (client.get("/admin/users").status_code == 200) == (username == "admin")


def test_synthetic_demo_data(runner, app):
    app.config["TODAY"] = "2022-07-01"
    result = runner.invoke(args=["demo", "--year", "2022", "--units", "4", "--tasks", "30"])
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["units"] == 4 and summary["tasks"] == 30 and summary["milestones"] == 360
    reports = db.session.scalars(select(ProgressReport)).all()
    assert 0.8 * 30 * 6 <= len(reports) <= 30 * 6  # most of January–June
    late = sum(r.is_late() for r in reports)
    assert 0 < late < len(reports) * 0.25
    again = runner.invoke(args=["demo", "--year", "2022", "--units", "4", "--tasks", "30"])
    assert json.loads(again.stdout)["tasks"] == 0
    assert db.session.scalar(select(func.count(Task.id))) == 30
