"""`flask backup`: an online SQLite backup, and the README's restore, tested end to end."""
import shutil
import stat
import threading

import pytest
from conftest import PASSWORD, make_task, make_unit, make_user
from sqlalchemy import select

from taskboard import create_app
from taskboard.extensions import db
from taskboard.tasks.models import Task


def test_backup_while_writing_then_restore_as_the_readme_says(app, tmp_path):
    if db.engine.dialect.name != "sqlite":
        result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "x.dump")])
        assert result.exit_code == 1 and "pg_dump" in result.stderr
        return
    unit = make_unit("qyfw", "区企业服务中心")
    make_user("office", "office")
    make_task(unit, title="备份前的事项")
    stop = threading.Event()

    def keep_writing():  # the app goes on working during the backup
        with app.app_context():
            number = 0
            while not stop.is_set():
                number += 1
                make_unit(f"w{number}")
                stop.wait(0.01)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    target = tmp_path / "taskboard-backup.db"
    try:
        result = app.test_cli_runner().invoke(args=["backup", str(target)])
    finally:
        stop.set()
        writer.join()
    assert result.exit_code == 0, result.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    again = app.test_cli_runner().invoke(args=["backup", str(target)])
    assert again.exit_code == 1 and "不会覆盖" in again.stderr

    # Restore: stop the app, copy the backup over the database file, start again.
    instance = tmp_path / "restored"
    instance.mkdir()
    shutil.copy(target, instance / "taskboard.db")
    restored = create_app({"TESTING": True, "SECRET_KEY": "x",
                           "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'taskboard.db'}",
                           "SERVER_NAME": "localhost", "TODAY": "2022-06-15"})
    with restored.app_context():
        assert db.session.scalar(select(Task.title)) == "备份前的事项"
        assert db.session.execute(db.text("PRAGMA integrity_check")).scalar() == "ok"
        client = restored.test_client()
        response = client.post("/api/v1/token", json={"username": "office",
                                                      "password": PASSWORD})
        assert response.status_code == 200
        db.engine.dispose()


def test_backup_refuses_a_missing_folder(app, tmp_path):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite backup")
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "missing" / "x.db")])
    assert result.exit_code == 1 and "不存在" in result.stderr
