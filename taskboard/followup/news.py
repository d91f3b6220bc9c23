"""The domains' news through the outbox: 交办, reviews, decisions, 批示, awards, digests.

Receivers of the domains' signals, connected by ``connect`` (called from create_app). Each
runs in the transaction of the change it announces and never commits.
"""
from collections.abc import Iterable

from sqlalchemy import select

from taskboard.account.models import wants_email
from taskboard.auth.models import UNIT_HEAD, UNIT_ROLES, User
from taskboard.awards import signals as award_signals
from taskboard.awards.models import AwardMonth
from taskboard.digest import signals as digest_signals
from taskboard.extensions import db
from taskboard.tasks import signals as task_signals
from taskboard.tasks.models import Comment, ProgressReport, Task, TaskRequest
from taskboard.units.models import Unit

from .models import Notification
from .outbox import insert_rows
from .settings import load


def _people(unit_ids: Iterable[int], roles=UNIT_ROLES) -> list[User]:
    return list(db.session.scalars(select(User).where(
        User.unit_id.in_(list(unit_ids)), User.role.in_(roles), User.active.is_(True))))


def _notify(kind: str, object_type: str, object_id: int, task: Task, users: Iterable[User],
            robot_unit_ids: Iterable[int] = ()) -> int:
    settings = load()
    base = {"kind": kind, "level": 0, "object_type": object_type, "object_id": object_id,
            "period": "", "task_id": task.id}
    rows = []
    for user in {u.id: u for u in users}.values():
        rows.append({**base, "recipient": f"user:{user.id}", "channel": "in_app",
                     "user_id": user.id})
        if settings.email and user.email and wants_email(user):
            rows.append({**base, "recipient": f"user:{user.id}", "channel": "email",
                         "user_id": user.id})
    if settings.webhook:
        robots = db.session.scalars(select(Unit.id).where(
            Unit.id.in_(list(robot_unit_ids)), Unit.active.is_(True),
            Unit.webhook_url.is_not(None), Unit.webhook_url != ""))
        rows += [{**base, "recipient": f"unit:{unit_id}", "channel": "webhook",
                  "unit_id": unit_id} for unit_id in robots]
    return insert_rows(rows)


def task_assigned(task: Task) -> int:
    """交办: the responsible, co-responsible and cooperating units hear of their new task."""
    return _notify("assigned", "task", task.id, task, _people(task.involved_unit_ids),
                   task.accountable_unit_ids)


def report_reviewed(report: ProgressReport) -> int:
    task = report.milestone.task
    kind = "report_accepted" if report.review_status == "accepted" else "report_returned"
    heads = _people(task.accountable_unit_ids, (UNIT_HEAD,))
    return _notify(kind, "report", report.id, task, [report.author, *heads])


def request_decided(request: TaskRequest) -> int:
    task = request.task
    heads = _people(task.accountable_unit_ids, (UNIT_HEAD,))
    return _notify("request_decided", "request", request.id, task, [request.requested_by, *heads])


def instruction_given(comment: Comment) -> int:
    """A leader's 批示 goes to every unit of the task."""
    task = comment.task
    return _notify("instruction", "comment", comment.id, task, _people(task.involved_unit_ids),
                   task.involved_unit_ids)


def _tell(kind: str, award: AwardMonth, users: Iterable[User]) -> int:
    rows = []
    for user in users:
        base = {"kind": kind, "level": 0, "object_type": "award_month", "object_id": award.id,
                "period": "", "recipient": f"user:{user.id}", "user_id": user.id}
        rows.append({**base, "channel": "in_app"})
        if user.email:
            rows.append({**base, "channel": "email"})
    return insert_rows(rows)


def awards_computed(award: AwardMonth, *, audience: Iterable[User]) -> int:
    return _tell("awards_computed", award, audience)


def awards_published(award: AwardMonth, *, audience: Iterable[User]) -> int:
    return _tell("awards_published", award, audience)


def digest_ready(user: User, *, week: str) -> int | None:
    """The week's digest by e-mail, once: the id of the row made, None when owed already."""
    if not insert_rows([{"kind": "digest", "level": 0, "object_type": "user",
                         "object_id": user.id, "period": week, "recipient": f"user:{user.id}",
                         "channel": "email", "user_id": user.id}]):
        return None
    return db.session.scalar(select(Notification.id).where(
        Notification.kind == "digest", Notification.user_id == user.id,
        Notification.period == week))


RECEIVERS = (
    (task_signals.task_assigned, task_assigned),
    (task_signals.report_reviewed, report_reviewed),
    (task_signals.request_decided, request_decided),
    (task_signals.instruction_given, instruction_given),
    (award_signals.awards_computed, awards_computed),
    (award_signals.awards_published, awards_published),
    (digest_signals.digest_ready, digest_ready),
)


def connect() -> None:
    """Subscribe to the domains' signals (connecting twice is a no-op)."""
    for signal, receiver in RECEIVERS:
        signal.connect(receiver)
