from datetime import timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select

from taskboard import permissions
from taskboard.clock import today
from taskboard.errors import ValidationError
from taskboard.extensions import commit, db
from taskboard.forms import apply_errors, leader_choices, unit_choices
from taskboard.tasks.models import Task
from taskboard.tasks.services import default_start

from . import services
from .extract import text_from_upload
from .forms import MeetingForm, NewUnitForm, ReviewForm
from .matching import Directory
from .models import Meeting
from .parser import MIN_CONFIDENCE

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
    earlier = None
    if form.validate_on_submit():
        try:
            upload = form.upload.data
            text = (text_from_upload(upload.filename, upload.read()) if upload and upload.filename
                    else form.full_text.data)
            meeting = services.create_meeting(
                title=form.title.data, meeting_date=form.meeting_date.data, kind=form.kind.data,
                full_text=text, created_by=current_user, year=form.year.data,
                allow_same_text=form.same_text_confirmed.data,
            )
        except services.SameTextError as error:
            db.session.rollback()
            # The text goes back into the form: confirming needs no second upload.
            earlier, form.full_text.data = error.earlier, text
        except ValidationError as error:
            db.session.rollback()
            apply_errors(form, error)
        else:
            commit()
            flash(_("已登记“%(title)s”，解析出 %(n)d 条建议事项，请逐条核对后确认交办。",
                    title=meeting.title, n=sum(p.selected for p in meeting.proposals)), "success")
            return redirect(url_for("meetings.review", meeting_id=meeting.id))
    return render_template("meetings/form.html", form=form, earlier=earlier)


@bp.route("/<int:meeting_id>")
@login_required
def detail(meeting_id: int):
    meeting = db.get_or_404(Meeting, meeting_id)
    permissions.require(permissions.can_view_meetings(current_user))
    tasks = db.session.scalars(
        select(Task).where(Task.meeting_id == meeting.id, Task.deleted_at.is_(None))
        .order_by(Task.code_number)
    ).all()
    open_proposals = sum(1 for p in meeting.proposals if not p.is_confirmed)
    return render_template("meetings/detail.html", meeting=meeting, tasks=tasks,
                           open_proposals=open_proposals)


def _segments(meeting: Meeting) -> list[tuple[str, int | None]]:
    """The text cut into (piece, proposal position or None), for highlighting excerpts."""
    text, cursor, pieces = meeting.full_text, 0, []
    for proposal in sorted(meeting.proposals, key=lambda p: p.start_offset):
        start, end = max(proposal.start_offset, cursor), proposal.end_offset
        if end <= start:
            continue
        pieces.append((text[cursor:start], None))
        pieces.append((text[start:end], proposal.position))
        cursor = end
    pieces.append((text[cursor:], None))
    return [piece for piece in pieces if piece[0]]


def _review_form(meeting: Meeting) -> ReviewForm:
    options = {"unit_options": unit_choices(), "leader_options": leader_choices()}
    form = ReviewForm(**options)
    if not form.is_submitted():
        form.start_date.data = default_start(today(), services.task_year(meeting))
        for proposal in meeting.proposals:
            if not proposal.is_confirmed:
                form.add(proposal)
    return form


def _show_errors(form: ReviewForm, meeting: Meeting, error: ValidationError) -> None:
    position_of = {p.id: p.position for p in meeting.proposals}
    entries = {position_of.get(int(e.form.proposal_id.data)): e.form for e in form.proposals}
    for key, message in error.errors.items():
        position, _sep, name = key.partition("-")
        entry = entries.get(int(position)) if position.isdigit() else None
        field = getattr(entry, name, None) if entry else None
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, message]
        elif entry is not None:
            entry.form_errors.append(message)
        else:
            form.form_errors.append(message)


@bp.route("/<int:meeting_id>/review", methods=["GET", "POST"])
@login_required
def review(meeting_id: int):
    meeting = db.get_or_404(Meeting, meeting_id)
    permissions.require(permissions.can_manage_tasks(current_user))
    form = _review_form(meeting)
    if form.validate_on_submit():
        edits = [entry.form.to_edit() for entry in form.proposals]
        try:
            if request.form.get("action") == "confirm":
                tasks = services.confirm_proposals(meeting, edits, today=today(),
                                                   start_date=form.start_date.data)
            else:
                services.save_review(meeting, edits)
                tasks = None
        except ValidationError as error:
            db.session.rollback()
            _show_errors(form, meeting, error)
        else:
            commit()
            if tasks is None:
                flash(_("已保存核对进度，可以稍后继续。"), "success")
                return redirect(url_for("meetings.review", meeting_id=meeting.id))
            flash(_("已确认交办 %(n)d 项督办事项，并生成月度节点。", n=len(tasks)), "success")
            return redirect(url_for("meetings.detail", meeting_id=meeting.id))
    elif form.is_submitted():
        form.form_errors.append(_("有内容填写不正确，请检查标红的项目。"))
    directory = Directory.load()
    by_id = {p.id: p for p in meeting.proposals}
    entries = [(entry.form, by_id[int(entry.form.proposal_id.data)]) for entry in form.proposals]
    return render_template(
        "meetings/review.html", meeting=meeting, form=form, segments=_segments(meeting),
        entries=entries, min_confidence=MIN_CONFIDENCE, directory=directory,
        weak_positions={p.position for p in meeting.proposals if p.confidence < MIN_CONFIDENCE},
        table_positions={p.position for p in meeting.proposals if p.source_row},
        unmatched={p.id: services.unmatched_names(p, directory) for _f, p in entries},
        confirmed=[p for p in meeting.proposals if p.is_confirmed], unit_form=NewUnitForm(),
        registered_late=today() > meeting.meeting_date + timedelta(days=31),
    )


@bp.route("/<int:meeting_id>/units", methods=["POST"])
@login_required
def add_unit(meeting_id: int):
    meeting = db.get_or_404(Meeting, meeting_id)
    permissions.require(permissions.can_manage_tasks(current_user)
                        and permissions.can_manage_units(current_user))
    form = NewUnitForm()
    try:
        if not form.validate_on_submit():
            raise ValidationError({"name": _("单位名称无效。")})
        unit = services.add_unit_from_speech(meeting, form.name.data)
    except ValidationError as error:
        db.session.rollback()
        for message in error.errors.values():
            flash(message, "danger")
    else:
        commit()
        flash(_("已新建单位“%(name)s”（代码 %(code)s，可在单位管理中修改）。", name=unit.name,
                code=unit.code), "success")
    return redirect(url_for("meetings.review", meeting_id=meeting.id))
