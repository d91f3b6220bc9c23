"""The landing page and the language switch."""
from flask import Blueprint, abort, current_app, redirect, request, session, url_for
from flask_login import current_user, login_required

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def index():
    # A unit's people start at what they owe; everyone else at the ledger.
    if current_user.in_unit_role and current_user.unit_id is not None:
        return redirect(url_for("work.workspace"))
    return redirect(url_for("tasks.index"))


@bp.route("/lang/<code>")
def set_language(code: str):
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    session["lang"] = code
    target = request.referrer or url_for("main.index")
    # Only go back within this site.
    if not target.startswith(request.host_url):
        target = url_for("main.index")
    return redirect(target)
