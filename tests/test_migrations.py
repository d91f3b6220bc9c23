"""Upgrading keeps the data: a migration that rebuilds a table must not take its children along.

On SQLite a batch migration copies a table, drops the old one and renames the copy; with
foreign keys on, the drop used to cascade and delete every milestone, report and comment of
the tasks it rebuilt (found when the benchmark's data set lost its 60,000 milestones).
"""
from datetime import date, datetime

import sqlalchemy as sa
from flask_migrate import upgrade

from taskboard import create_app
from taskboard.extensions import db

# The last revision before this round's migrations, which rebuild the tasks table on SQLite.
BEFORE = "i15_data_version"
CHILDREN = ("milestones", "progress_reports", "comments", "task_units", "targets")


def _filled(table: sa.Table, **values):
    """``values`` plus a plain value for every other required column, as the schema stood."""
    plain = {sa.String: "", sa.Text: "", sa.Integer: 0, sa.Boolean: False, sa.Numeric: 0,
             sa.DateTime: datetime(2022, 1, 1), sa.Date: date(2022, 1, 1), sa.JSON: []}
    for column in table.columns:
        if (column.name in values or column.nullable or column.primary_key
                or column.server_default is not None):
            continue
        values[column.name] = next(v for kind, v in plain.items()
                                   if isinstance(column.type, kind))
    return table.insert().values(**values)


def _a_task_with_everything(engine) -> None:
    meta = sa.MetaData()
    units, users, tasks, milestones, reports, comments, task_units, targets = (
        sa.Table(name, meta, autoload_with=engine)
        for name in ("units", "users", "tasks", *CHILDREN[:2], "comments", "task_units",
                     "targets"))
    with engine.begin() as conn:
        unit_ids = [conn.execute(_filled(units,
            name=name, short_name=name, code=code, kind="department", active=True)
            .returning(units.c.id)).scalar_one() for code, name in (("zsj", "区招商局"),
                                                                    ("cjj", "区城建局"))]
        user_id = conn.execute(_filled(users,
            username="office", display_name="督查室", password_hash="x", role="office",
            active=True).returning(users.c.id)).scalar_one()
        task_id = conn.execute(_filled(tasks,
            code="DB-2022-001", code_year=2022, code_number=1, title="新签约亿元以上产业项目",
            description="", source_excerpt="", category="", lead_leader_name="",
            responsible_unit_id=unit_ids[0], other_departments_participate=False,
            cooperating_names=[], responsible_person="", start_date=date(2022, 1, 1),
            due_date=date(2022, 12, 31), level="normal", card="none", status="in_progress",
            assigned_on=date(2022, 1, 1), created_at=datetime(2022, 1, 1),
            updated_at=datetime(2022, 1, 1)).returning(tasks.c.id)).scalar_one()
        conn.execute(_filled(task_units, task_id=task_id, unit_id=unit_ids[1],
                                                role="cooperating"))
        conn.execute(_filled(targets,
            task_id=task_id, position=0, metric="项目", comparator=">=", target_value=60,
            measure_unit="个", cumulative=True))
        milestone_id = conn.execute(_filled(milestones,
            task_id=task_id, period="2022-01", due_date=date(2022, 1, 31), planned_work="",
            status="done", reported=True, reported_on=date(2022, 1, 28))
            .returning(milestones.c.id)).scalar_one()
        conn.execute(_filled(reports,
            milestone_id=milestone_id, author_id=user_id, submitted_at=datetime(2022, 1, 28),
            submitted_on=date(2022, 1, 28), text="按计划推进。", review_status="accepted",
            review_comment="", late_workdays=0))
        conn.execute(_filled(comments, task_id=task_id, author_id=user_id, text="请加快。",
                                               is_instruction=True,
                                               created_at=datetime(2022, 2, 1)))


def _counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {name: conn.execute(sa.text(f"SELECT count(*) FROM {name}")).scalar_one()
                for name in ("tasks", *CHILDREN)}


def test_upgrading_a_database_with_tasks_keeps_every_row(scratch_url):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": scratch_url,
                      "SECRET_KEY": "test"})
    with app.app_context():
        upgrade(revision=BEFORE)
        _a_task_with_everything(db.engine)
        before = _counts(db.engine)
        upgrade()
        after = _counts(db.engine)
        db.session.remove()
        db.engine.dispose()
    assert before == {"tasks": 1, "milestones": 1, "progress_reports": 1, "comments": 1,
                      "task_units": 1, "targets": 1}
    assert after == before
