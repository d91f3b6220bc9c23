"""待办 in minutes: figures against the plan, an explicit choice, 通过所选, and re-reporting."""
import re
from datetime import date
from decimal import Decimal

import pytest
from conftest import make_task, make_unit, make_user

from taskboard.calendar.workdays import WorkCalendar
from taskboard.extensions import db
from taskboard.tasks import workflow
from taskboard.tasks.models import ProgressReport
from taskboard.tasks.services import TargetData


@pytest.fixture
def queue(app):
    """Three reports awaiting review: two with figures, one ticked 暂无数据."""
    ours = make_unit("ours", "区招商局")
    reporter = make_user("reporter", "reporter", ours)
    make_user("office", "office")
    make_user("office2", "office")
    tasks = [make_task(ours, title=f"事项{n}", today=date(2022, 1, 4), targets=[
        TargetData(metric="新签约项目", value=Decimal(60), measure_unit="个")]) for n in (1, 2, 3)]
    calendar = WorkCalendar.load()
    reports = []
    for task, value in zip(tasks, [Decimal(7), Decimal(3), None], strict=True):
        values = {task.targets[0].id: value} if value is not None else {}
        reports.append(workflow.submit_report(
            task.milestones[0], reporter, text=f"{task.title}一月进展", values=values, files=[],
            today=date(2022, 1, 28), calendar=calendar,
            no_data=() if value is not None else {task.targets[0].id}))
    db.session.commit()
    return {"tasks": tasks, "reports": reports}


def _status(report_id: int) -> str:
    db.session.expire_all()
    return db.session.get(ProgressReport, report_id).review_status


def _card(page: str, report_id: int) -> str:
    start = page.index(f'id="report-{report_id}"')
    return page[start:page.index('id="report-', start + 1) if 'id="report-' in page[start + 1:]
                else len(page)]


def test_the_queue_shows_figures_against_plan_and_presets_no_decision(client, queue):
    client.login("office")
    page = client.get("/reviews").get_data(as_text=True)
    first, _, missing = (_card(page, r.id) for r in queue["reports"])
    # January's plan for 60 a year is 5; the unit reported 7.
    assert re.search(r"新签约项目</td>\s*<td[^>]*>5</td>\s*<td[^>]*>7</td>", first)
    assert "未填" in missing and "未填" not in first
    assert "checked" not in first  # neither 通过 nor 退回 is preselected
    response = client.post_form(f"/reports/{queue['reports'][0].id}/review", {"back": "reviews"},
                                follow_redirects=True)
    assert "请选择通过或退回" in response.get_data(as_text=True)
    assert _status(queue["reports"][0].id) == "pending"


def test_after_a_decision_the_office_stays_on_the_queue_at_the_next_report(client, queue):
    first, second, _ = queue["reports"]
    client.login("office")
    response = client.post_form(f"/reports/{first.id}/review",
                                {"decision": "accept", "back": "reviews",
                                 "next_report": second.id})
    assert response.headers["Location"].endswith(f"/reviews#report-{second.id}")
    assert _status(first.id) == "accepted"
    # From the task page the office goes back to the task.
    response = client.post_form(f"/reports/{second.id}/review", {"decision": "accept"})
    assert f"/tasks/{queue['tasks'][1].id}" in response.headers["Location"]


def test_ticked_reports_are_accepted_together_and_one_decided_meanwhile_is_named(client, queue):
    first, second, third = queue["reports"]
    client.login("office2")
    client.post_form(f"/reports/{second.id}/review",
                     {"decision": "return", "comment": "请补充签约清单"})
    client.post_form("/logout")
    client.login("office")
    response = client.post_form("/reviews/accept", {"report_ids": [first.id, second.id]},
                                follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "已通过 1 份进展报告" in page
    assert f"{queue['tasks'][1].code} 2022-01 的报告已由他人审核（已退回）" in page
    assert [_status(r.id) for r in (first, second, third)] == ["accepted", "returned", "pending"]
    assert db.session.get(ProgressReport, first.id).reviewer.username == "office"


@pytest.mark.parametrize(("ids", "message"), [([], "请先勾选要通过的报告"),
                                              ([999999], "不存在或已删除")])
def test_a_bulk_accept_of_nothing_or_of_unknown_reports_changes_nothing(client, queue, ids,
                                                                       message):
    client.login("office")
    response = client.post_form("/reviews/accept", {"report_ids": ids}, follow_redirects=True)
    assert message in response.get_data(as_text=True)
    assert {_status(r.id) for r in queue["reports"]} == {"pending"}


def test_a_unit_cannot_bulk_accept(client, queue):
    client.login("reporter")
    response = client.post_form("/reviews/accept", {"report_ids": [queue["reports"][0].id]})
    assert response.status_code == 403
    assert _status(queue["reports"][0].id) == "pending"


def test_a_returned_report_opens_prefilled_with_the_offices_comment_above(client, queue):
    report = queue["reports"][0]
    client.login("office")
    client.post_form(f"/reports/{report.id}/review",
                     {"decision": "return", "comment": "请附盖章的签约清单"})
    client.post_form("/logout")
    client.login("reporter")
    page = client.get(f"/milestones/{report.milestone_id}/report").get_data(as_text=True)
    assert page.index("请附盖章的签约清单") < page.index('name="text"')
    assert re.search(r'<textarea[^>]*name="text"[^>]*>\s*事项1一月进展</textarea>', page)
    assert re.search(r'name="values-0-value"[^>]*value="7"', page) or \
        re.search(r'value="7"[^>]*name="values-0-value"', page)


def test_the_task_page_shows_plan_to_date_actual_and_share_of_target(client, queue, app):
    app.config["TODAY"] = "2022-02-15"  # January (plan 5) is due; February is not yet
    client.login("office")
    page = client.get(f"/tasks/{queue['tasks'][0].id}").get_data(as_text=True)
    row = re.search(r"<tr><td>新签约项目.*?</tr>", page, re.S).group(0)
    cells = [re.sub(r"<[^>]+>", " ", c).split() for c in re.findall(r"<td[^>]*>(.*?)</td>", row,
                                                                       re.S)]
    assert cells[2] == ["5"] and cells[3][0] == "7" and cells[4] == ["12%"]  # 7 of 60
