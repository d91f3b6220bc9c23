"""Log-in, log-out, passwords, and the admin's account pages."""
import pytest
from conftest import PASSWORD, make_unit, make_user
from sqlalchemy import func, select

from taskboard.auth.models import User
from taskboard.extensions import db


def test_log_in_and_out(client, app):
    make_user("office", "office", display_name="督查室小王")
    response = client.post_form("/login", {"username": "OFFICE", "password": PASSWORD})
    assert response.status_code == 302
    page = client.get("/tasks/").get_data(as_text=True)
    assert "督查室小王" in page
    assert db.session.scalar(select(User.last_login_at)) is not None
    assert client.post_form("/logout").status_code == 302
    assert client.get("/tasks/").status_code == 302


@pytest.mark.parametrize("password", ["wrong-password", ""])
def test_a_wrong_password_is_refused_with_one_message(client, app, password):
    make_user("office", "office")
    response = client.post_form("/login", {"username": "office", "password": password})
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "用户名或密码不正确" in text or "请输入密码" in text
    assert client.get("/tasks/").status_code == 302


def test_an_inactive_account_cannot_log_in(client, app):
    user = make_user("gone", "office")
    user.active = False
    db.session.commit()
    response = client.post_form("/login", {"username": "gone", "password": PASSWORD})
    assert "账号已停用" in response.get_data(as_text=True)


def test_log_in_goes_back_only_within_the_site(client, app):
    make_user("office", "office")
    response = client.post_form("/login?next=https://evil.example/x",
                                {"username": "office", "password": PASSWORD})
    assert response.headers["Location"] == "/"
    client.post_form("/logout")
    response = client.post_form("/login?next=/units/", {"username": "office",
                                                        "password": PASSWORD})
    assert response.headers["Location"] == "/units/"


def test_change_own_password(client, app):
    make_user("reporter", "office")
    client.login("reporter")
    response = client.post_form("/account/password", {
        "current_password": "nope", "new_password": "new-password-1",
        "confirm": "new-password-1"})
    assert "当前密码不正确" in response.get_data(as_text=True)
    response = client.post_form("/account/password", {
        "current_password": PASSWORD, "new_password": "short", "confirm": "short"})
    assert "密码至少 10 位" in response.get_data(as_text=True)
    response = client.post_form("/account/password", {
        "current_password": PASSWORD, "new_password": "new-password-1",
        "confirm": "other-password"})
    assert "两次输入的新密码不一致" in response.get_data(as_text=True)
    response = client.post_form("/account/password", {
        "current_password": PASSWORD, "new_password": "new-password-1",
        "confirm": "new-password-1"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(User)).check_password("new-password-1")


def test_admin_creates_edits_and_resets_accounts(client, app):
    unit = make_unit("qyfw", "区企业服务中心")
    make_user("admin", "admin")
    client.login("admin")
    response = client.post_form("/admin/users/new", {
        "username": "qyfw_reporter", "display_name": "小李", "email": "li@example.org",
        "role": "reporter", "unit_id": unit.id, "password": "first-password"})
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.username == "qyfw_reporter"))
    assert user.unit.name == "区企业服务中心" and user.check_password("first-password")

    response = client.post_form(f"/admin/users/{user.id}", {
        "username": "qyfw_reporter", "display_name": "李明", "email": "", "role": "unit_head",
        "unit_id": unit.id})
    assert response.status_code == 302
    db.session.expire_all()
    assert (user.display_name, user.role, user.active) == ("李明", "unit_head", False)

    response = client.post_form(f"/admin/users/{user.id}/password",
                                {"reset-new_password": "second-password"})
    assert response.status_code == 302
    db.session.expire_all()
    assert user.check_password("second-password")
    assert "李明" in client.get("/admin/users").get_data(as_text=True)


@pytest.mark.parametrize(("form", "message"), [
    ({"username": "admin"}, "已被使用"),
    ({"username": "ADMIN"}, "已被使用"),
    ({"username": "有 空格"}, "用户名只能用"),
    ({"role": "reporter"}, "必须属于一个单位"),
    ({"email": "not-an-email"}, "邮箱"),
    ({"password": "short"}, "密码至少 10 位"),
])
def test_bad_account_input_is_explained_and_writes_nothing(client, app, form, message):
    make_user("admin", "admin")
    client.login("admin")
    data = {"username": "newbie", "role": "office", "password": "long-enough-1", **form}
    response = client.post_form("/admin/users/new", data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(User.id))) == 1
