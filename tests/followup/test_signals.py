"""Domains talk through signals: tasks announces, followup writes the outbox in the same
transaction, and each kind of notification has one renderer registered by its domain."""
import ast
from datetime import date
from pathlib import Path

import pytest
from conftest import make_task, make_unit, make_user
from sqlalchemy import func, select

from taskboard import create_app, messages
from taskboard.extensions import commit, db
from taskboard.followup.models import Notification
from taskboard.followup.render import render
from taskboard.tasks import signals
from taskboard.tasks.models import Comment
from taskboard.tasks.services import add_comment

TASKS = Path(__file__).resolve().parents[2] / "taskboard" / "tasks"


def _outbox(kind: str) -> int:
    return db.session.scalar(select(func.count(Notification.id))
                             .where(Notification.kind == kind))


@pytest.fixture
def setting(app):
    unit = make_unit()
    make_user("head", "unit_head", unit)
    leader = make_user("leader", "leader")
    task = make_task(unit, today=date(2022, 1, 1))
    return task, leader


def test_a_signal_writes_the_outbox_in_the_senders_transaction(setting):
    task, leader = setting
    assert _outbox("instruction") == 0
    comment_id = add_comment(task, leader, "请抓紧推进。").id  # sends instruction_given
    # The rows are there before any commit, in the same transaction …
    assert _outbox("instruction") == 2  # the head: in-app and e-mail
    # … so a rollback takes the news away with the comment.
    db.session.rollback()
    assert _outbox("instruction") == 0
    assert db.session.get(Comment, comment_id) is None

    add_comment(task, leader, "请抓紧推进。")
    commit()
    assert _outbox("instruction") == 2


def test_a_receiver_never_commits(setting):
    task, _leader = setting
    signals.task_assigned.send(task)  # the same 交办 again: nothing new, nothing committed
    before = _outbox("assigned")
    task.title = "改过的标题"
    signals.instruction_given.send(add_comment(task, setting[1], "批示"))
    db.session.rollback()
    db.session.expire_all()
    assert task.title != "改过的标题"
    assert _outbox("assigned") == before


def test_the_tasks_domain_does_not_import_followup():
    """The workflow knows no listener, and its pages show what followup did through the
    task_page signal (followup/panels.py answers it)."""
    for path in TASKS.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules = [node.module or "" for node in ast.walk(tree)
                   if isinstance(node, ast.ImportFrom)]
        modules += [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                    for alias in node.names]
        assert not [m for m in modules if m.startswith("taskboard.followup")], path.name


# ---- the renderer registry ---------------------------------------------------------------

KINDS = {"due_soon", "overdue", "unsigned",                       # followup's sweep
         "assigned", "report_accepted", "report_returned",         # tasks
         "request_decided", "instruction",
         "awards_computed", "awards_published",                    # awards
         "digest"}                                                  # digest


def test_every_kind_has_one_renderer(app):
    assert messages.registered_kinds() == KINDS


def test_every_kind_written_to_the_outbox_renders(setting):
    task, leader = setting
    add_comment(task, leader, "请抓紧推进。")
    commit()
    rows = db.session.scalars(select(Notification)).all()
    assert {row.kind for row in rows} == {"assigned", "instruction"}
    for row in rows:
        assert render(row).subject.startswith(("【新交办】", "【领导批示】"))


def test_an_unknown_kind_raises(setting):
    task, _leader = setting
    row = Notification(kind="no_such_kind", level=0, object_type="task", object_id=task.id,
                       recipient="user:1", channel="in_app", period="", task_id=task.id)
    with pytest.raises(messages.UnknownKind):
        render(row)


def test_a_kind_belongs_to_one_domain(app):
    with pytest.raises(ValueError, match="assigned"):
        messages.register(app, {"assigned": lambda notification: None})


def test_registering_is_per_app_and_repeatable(app):
    other = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://",
                        "SECRET_KEY": "test"})
    with other.app_context():
        assert messages.registered_kinds() == KINDS
    assert messages.registered_kinds() == KINDS
