"""待办's 通过所选: accept several reports in one go.

Each report is accepted by the same workflow step as a single click, inside its own savepoint:
a report someone else decided meanwhile is refused by that step (Conflict) and skipped alone,
the others are still accepted. Returns are never bulk: each needs its own comment.
"""
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from taskboard.auth.models import User
from taskboard.errors import Conflict, ValidationError
from taskboard.extensions import db

from . import workflow
from .models import Milestone, ProgressReport, Task


@dataclass
class BulkAcceptance:
    accepted: list[ProgressReport] = field(default_factory=list)
    # Decided by someone else between the page load and the click.
    skipped: list[ProgressReport] = field(default_factory=list)


def accept_reports(report_ids: list[int], reviewer: User) -> BulkAcceptance:
    """Accept each of ``report_ids`` that still waits for review; the caller commits."""
    if not report_ids:
        raise ValidationError({"report_ids": _("请先勾选要通过的报告。")})
    reports = db.session.scalars(
        select(ProgressReport).join(Milestone).join(Task)
        .where(ProgressReport.id.in_(report_ids), Task.deleted_at.is_(None))
        .order_by(ProgressReport.submitted_at, ProgressReport.id)
    ).all()
    if len(reports) != len(set(report_ids)):
        raise ValidationError({"report_ids": _("勾选的报告不存在或已删除，请刷新页面。")})
    result = BulkAcceptance()
    for report in reports:
        try:
            with db.session.begin_nested():
                workflow.review_report(report, reviewer, accept=True, comment="")
        except Conflict:
            result.skipped.append(report)
        else:
            result.accepted.append(report)
    return result
