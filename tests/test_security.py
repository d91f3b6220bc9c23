"""Hardening that holds for every request: headers, bounded numbers, no NUL bytes, safe redirects,
no default key, private instance files."""
import json
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PASSWORD, make_user
from sqlalchemy import func, select

from taskboard import create_app
from taskboard.auth.models import User
from taskboard.extensions import db
from taskboard.tasks.models import Task

HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


@pytest.mark.parametrize("url", ["/login", "/static/taskboard.css", "/api/v1/openapi.json",
                                 "/no-such-page", "/api/v1/me"])
def test_every_response_carries_the_security_headers(client, app, url):
    response = client.get(url)
    for name, value in HEADERS.items():
        assert response.headers[name] == value, (url, name)
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self';" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]


def test_pages_have_no_inline_script(client, world):
    client.login("office")
    task = world["own_task"]
    for url in ["/", f"/tasks/{task.id}", "/awards?month=2022-05", "/tasks/"]:
        page = client.get(url).get_data(as_text=True)
        assert " onclick=" not in page and " onsubmit=" not in page, url
        for script in page.split("<script")[1:]:
            assert script.split(">")[0].strip().startswith("src="), (url, script[:80])


def test_session_cookie_is_httponly_and_samesite_and_secure_when_asked(client, app):
    make_user("office", "office")
    cookie = client.login("office").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    secure = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI":
                         app.config["SQLALCHEMY_DATABASE_URI"], "SECURE_COOKIES": True})
    assert secure.config["SESSION_COOKIE_SECURE"] is True


@pytest.mark.parametrize("target", [
    "/%09/evil.example/phish", "/%0a/evil.example", "/%5Cevil.example", "//evil.example",
    "https://evil.example/x", "/\\/evil.example",
])
def test_log_in_never_redirects_off_site(client, app, target):
    make_user("office", "office")
    response = client.post_form(f"/login?next={target}",
                                {"username": "office", "password": PASSWORD})
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("url", [
    "/tasks/99999999999999999999", "/tasks/2147483648", "/tasks/?page=99999999999999999999",
    "/?page=99999999999999999999",
    "/units/1?page=99999999999999999999", "/awards?year=0", "/awards?year=99999999999999999999",
    "/awards?quarter=0-Q1", "/awards/export.xlsx?year=0", "/awards/units/99999999999999999999",
    "/digest/preview?user=99999999999999999999", "/ledger/export.xlsx?year=99999999999999",
])
def test_numbers_past_any_column_answer_400_or_404(client, world, url):
    client.login("office")
    assert client.get(url).status_code in (400, 404), url


@pytest.mark.parametrize("url", [
    "/tasks/?unit=99999999999999999999&lead=-99999999999999999999",
    "/?unit=99999999999999999999&lead=99999999999999999999&meeting=99999999999999999999",
])
def test_a_filter_past_any_id_matches_nothing(client, world, url):
    client.login("office")
    response = client.get(url)
    assert response.status_code == 200
    assert world["own_task"].title not in response.get_data(as_text=True)


@pytest.mark.parametrize("url", [
    "/api/v1/tasks/99999999999999999999", "/api/v1/tasks?unit_id=99999999999999999999",
    "/api/v1/tasks?page=99999999999999999999", "/api/v1/tasks?lead_id=-99999999999999999999",
])
def test_the_api_bounds_numbers_too(client, world, url):
    token = client.post("/api/v1/token", json={"username": "office", "password": PASSWORD})
    headers = {"Authorization": f"Bearer {token.json['token']}"}
    response = client.get(url, headers=headers)
    assert response.status_code in (404, 422), url
    assert "error" in response.json
    response = client.post("/api/v1/tasks", headers=headers, json={
        "title": "x", "responsible_unit_id": 2**63, "due_date": "2022-12-31"})
    assert response.status_code == 422
    assert db.session.scalar(select(func.count(Task.id))) == 2


def test_nul_bytes_are_refused_before_anything_is_read(client, app):
    make_user("office", "office")
    response = client.post("/api/v1/token", json={"username": "a\u0000", "password": "x"})
    assert response.status_code == 400 and "NUL" in response.json["error"]["message"]
    response = client.post("/api/v1/token", data=json.dumps({"x": ["ok", {"k\u0000": 1}]}),
                           content_type="application/json")
    assert response.status_code == 400
    response = client.post_form("/login", {"username": "office\x00", "password": PASSWORD})
    assert response.status_code == 400 and "NUL" in response.get_data(as_text=True)
    client.login("office")
    assert client.get("/tasks/?q=a%00b").status_code == 400
    response = client.post_form("/admin/users/new", {"username": "x", "display_name": "a\x00"})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(User.id))) == 1


def test_debug_mode_refuses_the_default_key_and_instance_files_are_private(tmp_path,
                                                                           monkeypatch):
    monkeypatch.setenv("TASKBOARD_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.delenv("TASKBOARD_SECRET_KEY", raising=False)
    monkeypatch.setenv("FLASK_DEBUG", "1")
    with pytest.raises(RuntimeError, match="TASKBOARD_SECRET_KEY"):
        create_app()
    with pytest.raises(RuntimeError, match="TASKBOARD_SECRET_KEY"):
        create_app({"DEBUG": True})
    app = create_app({"SECRET_KEY": "a-real-one"})
    instance = tmp_path / "instance"
    assert stat.S_IMODE(instance.stat().st_mode) == 0o700
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    for path in instance.glob("taskboard.db*"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_make_writes_the_secret_key_readable_by_its_owner_only(tmp_path):
    makefile = Path(__file__).resolve().parent.parent / "Makefile"
    subprocess.run(["make", "-s", "-f", str(makefile), "-C", str(tmp_path),
                    f"BIN={Path(sys.executable).parent}", "instance/config.py"], check=True,
                   capture_output=True)
    config = tmp_path / "instance" / "config.py"
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert stat.S_IMODE(config.parent.stat().st_mode) == 0o700
    assert config.read_text().startswith("SECRET_KEY = '")
