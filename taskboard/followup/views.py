"""The bell, the outbox and the follow-up settings."""
from dataclasses import asdict

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from taskboard import permissions
from taskboard.clock import utcnow
from taskboard.extensions import db
from taskboard.forms import saved

from . import services, settings
from .forms import FollowupSettingsForm
from .models import Notification
from .render import render
from .senders import retry

bp = Blueprint("followup", __name__)
INBOX_SIZE = 50


@bp.route("/notifications")
@login_required
def inbox():
    rows = db.session.scalars(
        select(Notification).where(Notification.user_id == current_user.id,
                                   Notification.channel == "in_app")
        .order_by(Notification.id.desc()).limit(INBOX_SIZE)
    ).all()
    return render_template("followup/inbox.html", items=[(n, render(n)) for n in rows])


@bp.route("/notifications/read", methods=["POST"])
@login_required
def mark_read():
    services.mark_read(current_user.id, utcnow())
    db.session.commit()
    return redirect(url_for("followup.inbox"))


@bp.route("/outbox")
@login_required
def outbox():
    permissions.require(permissions.can_manage_settings(current_user))
    counts = db.session.execute(
        select(Notification.channel, Notification.status, func.count())
        .group_by(Notification.channel, Notification.status)).all()
    failed = db.session.scalars(
        select(Notification).where(Notification.status == "failed")
        .options(joinedload(Notification.user), joinedload(Notification.unit))
        .order_by(Notification.id.desc()).limit(200)).all()
    waiting = db.session.scalars(
        select(Notification).where(Notification.status == "pending",
                                   Notification.attempts > 0)
        .options(joinedload(Notification.user), joinedload(Notification.unit))
        .order_by(Notification.id.desc()).limit(200)).all()
    return render_template("followup/outbox.html", counts=counts, failed=failed,
                           waiting=waiting, mail_configured=bool(
                               current_app.config["MAIL_SERVER"]))


@bp.route("/outbox/retry", methods=["POST"])
@login_required
def retry_failed():
    permissions.require(permissions.can_manage_settings(current_user))
    ids = [int(i) for i in request.form.getlist("id") if i.isdigit()]
    if not ids:
        ids = list(db.session.scalars(select(Notification.id)
                                      .where(Notification.status == "failed")))
    count = retry(ids)
    db.session.commit()
    flash(_("已重新排队 %(n)d 条，将在一分钟内发送。", n=count), "success")
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
