"""The app factory: configuration layers, the secret-key guard, SQLite tuning, "today", i18n."""
from datetime import date

import pytest
from conftest import make_user
from sqlalchemy import text

from taskboard import create_app
from taskboard.clock import today
from taskboard.extensions import db


def test_instance_config_then_environment_then_argument(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text("TASKS_PER_PAGE = 7\nSECRET_KEY = 'from-file'\n")
    monkeypatch.setenv("TASKBOARD_INSTANCE_PATH", str(tmp_path))
    app = create_app()
    assert app.config["TASKS_PER_PAGE"] == 7
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'taskboard.db'}"
    monkeypatch.setenv("TASKBOARD_TASKS_PER_PAGE", "9")  # JSON: a number
    monkeypatch.setenv("TASKBOARD_SQLALCHEMY_DATABASE_URI", "postgresql+psycopg://u@h/db")
    app = create_app()
    assert app.config["TASKS_PER_PAGE"] == 9
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"
    assert create_app({"TASKS_PER_PAGE": 3}).config["TASKS_PER_PAGE"] == 3


def test_production_refuses_the_default_secret_key(tmp_path, monkeypatch):
    monkeypatch.setenv("TASKBOARD_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("TASKBOARD_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="TASKBOARD_SECRET_KEY"):
        create_app()
    assert create_app({"TESTING": True}).testing


def test_sqlite_runs_in_wal_mode_with_foreign_keys(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas")
    assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
    assert db.session.execute(text("PRAGMA busy_timeout")).scalar() == 10000


def test_today_is_configurable_for_rehearsals(app, monkeypatch):
    assert today() == date(2022, 6, 15)
    app.config["TODAY"] = None
    assert abs((today() - date.today()).days) <= 1  # Asia/Shanghai may be a day ahead of UTC


def test_pages_speak_chinese_by_default_and_english_on_request(client, app):
    make_user("office", "office")
    client.login("office")
    assert "督办事项" in client.get("/tasks/").get_data(as_text=True)
    client.get("/lang/en", headers={"Referer": "http://localhost/tasks/"})
    page = client.get("/tasks/").get_data(as_text=True)
    assert "Tasks" in page and "New task" in page
    assert client.get("/lang/xx").status_code == 404


def test_errors_are_pages_in_chinese(client, app):
    make_user("office", "office")
    client.login("office")
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "您要找的内容不存在" in response.get_data(as_text=True)


def test_bootstrap_is_served_by_the_app_itself(client, app):
    page = client.get("/login").get_data(as_text=True)
    assert "cdn" not in page.lower()
    assert client.get("/bootstrap/static/css/bootstrap.min.css").status_code == 200
    assert client.get("/static/taskboard.css").status_code == 200
