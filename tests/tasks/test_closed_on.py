"""Task.closed_on: stamped when a task is done or cancelled, cleared when it reopens, backfilled."""
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from conftest import make_task, make_unit, make_user
from flask import current_app
from flask_migrate import upgrade

from taskboard import create_app
from taskboard.extensions import db, migrate
from taskboard.tasks.models import Task
from taskboard.tasks.workflow import decide_completion, request_completion

REVISION = "i16c_closed_on"


@pytest.fixture
def closing(app):
    unit = make_unit("ours", "区招商局")
    return {"task": make_task(unit), "head": make_user("head", "unit_head", unit),
            "office": make_user("office", "office")}


@contextmanager
def _today(day: date) -> Iterator[None]:
    """The app's today (TASKBOARD_TODAY) moved to ``day`` for a while."""
    saved = current_app.config["TODAY"]
    current_app.config["TODAY"] = day.isoformat()
    try:
        yield
    finally:
        current_app.config["TODAY"] = saved


def _complete(closing, day: date, *, approve: bool = True) -> Task:
    """办结 through the workflow: the unit asks, the office decides, on ``day``."""
    with _today(day):
        request = request_completion(closing["task"], closing["head"], summary="已全部完成。")
        task = decide_completion(request, closing["office"], approve=approve,
                                 comment=None if approve else "佐证材料不全。")
        db.session.commit()
    return task


def test_done_through_the_workflow_is_stamped_with_that_day(closing):
    assert closing["task"].closed_on is None
    task = _complete(closing, date(2022, 5, 20))
    assert (task.status, task.closed_on) == ("done", date(2022, 5, 20))


def test_a_rejected_completion_leaves_the_task_open(closing):
    task = _complete(closing, date(2022, 5, 20), approve=False)
    assert (task.status, task.closed_on) == ("in_progress", None)


def test_cancelled_is_stamped_reopened_is_cleared_and_closed_again_is_stamped_again(closing):
    task = closing["task"]
    with _today(date(2022, 4, 8)):
        task.status = "cancelled"  # 撤销: no workflow step yet; the status is what it sets
        db.session.commit()
    assert task.closed_on == date(2022, 4, 8)
    with _today(date(2022, 4, 12)):
        task.status = "in_progress"  # reopened
        db.session.commit()
    assert task.closed_on is None
    assert _complete(closing, date(2022, 6, 1)).closed_on == date(2022, 6, 1)


def test_done_then_cancelled_keeps_the_day_it_closed(closing):
    task = _complete(closing, date(2022, 5, 20))
    with _today(date(2022, 6, 3)):
        task.status = "cancelled"
        db.session.commit()
    assert task.closed_on == date(2022, 5, 20)


def test_a_day_given_with_the_status_stands(closing):
    """A loader writing history closes its tasks on the day they closed, not on load day."""
    task = closing["task"]
    task.status, task.closed_on = "done", date(2022, 3, 31)
    db.session.commit()
    assert task.closed_on == date(2022, 3, 31)


def test_other_changes_leave_the_day_alone(closing):
    task = _complete(closing, date(2022, 5, 20))
    task.title = "改过标题的事项"
    db.session.commit()
    assert task.closed_on == date(2022, 5, 20)


# ---- the migration's backfill ------------------------------------------------------------------

def _rows_before_the_migration(engine) -> dict[str, int]:
    """Tasks as they stood before closed_on: done, cancelled, reopened and closed again, open."""
    meta = sa.MetaData()
    units, tasks, audit = (sa.Table(name, meta, autoload_with=engine)
                           for name in ("units", "tasks", "audit_logs"))
    updated = datetime(2022, 6, 10, 2, 0)
    with engine.begin() as conn:
        unit_id = conn.execute(units.insert().values(
            name="区招商局", short_name="招商局", code="zsj", kind="department", active=True)
            .returning(units.c.id)).scalar_one()
        ids = {}
        for number, status in enumerate(("done", "cancelled", "done", "in_progress"), 1):
            ids[f"{status}{number}"] = conn.execute(tasks.insert().values(
                code=f"DB-2022-{number:03d}", code_year=2022, code_number=number,
                title=f"事项{number}", description="", source_excerpt="", category="",
                lead_leader_name="", responsible_unit_id=unit_id,
                other_departments_participate=False, cooperating_names=[],
                responsible_person="", start_date=date(2022, 1, 1), due_date=date(2022, 12, 31),
                level="normal", card="none", status=status, assigned_on=date(2022, 1, 1),
                created_at=datetime(2022, 1, 1), updated_at=updated)
                .returning(tasks.c.id)).scalar_one()

        def logged(task_id: int, at: datetime, **after) -> None:
            conn.execute(audit.insert().values(
                action="update", entity="task", entity_id=task_id, task_id=task_id,
                before={}, after=after, created_at=at))

        # Done at 01:00 on 31 March in Shanghai, which is still 30 March in UTC.
        logged(ids["done1"], datetime(2022, 3, 28, 3, 0), title="改过的标题")
        logged(ids["done1"], datetime(2022, 3, 30, 17, 0), status="done")
        # The cancelled one has no history: the day it was last updated.
        # Done, reopened, done again: the last time it closed.
        logged(ids["done3"], datetime(2022, 2, 1, 3, 0), status="done")
        logged(ids["done3"], datetime(2022, 2, 9, 3, 0), status="in_progress")
        logged(ids["done3"], datetime(2022, 5, 4, 3, 0), status="done")
        logged(ids["in_progress4"], datetime(2022, 1, 5, 3, 0), status="in_progress")
    return ids


def test_the_migration_backfills_the_day_each_closed_task_closed(scratch_url):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": scratch_url,
                      "SECRET_KEY": "test"})
    with app.app_context():
        script = ScriptDirectory(migrate.get_config().get_main_option("script_location"))
        upgrade(revision=script.get_revision(REVISION).down_revision)
        ids = _rows_before_the_migration(db.engine)
        upgrade(revision=REVISION)
        closed_on = dict(db.session.execute(sa.text("SELECT id, closed_on FROM tasks")).all())
        db.session.remove()
        db.engine.dispose()
    as_dates = {key: closed_on[task_id] for key, task_id in ids.items()}
    if isinstance(as_dates["done1"], str):  # SQLite returns the text it stores
        as_dates = {k: v and date.fromisoformat(v) for k, v in as_dates.items()}
    assert as_dates == {"done1": date(2022, 3, 31), "cancelled2": date(2022, 6, 10),
                        "done3": date(2022, 5, 4), "in_progress4": None}
