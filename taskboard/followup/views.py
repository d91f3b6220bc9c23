"""The bell, the outbox and the follow-up settings."""
from dataclasses import asdict

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from taskboard import permissions
from taskboard.clock import utcnow
from taskboard.extensions import commit, db
from taskboard.forms import saved

from . import senders, services, settings
from .forms import FollowupSettingsForm
from .models import Notification

bp = Blueprint("followup", __name__)
INBOX_SIZE = 50
OUTBOX_SIZE = 200


@bp.route("/notifications")
@login_required
def inbox():
    return render_template("followup/inbox.html",
                           lines=services.inbox(current_user.id, INBOX_SIZE))


@bp.route("/notifications/read", methods=["POST"])
@login_required
def mark_read():
    services.mark_read(current_user.id, utcnow())
    commit()
    return redirect(url_for("followup.inbox"))


@bp.route("/outbox")
@login_required
def outbox():
    permissions.require(permissions.can_manage_settings(current_user))
    counts = db.session.execute(
        select(Notification.channel, Notification.status, func.count())
        .group_by(Notification.channel, Notification.status)).all()

    def listed(*conditions):
        return db.session.scalars(
            select(Notification).where(*conditions)
            .options(joinedload(Notification.user), joinedload(Notification.unit))
            .order_by(Notification.id.desc()).limit(OUTBOX_SIZE)).all()

    return render_template(
        "followup/outbox.html", counts=counts,
        failed=listed(Notification.status == "failed"),
        stuck=listed(Notification.status == "sending", Notification.next_attempt_at < utcnow()),
        waiting=listed(Notification.status == "pending", Notification.attempts > 0),
        mail_configured=bool(current_app.config["MAIL_SERVER"]))


def _chosen_ids() -> list[int]:
    # Ids beyond a 64-bit integer are not ours and would break the query on PostgreSQL.
    return [int(i) for i in request.form.getlist("id") if i.isdigit() and len(i) < 16]


@bp.route("/outbox/retry", methods=["POST"])
@login_required
def retry_failed():
    permissions.require(permissions.can_manage_settings(current_user))
    ids = _chosen_ids()
    if not ids and not request.form.getlist("id"):  # the "retry all failed" button
        ids = list(db.session.scalars(select(Notification.id)
                                      .where(Notification.status == "failed")))
    count = senders.retry(ids, utcnow())
    commit()
    flash(_("已重新排队 %(n)d 条，将在一分钟内发送。", n=count), "success")
    return redirect(url_for("followup.outbox"))


@bp.route("/outbox/cancel", methods=["POST"])
@login_required
def cancel():
    permissions.require(permissions.can_manage_settings(current_user))
    ids = _chosen_ids()
    if not ids:
        flash(_("请先勾选要取消的消息。"), "warning")
        return redirect(url_for("followup.outbox"))
    count = senders.cancel(ids, utcnow())
    commit()
    flash(_("已取消 %(n)d 条，不再发送。", n=count), "success")
    return redirect(url_for("followup.outbox"))


@bp.route("/settings/followup", methods=["GET", "POST"])
@login_required
def edit_settings():
    permissions.require(permissions.can_manage_settings(current_user))
    form = FollowupSettingsForm(data=None if request.method == "POST"
                                else asdict(settings.load()))
    if form.validate_on_submit() and saved(form, lambda: settings.save(form.to_settings())):
        flash(_("催办设置已保存，下次督办时生效。"), "success")
        return redirect(url_for("followup.edit_settings"))
    return render_template("followup/settings.html", form=form)
