"""Every role against every page: who may see, who may change. CSRF is on throughout."""
import pytest
from sqlalchemy import func, select

from taskboard.auth.models import User
from taskboard.extensions import db
from taskboard.tasks.models import Comment, Task
from taskboard.units.models import Unit

ROLES = ("admin", "office", "leader", "unit_head", "reporter")
EVERYONE = set(ROLES)
MANAGERS = {"admin", "office"}
SEE_ALL = {"admin", "office", "leader"}

# (url template, roles answered 200; everyone else 403)
PAGES = [
    ("/tasks/", EVERYONE),
    ("/tasks/{own}", EVERYONE),
    ("/tasks/{foreign}", SEE_ALL),
    ("/tasks/new", MANAGERS),
    ("/tasks/{own}/edit", MANAGERS),
    ("/units/", EVERYONE),
    ("/units/{unit}", EVERYONE),
    ("/units/new", MANAGERS),
    ("/units/{unit}/edit", MANAGERS),
    ("/meetings/", SEE_ALL),
    ("/meetings/new", MANAGERS),
    ("/admin/users", {"admin"}),
    ("/admin/users/new", {"admin"}),
    ("/admin/users/{user}", {"admin"}),
    ("/admin/calendar/", MANAGERS),
    ("/account/password", EVERYONE),
]


def _url(template: str, world: dict) -> str:
    return template.format(own=world["own_task"].id, foreign=world["foreign_task"].id,
                           unit=world["units"]["ours"].id, user=world["users"]["reporter"].id)


@pytest.mark.parametrize("role", ROLES)
def test_every_page_answers_each_role_as_the_rules_say(client, world, role):
    client.login(world["users"][role].username)
    for template, allowed in PAGES:
        response = client.get(_url(template, world))
        expected = 200 if role in allowed else 403
        assert response.status_code == expected, (template, role, response.status_code)


@pytest.mark.parametrize("role", ROLES)
def test_missing_objects_are_404_for_everyone(client, world, role):
    client.login(world["users"][role].username)
    for url in ("/tasks/999999", "/tasks/999999/edit", "/units/999999", "/meetings/999999",
                "/units/999999/edit"):
        assert client.get(url).status_code == 404, url


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    for template, _allowed in PAGES:
        if template == "/account/password":
            continue
        response = client.get(_url(template, world))
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("role", ["leader", "unit_head", "reporter"])
def test_refused_changes_change_nothing(client, world, role):
    client.login(world["users"][role].username)
    own = world["own_task"]
    before = (_count(Task), _count(Unit), _count(User))

    assert client.post_form(f"/tasks/{own.id}/delete").status_code == 403
    assert client.post_form(f"/tasks/{own.id}/edit", {"title": "改名"}).status_code == 403
    assert client.post_form("/tasks/new", {"title": "新事项"}).status_code == 403
    assert client.post_form("/units/new", {"name": "新单位", "code": "xin"}).status_code == 403
    assert client.post_form("/admin/users/new", {"username": "mallory", "role": "admin",
                                                 "password": "longenough1"}).status_code == 403

    db.session.expire_all()
    task = db.session.get(Task, own.id)
    assert task.deleted_at is None and task.title == "我单位负责的事项"
    assert (_count(Task), _count(Unit), _count(User)) == before


@pytest.mark.parametrize("role", ROLES)
def test_everyone_who_sees_a_task_may_comment(client, world, role):
    client.login(world["users"][role].username)
    own = world["own_task"]
    response = client.post_form(f"/tasks/{own.id}/comments", {"text": "请抓紧推进"})
    assert response.status_code == 302
    comment = db.session.scalar(select(Comment).where(Comment.task_id == own.id))
    assert comment.text == "请抓紧推进"
    # A leader's comment is a 批示, shown highlighted at the top of the task.
    assert comment.is_instruction == (role == "leader")
    page = client.get(f"/tasks/{own.id}").get_data(as_text=True)
    assert ("领导批示" in page) == (role == "leader")


@pytest.mark.parametrize("role", ["unit_head", "reporter"])
def test_unit_people_cannot_comment_on_tasks_they_cannot_see(client, world, role):
    client.login(world["users"][role].username)
    foreign = world["foreign_task"]
    response = client.post_form(f"/tasks/{foreign.id}/comments", {"text": "看看"})
    assert response.status_code == 403
    assert _count(Comment) == 0


def test_a_cooperating_unit_sees_the_task_but_may_not_report_on_it(client, world):
    from taskboard import permissions

    partner_head = world["users"]["partner_head"]
    own = world["own_task"]
    client.login(partner_head.username)
    assert client.get(f"/tasks/{own.id}").status_code == 200
    assert permissions.can_view_task(partner_head, own)
    assert not permissions.can_report(partner_head, own)
    assert permissions.can_report(world["users"]["reporter"], own)
    assert not permissions.can_report(world["users"]["office"], own)


def test_unit_people_see_only_their_units_tasks_in_the_list(client, world):
    client.login("reporter")
    page = client.get("/tasks/").get_data(as_text=True)
    assert "我单位负责的事项" in page
    assert "别的单位的事项" not in page
    client.post_form("/logout")
    client.login("leader")
    page = client.get("/tasks/").get_data(as_text=True)
    assert "我单位负责的事项" in page and "别的单位的事项" in page


def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(client, world):
    client.login("office")
    own = world["own_task"]
    response = client.post(f"/tasks/{own.id}/comments", data={"text": "没有令牌"})
    assert response.status_code == 400
    assert "页面已过期" in response.get_data(as_text=True)
    assert _count(Comment) == 0
    response = client.post(f"/tasks/{own.id}/delete", data={"csrf_token": "forged"})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Task, own.id).deleted_at is None
