"""What followup shows on the task page: the reminders and escalations sent about the task.

The task page asks through ``tasks.signals.task_page``; ``connect`` (called from create_app)
answers it, so tasks never imports followup.
"""
from flask import render_template
from markupsafe import Markup

from taskboard.tasks import signals as task_signals
from taskboard.tasks.models import Task

from .queries import task_followups


def task_panel(task: Task) -> Markup:
    """提醒与督办: each reminder or escalation, when, and to whom by which channel."""
    return Markup(render_template("followup/_task_panel.html",
                                  followups=task_followups(task.id)))


def connect() -> None:
    task_signals.task_page.connect(task_panel)
