"""督办通知单 (one task, or the ticked tasks of a meeting) and the monthly 督办情况通报."""
from io import BytesIO

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from taskboard import permissions
from taskboard.awards.scoring import requested_month
from taskboard.awards.services import previous_month
from taskboard.clock import today
from taskboard.errors import Conflict, ValidationError
from taskboard.extensions import commit, db
from taskboard.forms import apply_errors

from . import services
from .docx import bulletin_docx, notices_docx
from .forms import BulletinForm
from .models import Bulletin

bp = Blueprint("documents", __name__, url_prefix="/documents")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@bp.context_processor
def document_words() -> dict:
    return {"chinese_date": services.chinese_date, "sections": services.SECTIONS,
            "ledger_header": services.LEDGER_HEADER, "copy_to": services.COPY_TO}


def _docx(data: bytes, name: str):
    return send_file(BytesIO(data), as_attachment=True, download_name=name, mimetype=DOCX)


def _requested_notices() -> list[services.Notice]:
    """The tasks of ?task=1&task=2; a bad or empty choice goes back with a message."""
    permissions.require(permissions.can_issue_documents(current_user))
    ids = [int(value) for value in request.args.getlist("task") if value.isdigit()]
    try:
        return services.notices(services.tasks_for_notices(ids), today())
    except ValidationError as refused:
        flash(next(iter(refused.errors.values())), "danger")
        abort(redirect(request.referrer or url_for("tasks.index")))


@bp.route("/notices")
@login_required
def notices():
    return render_template("documents/notices.html", notices=_requested_notices())


@bp.route("/notices.docx")
@login_required
def notices_download():
    items = _requested_notices()
    name = f"督办通知单-{items[0].task.code}.docx" if len(items) == 1 else \
        f"督办通知单-{len(items)}项-{today().isoformat()}.docx"
    return _docx(notices_docx(items), name)


@bp.route("/bulletins")
@login_required
def bulletins():
    permissions.require(permissions.can_view_bulletins(current_user))
    return render_template("documents/bulletins.html", bulletins=services.issued_bulletins(),
                           month=previous_month(today()))


@bp.route("/bulletins/draft", methods=["GET", "POST"])
@login_required
def draft():
    permissions.require(permissions.can_issue_documents(current_user))
    month = request.values.get("month", "")
    try:
        requested_month(month)
    except ValidationError as refused:
        flash(refused.errors["month"], "danger")
        return redirect(url_for("documents.bulletins"))
    if (issued := services.find_issued(month)) is not None:
        flash(_("%(month)s 的通报已经印发（%(label)s），以下是印发的文本。", month=month,
                label=issued.label), "info")
        return redirect(url_for("documents.bulletin", bulletin_id=issued.id))
    form = BulletinForm()
    if form.validate_on_submit() and (response := _submitted(month, form)) is not None:
        return response
    # A refused date is shown with its message; the draft is written as of today meanwhile.
    issued_on = None if form.issued_on.errors else form.issued_on.data
    draft = services.draft_bulletin(month, issued_on or today())
    if not form.is_submitted():
        form.process(data={"issued_on": draft.issued_on,
                           **{name: getattr(draft, name) for name in draft.TEXTS}})
    return render_template("documents/bulletin_form.html", form=form, draft=draft, month=month)


def _submitted(month: str, form: BulletinForm):
    """Download, print or issue the edited draft; None (and the reasons shown) if refused."""
    action = request.form.get("action")
    try:
        draft = services.draft_bulletin(month, form.issued_on.data).edited(form.texts)
        if action == "issue":
            bulletin = services.issue(draft, current_user, bulletin_docx)
            commit()
    except ValidationError as refused:
        db.session.rollback()
        apply_errors(form, refused)
        return None
    except Conflict as refused:
        db.session.rollback()
        flash(refused.message, "danger")
        return None
    if action == "issue":
        flash(_("已印发%(label)s督办情况通报。", label=bulletin.label), "success")
        return redirect(url_for("documents.bulletin", bulletin_id=bulletin.id))
    if action == "print":
        return render_template("documents/bulletin.html", draft=draft)
    return _docx(bulletin_docx(draft), f"督办情况通报-{month}-草稿.docx")


def _issued(bulletin_id: int) -> Bulletin:
    bulletin = db.get_or_404(Bulletin, bulletin_id)
    permissions.require(permissions.can_view_bulletins(current_user))
    return bulletin


@bp.route("/bulletins/<int:bulletin_id>")
@login_required
def bulletin(bulletin_id: int):
    issued = _issued(bulletin_id)
    return render_template("documents/bulletin.html", bulletin=issued,
                           draft=services.BulletinDraft.from_content(issued.content))


@bp.route("/bulletins/<int:bulletin_id>.docx")
@login_required
def bulletin_download(bulletin_id: int):
    issued = _issued(bulletin_id)
    return _docx(issued.docx, f"督办情况通报-{issued.year}年第{issued.number}期.docx")
