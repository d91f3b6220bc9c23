"""The one way a view (page or API) loads a task's objects from a URL, like flaskr's get_post.

Each loader answers 404 when the object does not exist or its task was soft-deleted (the
history stays, the task is gone for everyone); under /api/ the app's 404 handler answers in the
API's JSON error format. Permissions stay the caller's business (taskboard.permissions).
"""
from flask import abort

from taskboard.extensions import db

from .models import Attachment, Milestone, ProgressReport, Task, TaskRequest


def _live(task: Task) -> None:
    if task.deleted_at is not None:
        abort(404)


def task_or_404(task_id: int) -> Task:
    task = db.get_or_404(Task, task_id)
    _live(task)
    return task


def milestone_or_404(milestone_id: int) -> Milestone:
    milestone = db.get_or_404(Milestone, milestone_id)
    _live(milestone.task)
    return milestone


def report_or_404(report_id: int) -> ProgressReport:
    report = db.get_or_404(ProgressReport, report_id)
    _live(report.milestone.task)
    return report


def request_or_404(request_id: int) -> TaskRequest:
    request = db.get_or_404(TaskRequest, request_id)
    _live(request.task)
    return request


def attachment_or_404(report_id: int, attachment_id: int) -> Attachment:
    """A report's file: 404 as well when the file belongs to another report."""
    attachment = db.get_or_404(Attachment, attachment_id)
    if attachment.report_id != report_id:
        abort(404)
    _live(attachment.report.milestone.task)
    return attachment
