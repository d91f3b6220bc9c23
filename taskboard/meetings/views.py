from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select

from taskboard import permissions
from taskboard.clock import today
from taskboard.extensions import db
from taskboard.tasks.models import Task

from . import services
from .forms import MeetingForm
from .models import Meeting

bp = Blueprint("meetings", __name__, url_prefix="/meetings")


@bp.route("/")
@login_required
def index():
    permissions.require(permissions.can_view_meetings(current_user))
    task_count = (
        select(func.count(Task.id))
        .where(Task.meeting_id == Meeting.id, Task.deleted_at.is_(None))
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Meeting, task_count).order_by(Meeting.meeting_date.desc(), Meeting.id.desc())
    ).all()
    return render_template("meetings/index.html", rows=rows)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    permissions.require(permissions.can_manage_tasks(current_user))
    form = MeetingForm()
    if not form.is_submitted():
        form.meeting_date.data = today()
    if form.validate_on_submit():
        meeting = services.create_meeting(
            title=form.title.data, meeting_date=form.meeting_date.data, kind=form.kind.data,
            full_text=form.full_text.data or "", created_by=current_user,
        )
        db.session.commit()
        flash(_("已登记“%(title)s”。", title=meeting.title), "success")
        return redirect(url_for("meetings.detail", meeting_id=meeting.id))
    return render_template("meetings/form.html", form=form)


@bp.route("/<int:meeting_id>")
@login_required
def detail(meeting_id: int):
    meeting = db.get_or_404(Meeting, meeting_id)
    permissions.require(permissions.can_view_meetings(current_user))
    tasks = db.session.scalars(
        select(Task).where(Task.meeting_id == meeting.id, Task.deleted_at.is_(None))
        .order_by(Task.code_number)
    ).all()
    return render_template("meetings/detail.html", meeting=meeting, tasks=tasks)
