"""Every form post, with whatever a user (or an edited page) sends, gets an answer, never a
server error: each form's own field names filled with hostile values, as each role."""
import random
import re
from datetime import date

import pytest
from conftest import make_report
from sqlalchemy import select

from taskboard.extensions import db
from taskboard.tasks.models import Milestone, ProgressReport

HOSTILE = ["", " ", "9" * 30, "-1e400", "nan", "inf", "1e20", "-5", "0", "2.5", "<b>x</b>",
           "9999-99-99", "0001-01-01", "9999-12-31", "2022-06-15", "长" * 6000, "abc", "1,2",
           "y", "approve", "reject", "accept", "return", "confirm", "save", "issue", "print",
           "download", "2022-13", "9999-12", "x@y", "http://127.0.0.1:1/hook",
           "javascript:alert(1)", str(2**63)]
FORMS = ["/account/", "/account/password", "/admin/calendar/", "/admin/users/new",
         "/awards/settings", "/meetings/new", "/settings/followup", "/tasks/new", "/units/new",
         "/ledger/import", "/documents/bulletins/draft?month=2022-05"]


def _posts(world) -> dict[str, list[str]]:
    """Posts without a form page of their own, with the names their buttons send."""
    own = world["own_task"]
    report = make_report(own.milestones[0], world["users"]["reporter"], date(2022, 1, 28),
                         review_status="pending")
    return {f"/tasks/{own.id}/suspend": ["reason"], f"/tasks/{own.id}/comments": ["text"],
            f"/reports/{report.id}/review": ["decision", "comment", "next_report", "back"],
            "/reviews/accept": ["report_ids"], "/awards/2022-05/compute": [],
            "/awards/2022-05/override": ["unit_id", "award", "reason"],
            "/awards/2022-05/publish": [], "/notifications/read": ["ids"],
            "/outbox/retry": [], "/outbox/cancel": ["ids"],
            f"/tasks/{own.id}/requests/extension": ["reason", "due_date"],
            f"/tasks/{own.id}/requests/objection": ["reason", "unit_id"],
            "/admin/calendar/9999-12-31/delete": [], "/admin/calendar/abc/delete": []}


@pytest.mark.parametrize("seed", range(4))
def test_no_form_post_is_a_server_error(client, world, seed):
    pick = random.Random(seed).choice
    own = world["own_task"]
    forms = [*FORMS, f"/admin/users/{world['users']['reporter'].id}", f"/tasks/{own.id}/edit",
             f"/tasks/{own.id}/plan", f"/units/{world['units']['ours'].id}/edit",
             f"/milestones/{own.milestones[1].id}/report"]
    posts = _posts(world)
    answers = []
    for who in ("admin", "office", "reporter"):
        client.post_form("/logout")
        client.login(who)
        for url in forms:
            page = client.get(url)
            if page.status_code == 200:  # the names the page's own form sends
                posts[url] = sorted(set(re.findall(r'name="([^"]+)"', page.get_data(
                    as_text=True))) - {"csrf_token", "csrf-token"})
        for url, names in posts.items():
            for _ in range(3):
                data = {name: pick(HOSTILE) for name in names}
                answers.append((client.post_form(url, data).status_code, who, url))
    assert [answer for answer in answers if answer[0] >= 500] == []
    assert len(answers) > 250 and {200, 302} <= {status for status, *_ in answers}


def test_a_plan_naming_another_tasks_month_is_refused_and_nothing_changes(client, world):
    own, other = world["own_task"], world["foreign_task"]
    target = own.targets[0]
    before = [m.planned_value_for(target.id) for m in own.milestones]
    data = {f"rows-{i}-milestone_id": str(m.id) for i, m in enumerate(own.milestones)}
    data |= {f"rows-{i}-values-0-target_id": str(target.id) for i in range(12)}
    data |= {f"rows-{i}-values-0-value": "1" for i in range(12)}
    data["rows-0-milestone_id"] = str(other.milestones[0].id)
    data["rows-1-values-0-value"] = "很多"  # the page would be shown again: it is not
    client.login("office")
    page = client.post_form(f"/tasks/{own.id}/plan", data, follow_redirects=True)
    assert "计划中有不属于该事项的节点或指标。" in page.get_data(as_text=True)
    db.session.expire_all()
    assert [m.planned_value_for(target.id) for m in
            db.session.scalars(select(Milestone).where(Milestone.task_id == own.id)
                               .order_by(Milestone.period))] == before


def test_a_report_from_a_page_older_than_the_targets_is_refused(client, world):
    own = world["own_task"]
    client.login("reporter")
    response = client.post_form(f"/milestones/{own.milestones[0].id}/report", {
        "text": "一月签约 5 个", "values-0-target_id": "abc", "values-0-value": "5"},
        content_type="multipart/form-data")
    assert response.status_code == 200
    assert "该事项的指标已调整，请刷新页面后重新填报。" in response.get_data(as_text=True)
    assert db.session.scalar(select(ProgressReport.id)) is None


def test_a_bulletin_dated_9999_is_explained_and_drafted_as_of_today(client, world):
    client.login("office")
    response = client.post_form("/documents/bulletins/draft?month=2022-05",
                                {"issued_on": "9999-12-31", "action": "download"})
    assert response.status_code == 200
    assert "年份必须在 2000 到 2100 之间。" in response.get_data(as_text=True)


def test_ids_no_column_can_hold_are_a_400(client, world):
    client.login("office")
    response = client.post_form("/reviews/accept", {"report_ids": [str(2**63)]})
    assert response.status_code == 400
