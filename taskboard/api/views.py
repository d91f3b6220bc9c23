"""Endpoints of /api/v1. Thin: parse JSON → ask permissions → call the service → serialize.

Errors are JSON {"error": {"code", "message", "fields"?}}; see taskboard.api.errors.
"""
from dataclasses import replace
from datetime import date

from flask import Blueprint, current_app, g, jsonify, request
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from taskboard import permissions
from taskboard.auth.models import User
from taskboard.auth.schemas import Credentials
from taskboard.auth.services import authenticate
from taskboard.auth.throttle import LoginRefused
from taskboard.cache import cached_for_viewer
from taskboard.calendar.workdays import WorkCalendar
from taskboard.clock import today
from taskboard.extensions import commit, csrf, db
from taskboard.schemas import parse
from taskboard.security import INT_MAX
from taskboard.tasks import services as task_services
from taskboard.tasks import workflow
from taskboard.tasks.loaders import milestone_or_404, report_or_404, request_or_404, task_or_404
from taskboard.tasks.models import (
    LIGHTS,
    TASK_STATUSES,
    Task,
)
from taskboard.tasks.queries import as_of, task_page
from taskboard.tasks.schemas import (
    REQUIRED_ON_CREATE,
    CommentInput,
    DecisionInput,
    ReportInput,
    RequestInput,
    ReviewInput,
    SuspendInput,
    TaskInput,
)
from taskboard.tasks.services import TargetData
from taskboard.units.models import Unit

from . import tokens
from .errors import ApiError, register_error_handlers
from .openapi import spec
from .serializers import (
    report_json,
    request_json,
    task_detail,
    task_summary,
    unit_json,
    user_json,
)

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # no cookies are accepted here, so there is nothing for CSRF to ride on
register_error_handlers(bp)

PUBLIC_ENDPOINTS = {"api.create_token", "api.openapi"}
PER_PAGE_MAX = 100


@bp.before_request
def authenticate_bearer() -> None:
    """Every call but log-in and the spec carries a live bearer token; sessions are ignored."""
    g._login_user = None  # never fall back to a session cookie's user
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    record = tokens.find(token.strip()) if scheme.lower() == "bearer" and token else None
    if record is None:
        raise ApiError(401, "unauthorized", _("缺少有效的访问令牌，或令牌已过期。"))
    g.api_token = record
    # Flask-Login reads this first: permissions and the audit log see the token's user.
    g._login_user = record.user


def _user() -> User:
    return g._login_user


def _allow(allowed: bool) -> None:
    if not allowed:
        raise ApiError(403, "forbidden", _("您没有权限执行此操作。"))


def _task_json(task: Task, status: int = 200):
    day = today()
    db.session.expire(task)
    return jsonify(task_detail(task, day, as_of(day).horizon)), status


# ---- tokens and who I am --------------------------------------------------------------------

@bp.post("/token")
def create_token():
    given = parse(Credentials, _json())
    try:
        user = authenticate(given.username, given.password, request.remote_addr or "")
    except LoginRefused as refused:
        commit()  # the counts are kept
        raise ApiError(429, "too_many_requests", refused.message) from None
    if user is None:
        commit()
        raise ApiError(401, "unauthorized", _("用户名或密码不正确，或账号已停用。"))
    token, record = tokens.issue(user, current_app.config["API_TOKEN_TTL"])
    commit()
    return jsonify({"token": token, "expires_at": record.expires_at.isoformat() + "Z"})


@bp.delete("/token")
def revoke_token():
    tokens.revoke(g.api_token)
    commit()
    return "", 204


@bp.get("/me")
def me():
    return jsonify(user_json(_user()))


@bp.get("/units")
def units():
    rows = db.session.scalars(select(Unit).order_by(Unit.name)).all()
    return jsonify([unit_json(unit) for unit in rows])


@bp.get("/users")
def users():
    _allow(permissions.can_manage_tasks(_user()))
    rows = db.session.scalars(select(User).options(joinedload(User.unit))
                              .order_by(User.username)).all()
    return jsonify([user_json(user) for user in rows])


@bp.get("/openapi.json")
def openapi():
    return jsonify(spec())


# ---- tasks ----------------------------------------------------------------------------------

def _int_arg(name: str, default: int | None = None) -> int | None:
    raw = request.args.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(422, "validation_error", _("参数有误。"),
                       {name: _("必须是整数。")}) from None
    if abs(value) > INT_MAX:
        raise ApiError(422, "validation_error", _("参数有误。"), {name: _("超出范围。")})
    return value


@bp.get("/tasks")
def list_tasks():
    status, light = request.args.get("status") or "", request.args.get("light") or ""
    fields = {}
    if status and status not in TASK_STATUSES:
        fields["status"] = _("必须是以下之一：%(options)s。", options=", ".join(TASK_STATUSES))
    if light and light not in LIGHTS:
        fields["light"] = _("必须是以下之一：%(options)s。", options=", ".join(LIGHTS))
    if fields:
        raise ApiError(422, "validation_error", _("参数有误。"), fields)
    page = max(_int_arg("page", 1), 1)
    per_page = min(max(_int_arg("per_page", 20), 1), PER_PAGE_MAX)
    filters = {"q": request.args.get("q", ""), "unit": _int_arg("unit_id"),
               "lead": _int_arg("lead_id"), "status": status, "light": light}
    day = as_of(today())

    def listing() -> dict:
        result = task_page(_user(), filters, day, page, per_page)
        return {"items": [task_summary(task, result.lights.get(task.id))
                          for task in result.items],
                "page": result.page, "pages": result.pages, "total": result.total}

    # The same list for everyone who sees the same tasks: built once per data version.
    return jsonify(cached_for_viewer("api-tasks", day, (*filters.values(), page, per_page),
                                     listing, user=_user()))


@bp.get("/tasks/<int:task_id>")
def get_task(task_id: int):
    task = task_or_404(task_id)
    _allow(permissions.can_view_task(_user(), task))
    return _task_json(task)


def _json() -> object:
    data = request.get_json(silent=True)
    if data is None:
        raise ApiError(400, "malformed_json", _("请求体不是有效的 JSON。"))
    return data


def _with_input(data: task_services.TaskData, given: TaskInput) -> task_services.TaskData:
    """``data`` with the fields ``given`` sets (PATCH changes only those)."""
    fields = given.fields()
    if "targets" in fields:
        fields["targets"] = [TargetData(**target) for target in fields["targets"]]
    return replace(data, **fields)


@bp.post("/tasks")
def create_task():
    _allow(permissions.can_manage_tasks(_user()))
    given = parse(TaskInput, _json(), required=REQUIRED_ON_CREATE)
    # Without a start date the task starts on the day it is assigned (交办日).
    data = task_services.TaskData(title="", responsible_unit_id=0,
                                  start_date=today(), due_date=date.min)
    task = task_services.create_task(_with_input(data, given), today=today())
    commit()
    return _task_json(task, 201)


@bp.patch("/tasks/<int:task_id>")
def update_task(task_id: int):
    task = task_or_404(task_id)
    _allow(permissions.can_edit_task(_user(), task))
    given = parse(TaskInput, _json())
    task_services.update_task(task, _with_input(task_services.task_data(task), given),
                              today=today())
    commit()
    return _task_json(task)


@bp.post("/tasks/<int:task_id>/comments")
def comment(task_id: int):
    task = task_or_404(task_id)
    _allow(permissions.can_comment(_user(), task))
    given = parse(CommentInput, _json())
    created = task_services.add_comment(task, _user(), given.text)
    commit()
    return jsonify({"id": created.id, "text": created.text,
                    "is_instruction": created.is_instruction}), 201


@bp.post("/tasks/<int:task_id>/acknowledge")
def acknowledge(task_id: int):
    task = task_or_404(task_id)
    _allow(permissions.can_acknowledge(_user(), task))
    workflow.acknowledge(task, _user())
    commit()
    return _task_json(task)


@bp.post("/tasks/<int:task_id>/requests")
def make_request(task_id: int):
    task = task_or_404(task_id)
    given = parse(RequestInput, _json())
    _allow(permissions.can_request_for_unit(_user(), task))
    created = workflow.make_request(task, _user(), given.kind, reason=given.reason,
                                    requested_due_date=given.due_date)
    commit()
    return jsonify(request_json(created)), 201


@bp.post("/requests/<int:request_id>/decision")
def decide(request_id: int):
    task_request = request_or_404(request_id)
    _allow(permissions.can_review(_user()))
    given = parse(DecisionInput, _json())
    workflow.decide_request(task_request, _user(), approve=given.decision == "approve",
                            comment=given.comment, new_unit_id=given.unit_id, today=today(),
                            calendar=WorkCalendar.load())
    commit()
    return jsonify(request_json(task_request))


@bp.post("/tasks/<int:task_id>/suspend")
def suspend(task_id: int):
    task = task_or_404(task_id)
    _allow(permissions.can_suspend(_user()))
    given = parse(SuspendInput, _json())
    workflow.suspend(task, reason=given.reason, today=today())
    commit()
    return _task_json(task)


@bp.post("/tasks/<int:task_id>/resume")
def resume(task_id: int):
    task = task_or_404(task_id)
    _allow(permissions.can_suspend(_user()))
    workflow.resume(task)
    commit()
    return _task_json(task)


# ---- reports ----------------------------------------------------------------------------------

@bp.post("/milestones/<int:milestone_id>/reports")
def submit_report(milestone_id: int):
    milestone = milestone_or_404(milestone_id)
    task = milestone.task
    _allow(permissions.can_report(_user(), task))
    given = parse(ReportInput, _json())
    report = workflow.submit_report(milestone, _user(), text=given.text, values=given.values,
                                    files=[], today=today(), calendar=WorkCalendar.load(),
                                    no_data=given.no_data)
    commit()
    return jsonify(report_json(report)), 201


@bp.post("/reports/<int:report_id>/review")
def review(report_id: int):
    report = report_or_404(report_id)
    _allow(permissions.can_review(_user()))
    given = parse(ReviewInput, _json())
    workflow.review_report(report, _user(), accept=given.decision == "accept",
                           comment=given.comment)
    commit()
    return jsonify(report_json(report))


