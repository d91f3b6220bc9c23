from calendar import monthrange
from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from taskboard import permissions
from taskboard.auth.models import LEADER
from taskboard.cache import cached_page
from taskboard.clock import today
from taskboard.errors import ValidationError
from taskboard.extensions import commit, db
from taskboard.forms import apply_errors, leader_choices, saved, unit_choices
from taskboard.meetings.models import Meeting

from . import audit, services, signals
from .figures import target_figures
from .forms import CommentForm, TaskForm
from .loaders import task_or_404
from .models import TASK_STATUSES, Comment, Milestone, ProgressReport, Task, TaskUnit
from .queries import FILTERS, AsOf, as_of, filter_options, task_page

bp = Blueprint("tasks", __name__, url_prefix="/tasks")


def _form_options() -> dict:
    meetings = db.session.execute(
        select(Meeting.id, Meeting.title).order_by(Meeting.meeting_date.desc())
    ).all()
    return {"unit_options": unit_choices(), "leader_options": leader_choices(),
            "meeting_options": [tuple(row) for row in meetings]}


@bp.route("/")
@login_required
def index():
    filters = {name: request.args.get(name, "") for name in FILTERS}
    number, day = request.args.get("page", 1, type=int), as_of(today())
    return cached_page("tasks/index.html", day, (*filters.values(), number),
                       lambda: _list(filters, day, number))


def _list(filters: dict[str, str], day: AsOf, number: int) -> dict:
    options = filter_options()
    return dict(page=task_page(current_user, filters, day, number), filters=filters,
                unit_options=options.unit_options, leader_options=options.leader_options,
                categories=options.categories, statuses=TASK_STATUSES)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    permissions.require(permissions.can_manage_tasks(current_user))
    form = TaskForm(**_form_options())
    if request.method == "GET":
        form.start_date.data = today()
    if form.validate_on_submit():
        try:
            task = services.create_task(form.to_data(), today=today())
        except ValidationError as error:
            db.session.rollback()
            apply_errors(form, error)
        else:
            commit()
            flash(_("督办事项 %(code)s 已交办，已生成 %(n)d 个月度节点。", code=task.code,
                    n=len(task.milestones)), "success")
            return redirect(url_for("tasks.detail", task_id=task.id))
    return render_template("tasks/form.html", form=form, task=None)


# Everything the task page shows, in a fixed number of queries whatever the task's size:
# many-to-one links joined, each collection in one query (reports with their months).
# The task's few units, targets and requests come joined with it (a handful of rows each);
# comments and months, which grow, each come in a query of their own.
_PAGE_LOADS = (
    joinedload(Task.responsible_unit), joinedload(Task.lead_leader), joinedload(Task.meeting),
    joinedload(Task.acknowledged_by),
    joinedload(Task.shared_units).joinedload(TaskUnit.unit),
    joinedload(Task.targets), joinedload(Task.requests),
    selectinload(Task.comments).joinedload(Comment.author),
    selectinload(Task.milestones).options(
        joinedload(Milestone.planned_values),
        joinedload(Milestone.reports).options(
            joinedload(ProgressReport.author), joinedload(ProgressReport.reviewer),
            joinedload(ProgressReport.values), joinedload(ProgressReport.attachments))),
)


@bp.route("/<int:task_id>")
@login_required
def detail(task_id: int):
    task = task_or_404(task_id)
    permissions.require(permissions.can_view_task(current_user, task))
    day = today()
    return cached_page("tasks/detail.html", as_of(day), (task_id,),
                       lambda: _detail(task_id, day))


def _detail(task_id: int, day: date) -> dict:
    task = db.session.scalars(select(Task).where(Task.id == task_id).options(*_PAGE_LOADS)
                              .execution_options(populate_existing=True)).unique().one()
    return dict(
        task=task, instructions=[c for c in task.comments if c.is_instruction],
        history=audit.readable_history(task.id), comment_form=CommentForm(),
        horizon=as_of(day).horizon, can_report=permissions.can_report(current_user, task),
        report_until=date(day.year, day.month, monthrange(day.year, day.month)[1]),
        unit_options=unit_choices() if permissions.can_review(current_user) else [],
        panels=[panel for _receiver, panel in signals.task_page.send(task)],
        figures=target_figures(task, day),
    )


@bp.route("/<int:task_id>/edit", methods=["GET", "POST"])
@login_required
def edit(task_id: int):
    task = task_or_404(task_id)
    permissions.require(permissions.can_edit_task(current_user, task))
    form = TaskForm.for_task(task, **_form_options())
    if form.validate_on_submit() and saved(
            form, lambda: services.update_task(task, form.to_data(), today=today())):
        flash(_("督办事项 %(code)s 已保存。", code=task.code), "success")
        return redirect(url_for("tasks.detail", task_id=task.id))
    return render_template("tasks/form.html", form=form, task=task)


@bp.route("/<int:task_id>/delete", methods=["POST"])
@login_required
def delete(task_id: int):
    task = task_or_404(task_id)
    permissions.require(permissions.can_edit_task(current_user, task))
    services.soft_delete_task(task)
    commit()
    flash(_("督办事项 %(code)s 已删除（历史记录保留）。", code=task.code), "info")
    return redirect(url_for("tasks.index"))


@bp.route("/<int:task_id>/comments", methods=["POST"])
@login_required
def comment(task_id: int):
    task = task_or_404(task_id)
    permissions.require(permissions.can_comment(current_user, task))
    form = CommentForm()
    if form.validate_on_submit():
        services.add_comment(task, current_user, form.text.data)
        commit()
        flash(_("批示已发布。") if current_user.role == LEADER else _("意见已发布。"), "success")
    else:
        for errors in form.errors.values():
            for message in errors:
                flash(message, "danger")
    return redirect(url_for("tasks.detail", task_id=task.id) + "#comments")
