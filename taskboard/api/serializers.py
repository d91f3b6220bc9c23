"""Objects as JSON. Decimals become numbers (int when whole); dates ISO strings."""
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from taskboard.auth.models import User
from taskboard.tasks.models import Milestone, ProgressReport, Task, TaskRequest
from taskboard.units.models import Unit


def num(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def user_json(user: User) -> dict[str, Any]:
    return {"id": user.id, "username": user.username, "display_name": user.display_name,
            "role": user.role, "email": user.email, "unit_id": user.unit_id,
            "unit": user.unit.name if user.unit else None}


def unit_json(unit: Unit) -> dict[str, Any]:
    return {"id": unit.id, "name": unit.name, "short_name": unit.short_name, "code": unit.code,
            "kind": unit.kind, "parent_id": unit.parent_id, "active": unit.active}


def task_summary(task: Task, light: str | None) -> dict[str, Any]:
    return {"id": task.id, "code": task.code, "title": task.title, "status": task.status,
            "light": light, "level": task.level, "card": task.card,
            "due_date": iso(task.due_date), "lead": task.lead_name or None,
            "responsible_unit": task.responsible_unit.name,
            "responsible_unit_id": task.responsible_unit_id}


def report_json(report: ProgressReport) -> dict[str, Any]:
    return {"id": report.id, "milestone_id": report.milestone_id, "author": report.author.username,
            "submitted_at": iso(report.submitted_at), "submitted_on": iso(report.submitted_on),
            "text": report.text, "review_status": report.review_status,
            "late_workdays": report.late_workdays, "behind_points": num(report.behind_points),
            "reviewer": report.reviewer.username if report.reviewer else None,
            "review_comment": report.review_comment,
            "values": {str(v.target_id): num(v.actual_value) for v in report.values},
            "attachments": [{"id": a.id, "filename": a.filename, "content_type": a.content_type,
                             "size": a.size} for a in report.attachments]}


def milestone_json(milestone: Milestone, today: date, horizon: date) -> dict[str, Any]:
    return {"id": milestone.id, "period": milestone.period, "due_date": iso(milestone.due_date),
            "planned_work": milestone.planned_work, "status": milestone.status,
            "planned_values": {str(pv.target_id): num(pv.planned_value)
                               for pv in milestone.planned_values},
            "light": milestone.light(today, horizon)}


def request_json(request: TaskRequest) -> dict[str, Any]:
    return {"id": request.id, "task_id": request.task_id, "kind": request.kind,
            "status": request.status, "reason": request.reason,
            "requested_by": request.requested_by.username,
            "requested_due_date": iso(request.requested_due_date),
            "decision_comment": request.decision_comment}


def task_detail(task: Task, today: date, horizon: date) -> dict[str, Any]:
    return {
        **task_summary(task, task.light(today, horizon)),
        "description": task.description, "category": task.category,
        "source_excerpt": task.source_excerpt, "meeting_id": task.meeting_id,
        "lead_id": task.lead_leader_id, "start_date": iso(task.start_date),
        "co_responsible_units": [{"id": u.id, "name": u.name} for u in task.co_responsible_units],
        "cooperating_units": [{"id": u.id, "name": u.name} for u in task.cooperating_units],
        "other_departments_participate": task.other_departments_participate,
        "acknowledged_at": iso(task.acknowledged_at),
        "suspension": {"reason": task.suspended_reason, "since": iso(task.suspended_on),
                       "resumes_to": task.suspended_from} if task.is_suspended else None,
        "targets": [{"id": t.id, "metric": t.metric, "comparator": t.comparator,
                     "value": num(t.target_value), "unit": t.measure_unit,
                     "cumulative": t.cumulative} for t in task.targets],
        "milestones": [milestone_json(m, today, horizon) for m in task.milestones],
        "reports": [report_json(r) for m in task.milestones for r in m.reports],
        "requests": [request_json(r) for r in task.requests],
        "comments": [{"id": c.id, "author": c.author.username, "text": c.text,
                      "is_instruction": c.is_instruction, "created_at": iso(c.created_at)}
                     for c in task.comments],
    }
