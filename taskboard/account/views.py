from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from taskboard.extensions import commit
from taskboard.permissions import receives_digest

from .forms import PreferencesForm
from .models import wants_email
from .services import save_preferences

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.route("/", methods=["GET", "POST"])
@login_required
def index():
    form = PreferencesForm()
    if form.validate_on_submit():
        save_preferences(current_user, email=form.email.data, digest=form.digest.data)
        commit()
        flash(_("通知设置已保存。"), "success")
        return redirect(url_for("account.index"))
    if not form.is_submitted():
        form.email.data = wants_email(current_user)
        form.digest.data = not current_user.digest_opt_out
    return render_template("account/index.html", form=form,
                           gets_digest=receives_digest(current_user))
