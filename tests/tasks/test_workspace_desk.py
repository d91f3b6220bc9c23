"""The unit's desk: 签收 and 异议 without leaving it, and counts in the navigation."""
import re
from datetime import date

import pytest
from conftest import make_task, make_unit, make_user
from sqlalchemy import select

from taskboard.extensions import db
from taskboard.tasks.models import Task, TaskRequest


@pytest.fixture
def desk(app):
    ours = make_unit("ours", "区招商局")
    make_user("head", "unit_head", ours)
    make_user("reporter", "reporter", ours)
    make_user("office", "office")
    signed = make_task(ours, title="早先交办的事项", today=date(2022, 1, 4))
    fresh = make_task(ours, title="新交办的事项", today=date(2022, 6, 14))
    return {"signed": signed, "fresh": fresh}


def _nav_badge(page: str, label: str) -> str | None:
    match = re.search(label + r'\s*<span class="badge[^"]*">(\d+)', page)
    return match.group(1) if match else None


def test_signing_on_the_workspace_stays_on_the_workspace(client, desk):
    client.login("reporter")
    response = client.post_form(f"/tasks/{desk['fresh'].id}/acknowledge", {"back": "workspace"})
    assert response.headers["Location"].endswith("/workspace")
    db.session.expire_all()
    assert db.session.get(Task, desk["fresh"].id).acknowledged_at is not None
    # Any other value of "back" lands on the task: no redirect off the site.
    response = client.post_form(f"/tasks/{desk['signed'].id}/acknowledge",
                                {"back": "https://example.com/"})
    assert response.headers["Location"].endswith(f"/tasks/{desk['signed'].id}")


def test_a_head_objects_from_the_workspace_and_stays_there(client, desk):
    client.login("reporter")  # a reporter signs but may not object
    assert "提出异议" not in client.get("/workspace").get_data(as_text=True)
    client.post_form("/logout")
    client.login("head")
    page = client.get("/workspace").get_data(as_text=True)
    assert "提出异议" in page and 'for="objection-' in page
    response = client.post_form(f"/tasks/{desk['fresh'].id}/requests/objection",
                                {"reason": "应由城建局负责", "back": "workspace"},
                                follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.request.path == "/workspace" and "异议待督查室处理" in page
    objection = db.session.scalar(select(TaskRequest))
    assert (objection.kind, objection.reason) == ("objection", "应由城建局负责")
    response = client.post_form(f"/tasks/{desk['signed'].id}/requests/objection",
                                {"reason": "", "back": "workspace"}, follow_redirects=True)
    assert response.request.path == "/workspace" and "请填写理由" in response.get_data(
        as_text=True)


def test_the_navigation_counts_what_waits(client, desk):
    client.login("reporter")
    page = client.get("/tasks/").get_data(as_text=True)
    # 15 June 2022: two tasks to sign, and January to June of each unreported.
    assert _nav_badge(page, "工作台") == str(2 + 6 + 6)
    client.post_form(f"/tasks/{desk['signed'].id}/acknowledge")
    assert _nav_badge(client.get("/tasks/").get_data(as_text=True), "工作台") == str(1 + 6 + 6)
    client.post_form("/logout")
    client.login("head")
    client.post_form(f"/tasks/{desk['fresh'].id}/requests/objection", {"reason": "不归我们"})
    client.post_form("/logout")
    client.login("office")
    assert _nav_badge(client.get("/tasks/").get_data(as_text=True), "待办") == "1"


def test_icons_and_favicon_are_served_by_the_app(client, desk):
    client.login("office")
    page = client.get("/tasks/").get_data(as_text=True)
    sprite = re.search(r'<use href="([^"#]+)#bell-fill"', page).group(1)
    assert "🔔" not in page
    assert b'id="bell-fill"' in client.get(sprite).data
    favicon = client.get("/favicon.ico")
    assert favicon.status_code == 200 and favicon.mimetype == "image/svg+xml"
