"""Pages of the follow-through: the unit's workspace, reports, review, requests, plans."""
from io import BytesIO

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from taskboard import labels, permissions
from taskboard.cache import cached_page
from taskboard.calendar.workdays import WorkCalendar
from taskboard.clock import today
from taskboard.errors import Conflict, ValidationError
from taskboard.extensions import commit, db
from taskboard.forms import committed, refusal_messages, to_choices, unit_choices

from . import bulk, workflow
from .figures import target_figures
from .loaders import (
    attachment_or_404,
    milestone_or_404,
    report_or_404,
    request_or_404,
    task_or_404,
)
from .models import Milestone, ProgressReport, Task, TaskRequest, TaskStatus
from .queries import as_of, pending_reports, pending_requests, unit_workspace
from .work_forms import DecisionForm, PlanForm, ReportForm, RequestForm, ReviewForm

bp = Blueprint("work", __name__)


# Pages a button may send the user back to (签收 and 异议 on the workspace, 复核 on 待办);
# anything else lands on the task, so a forged "back" cannot redirect off the site.
_BACK = {"workspace": "work.workspace", "reviews": "work.reviews"}


def _back(task: Task, anchor: str = "") -> str:
    endpoint = _BACK.get(request.form.get("back", ""))
    if endpoint == "work.reviews":
        return url_for(endpoint) + _next_report_anchor()
    if endpoint:
        return url_for(endpoint)
    return url_for("tasks.detail", task_id=task.id) + anchor


def _done(message: str, task: Task, anchor: str = ""):
    commit()
    flash(message, "success")
    return redirect(_back(task, anchor))


def _refused(error: ValidationError | Conflict, task: Task):
    db.session.rollback()
    for message in refusal_messages(error):
        flash(message, "danger")
    return redirect(_back(task))


def _next_report_anchor() -> str:
    """待办 opens at the card after the one just decided, or the first one still pending."""
    ids = db.session.scalars(pending_reports().with_only_columns(ProgressReport.id)).all()
    following = request.form.get("next_report", type=int)
    target = following if following in ids else (ids[0] if ids else None)
    return f"#report-{target}" if target else ""


@bp.route("/workspace")
@login_required
def workspace():
    """What a unit owes: this month, what is late, what was returned, what awaits 签收."""
    if current_user.unit_id is None or not current_user.in_unit_role:
        return redirect(url_for("tasks.index"))
    day, unit_id = today(), current_user.unit_id
    # The same for everyone of the unit in the same role: rendered once per data version.
    return cached_page("work/workspace.html", as_of(day), (),
                       lambda: {"horizon": as_of(day).horizon, **unit_workspace(unit_id, day)})


@bp.route("/milestones/<int:milestone_id>/report", methods=["GET", "POST"])
@login_required
def report(milestone_id: int):
    milestone = milestone_or_404(milestone_id)
    task = milestone.task
    permissions.require(permissions.can_report(current_user, task))
    form = ReportForm()
    form.fill(task.targets)
    returned = milestone.latest_report
    if returned is not None and returned.review_status == "returned" and not form.is_submitted():
        # A returned report opens as it was sent: the unit corrects it instead of retyping.
        form.text.data = returned.text
        for entry in form.values:
            entry.form.value.data = returned.value_for(entry.form.target.id)
            entry.form.no_data.data = entry.form.value.data is None  # it was sent as 暂无数据
    if form.validate_on_submit():
        values, no_data = form.figures()
        uploads = [workflow.Upload(f.filename, f.read()) for f in form.files.data or []
                   if f and f.filename]
        try:
            workflow.submit_report(milestone, current_user, text=form.text.data, values=values,
                                   files=uploads, today=today(), calendar=WorkCalendar.load(),
                                   no_data=no_data)
        except Conflict as error:
            db.session.rollback()
            form.form_errors.append(error.message)
        except ValidationError as error:
            db.session.rollback()
            form.show_errors(error)
        else:
            commit()
            flash(_("%(period)s 进展已报送，等待督查室审核。", period=milestone.period), "success")
            return redirect(url_for("work.workspace") if current_user.in_unit_role
                            else url_for("tasks.detail", task_id=task.id))
    return render_template("work/report.html", form=form, milestone=milestone, task=task)


@bp.route("/reports/<int:report_id>/files/<int:attachment_id>")
@login_required
def download(report_id: int, attachment_id: int):
    attachment = attachment_or_404(report_id, attachment_id)
    permissions.require(permissions.can_view_task(current_user, attachment.report.milestone.task))
    # Always a download: an uploaded file is never rendered inside the app's origin.
    return send_file(BytesIO(attachment.data), mimetype=attachment.content_type,
                     as_attachment=True, download_name=attachment.filename)


@bp.route("/reports/<int:report_id>/review", methods=["POST"])
@login_required
def review(report_id: int):
    report = report_or_404(report_id)
    task = report.milestone.task
    permissions.require(permissions.can_review(current_user))
    form = ReviewForm()
    if not form.validate_on_submit():
        return _refused(ValidationError(
            {name: errors[0] for name, errors in form.errors.items()}), task)
    try:
        workflow.review_report(report, current_user, accept=form.decision.data == "accept",
                               comment=form.comment.data)
    except (Conflict, ValidationError) as error:
        return _refused(error, task)
    message = _("已通过 %(period)s 的进展报告。") if form.decision.data == "accept" else \
        _("已退回 %(period)s 的进展报告。")
    return _done(message % {"period": report.milestone.period}, task, "#reports")


@bp.route("/tasks/<int:task_id>/acknowledge", methods=["POST"])
@login_required
def acknowledge(task_id: int):
    task = task_or_404(task_id)
    permissions.require(permissions.can_acknowledge(current_user, task))
    committed(lambda: workflow.acknowledge(task, current_user),
              _("已签收 %(code)s。", code=task.code))
    return redirect(_back(task))


_REQUEST_SENT = {
    "objection": _l("已提出异议，等待督查室处理。"),
    "extension": _l("延期申请已提交，等待督查室审批。"),
    "completion": _l("办结申请已提交，等待督查室审核。"),
}


@bp.route("/tasks/<int:task_id>/requests/<kind>", methods=["POST"])
@login_required
def make_request(task_id: int, kind: str):
    if kind not in _REQUEST_SENT:
        abort(404)
    task = task_or_404(task_id)
    permissions.require(permissions.can_request_for_unit(current_user, task))
    form = RequestForm()
    try:
        if not form.validate_on_submit():
            raise ValidationError({name: errors[0] for name, errors in form.errors.items()})
        workflow.make_request(task, current_user, kind, reason=form.reason.data,
                              requested_due_date=form.due_date.data)
    except (Conflict, ValidationError) as error:
        return _refused(error, task)
    return _done(str(_REQUEST_SENT[kind]), task)


@bp.route("/requests/<int:request_id>/decide", methods=["POST"])
@login_required
def decide(request_id: int):
    task_request = request_or_404(request_id)
    task = task_request.task
    permissions.require(permissions.can_review(current_user))
    form = DecisionForm()
    form.unit_id.choices = to_choices(unit_choices(), blank="—")
    try:
        if not form.validate_on_submit():
            raise ValidationError({name: errors[0] for name, errors in form.errors.items()})
        workflow.decide_request(task_request, current_user,
                                approve=form.decision.data == "approve",
                                comment=form.comment.data, new_unit_id=form.unit_id.data,
                                today=today(), calendar=WorkCalendar.load())
    except (Conflict, ValidationError) as error:
        return _refused(error, task)
    return _done(_("已处理%(kind)s。", kind=labels.REQUEST_KINDS[task_request.kind]), task)


@bp.route("/tasks/<int:task_id>/suspend", methods=["POST"])
@login_required
def suspend(task_id: int):
    task = task_or_404(task_id)
    permissions.require(permissions.can_suspend(current_user))
    committed(lambda: workflow.suspend(task, reason=request.form.get("reason", ""),
                                       today=today()),
              _("%(code)s 已暂缓。", code=task.code))
    return redirect(_back(task))


@bp.route("/tasks/<int:task_id>/resume", methods=["POST"])
@login_required
def resume(task_id: int):
    task = task_or_404(task_id)
    permissions.require(permissions.can_suspend(current_user))
    committed(lambda: workflow.resume(task), _("%(code)s 已恢复办理。", code=task.code))
    return redirect(_back(task))


@bp.route("/reviews")
@login_required
def reviews():
    """The office's queue: reports awaiting 复核, requests awaiting a decision, tasks unsigned."""
    permissions.require(permissions.can_review(current_user))
    reports = db.session.scalars(pending_reports().options(
        joinedload(ProgressReport.milestone).joinedload(Milestone.task)
        .joinedload(Task.responsible_unit),
        joinedload(ProgressReport.milestone).selectinload(Milestone.planned_values),
        joinedload(ProgressReport.milestone).joinedload(Milestone.task)
        .selectinload(Task.targets),
        joinedload(ProgressReport.author), selectinload(ProgressReport.values),
        selectinload(ProgressReport.attachments))
    ).unique().all()
    requests = db.session.scalars(pending_requests().options(
        joinedload(TaskRequest.task).joinedload(Task.responsible_unit),
        joinedload(TaskRequest.requested_by))).all()
    unsigned = db.session.scalars(
        select(Task).where(Task.deleted_at.is_(None), Task.status == TaskStatus.ASSIGNED,
                           Task.acknowledged_at.is_(None))
        .options(joinedload(Task.responsible_unit)).order_by(Task.assigned_on, Task.code_number)
    ).all()
    # 办结 is decided against the figures: the office sees target, plan and actual first.
    day = today()
    completion_figures = {r.id: target_figures(r.task, day) for r in requests
                          if r.kind == "completion"}
    return render_template("work/reviews.html", reports=reports, requests=requests,
                           unsigned=unsigned, completion_figures=completion_figures,
                           unit_options=unit_choices())


@bp.route("/reviews/accept", methods=["POST"])
@login_required
def accept_selected():
    """通过所选: each ticked report still pending is accepted; the others are named."""
    permissions.require(permissions.can_review(current_user))
    try:
        result = bulk.accept_reports(request.form.getlist("report_ids", type=int),
                                     current_user)
    except ValidationError as error:
        db.session.rollback()
        for message in refusal_messages(error):
            flash(message, "danger")
        return redirect(url_for("work.reviews"))
    commit()
    if result.accepted:
        flash(_("已通过 %(n)d 份进展报告。", n=len(result.accepted)), "success")
    for report in result.skipped:
        flash(_("%(code)s %(period)s 的报告已由他人审核（%(status)s），已跳过。",
                code=report.milestone.task.code, period=report.milestone.period,
                status=labels.REVIEW_STATUSES[report.review_status]), "warning")
    return redirect(url_for("work.reviews"))


@bp.route("/tasks/<int:task_id>/plan", methods=["GET", "POST"])
@login_required
def plan(task_id: int):
    task = task_or_404(task_id)
    permissions.require(permissions.can_edit_task(current_user, task))
    form = PlanForm()
    form.fill(task)
    if form.is_submitted() and not form.matches(task):
        return _refused(workflow.foreign_plan_rows(), task)
    if form.validate_on_submit():
        rows = [workflow.PlanRow(
            milestone_id=int(row.form.milestone_id.data),
            planned_work=row.form.planned_work.data or "",
            planned_values={int(v.form.target_id.data): v.form.value.data
                            for v in row.form.values},
        ) for row in form.rows]
        try:
            workflow.update_plan(task, rows)
        except Conflict as error:
            return _refused(error, task)
        except ValidationError as error:
            db.session.rollback()  # the page again, with what was typed and why it was refused
            form.show_errors(error)
        else:
            return _done(_("月度计划已保存。"), task)
    return render_template("work/plan.html", form=form, task=task,
                           milestones={m.id: m for m in task.milestones})
