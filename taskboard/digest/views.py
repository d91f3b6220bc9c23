"""The digest preview (opting out is on the account page, taskboard.account)."""
from flask import Blueprint, flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from taskboard import permissions
from taskboard.auth.models import User
from taskboard.clock import today
from taskboard.errors import ValidationError
from taskboard.extensions import db

from .message import DigestMessage
from .services import build, parse_week, week_of

bp = Blueprint("digest", __name__)


@bp.route("/digest/preview")
@login_required
def preview():
    """Any leader's digest for any week, exactly as the e-mail would be."""
    recipient = db.session.get(User, request.args.get("user", current_user.id, type=int))
    if recipient is None or not permissions.receives_digest(recipient):
        recipient = None
    week = request.args.get("week") or week_of(today())
    try:
        monday = parse_week(week)
    except ValidationError as refused:
        monday, week = parse_week(week_of(today())), week_of(today())
        flash(_("%(why)s 已显示本周。", why=refused.errors["week"]), "warning")
    if recipient is not None:
        permissions.require(permissions.can_preview_digest(current_user, recipient))
    people = db.session.scalars(select(User).where(User.role.in_(permissions.DIGEST_ROLES))
                                .order_by(User.role, User.display_name)).all() \
        if permissions.can_manage_awards(current_user) else []
    message = DigestMessage(build(recipient, monday)) if recipient else None
    return render_template("digest/preview.html", message=message, recipient=recipient,
                           week=week, people=people)
