"""Log-in throttling per (account, address) and per address, on the pages and the API;
passwords that are too weak; unknown names cost a hash like known ones."""
import time

import pytest
from conftest import PASSWORD, make_user
from sqlalchemy import select

from taskboard.auth.models import LoginThrottle
from taskboard.extensions import db
from taskboard.tasks.models import AuditLog


def _from(app, address: str):
    """A browser at ``address`` (the ``client`` fixture sets the browser-like client class)."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _said(response) -> str:
    return response.json["error"]["message"] if response.is_json else response.get_data(
        as_text=True)


def _page_login(client, password: str, username: str = "leader"):
    return client.post_form("/login", {"username": username, "password": password})


def _api_login(client, password: str, username: str = "leader"):
    return client.post("/api/v1/token", json={"username": username, "password": password})


@pytest.mark.parametrize("attempt", [_page_login, _api_login])
def test_ten_failures_lock_the_pair_not_the_account(app, client, attempt):
    make_user("leader", "leader")
    attacker = _from(app, "10.0.0.66")
    for _ in range(9):
        assert attempt(attacker, "wrong-password").status_code in (200, 401)
    locked = attempt(attacker, "wrong-password")
    assert locked.status_code == 429
    assert "已锁定" in _said(locked)
    # Even the right password is refused from that address now …
    response = attempt(attacker, PASSWORD)
    assert response.status_code == 429 and "已锁定" in _said(response)
    # … while the 主要领导 at their own desk logs in.
    assert attempt(_from(app, "10.0.0.7"), PASSWORD).status_code in (200, 302)
    audit = db.session.scalar(select(AuditLog).where(AuditLog.action == "login_locked"))
    assert audit.after["username"] == "leader" and audit.after["address"] == "10.0.0.66"


def test_a_success_clears_the_failures(app, client):
    make_user("leader", "leader")
    desk = _from(app, "10.0.0.7")
    for _ in range(9):
        _page_login(desk, "wrong-password")
    assert _page_login(desk, PASSWORD).status_code == 302
    assert db.session.scalar(select(LoginThrottle).where(LoginThrottle.username == "leader")) \
        is None


def test_the_admin_unlocks(app, client):
    leader = make_user("leader", "leader")
    make_user("admin", "admin")
    attacker = _from(app, "10.0.0.66")
    for _ in range(10):
        _page_login(attacker, "wrong-password")
    client.login("admin")
    page = client.get(f"/admin/users/{leader.id}").get_data(as_text=True)
    assert "10.0.0.66" in page and "解除锁定" in page
    response = client.post_form(f"/admin/users/{leader.id}/unlock", follow_redirects=True)
    assert "已解除" in response.get_data(as_text=True)
    assert _page_login(attacker, PASSWORD).status_code == 302
    assert db.session.scalar(select(AuditLog.action).where(AuditLog.action == "login_unlocked"))


def test_one_address_may_try_only_so_often(app, client):
    app.config["LOGIN_ADDRESS_LIMIT"] = 5
    make_user("leader", "leader")
    make_user("office", "office")
    busy = _from(app, "10.0.0.99")
    for username in ("a", "b", "c", "d", "e"):
        assert _page_login(busy, "wrong-password", username).status_code == 200
    response = _api_login(busy, PASSWORD, "office")
    assert response.status_code == 429 and "过于频繁" in response.json["error"]["message"]
    assert _page_login(busy, PASSWORD, "office").status_code == 429
    assert _page_login(_from(app, "10.0.0.1"), PASSWORD, "office").status_code == 302


def test_behind_a_proxy_each_user_is_their_own_address(database_url):
    from taskboard import create_app

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url,
                      "SECRET_KEY": "x", "PROXY_COUNT": 1})
    seen = []

    @app.get("/whoami")
    def whoami():
        from flask import request

        seen.append(request.remote_addr)
        return ""

    app.test_client().get("/whoami", headers={"X-Forwarded-For": "10.1.2.3"})
    assert seen == ["10.1.2.3"]


def _best_of(attempt, runs: int = 5) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        attempt()
        timings.append(time.perf_counter() - start)
    return min(timings)


def test_an_unknown_name_costs_a_hash_like_a_known_one(app, client):
    # Real scrypt cost, so that skipping the hash would show.
    app.config["PASSWORD_HASH_METHOD"] = "scrypt:32768:8:1"
    make_user("leader", "leader")
    known = _best_of(lambda: _api_login(client, "wrong-password"))
    unknown = _best_of(lambda: _api_login(client, "wrong-password", "nobody"))
    assert unknown > known / 3, (known, unknown)


@pytest.mark.parametrize(("password", "message"), [
    ("aaaaaaaa", "至少 10 位"), ("aaaaaaaaaa", "太常见"), ("qwertyuiop", "太常见"),
    ("1234567890", "太常见"), ("Woaini1314", "太常见"), ("office_zhang", "不能与用户名相同"),
])
def test_weak_passwords_are_refused(client, app, password, message):
    make_user("admin", "admin")
    client.login("admin")
    response = client.post_form("/admin/users/new", {
        "username": "office_zhang", "display_name": "张", "role": "office",
        "password": password})
    assert message in response.get_data(as_text=True)
