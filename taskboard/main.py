"""The language switch and the favicon."""
from flask import Blueprint, abort, current_app, redirect, request, session, url_for

bp = Blueprint("main", __name__)


@bp.route("/lang/<code>")
def set_language(code: str):
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    session["lang"] = code
    target = request.referrer or url_for("dashboard.index")
    # Only go back within this site.
    if not target.startswith(request.host_url):
        target = url_for("dashboard.index")
    return redirect(target)


@bp.route("/favicon.ico")
def favicon():
    """Browsers and feed readers ask for /favicon.ico whatever the page links: no 404 for it."""
    return current_app.send_static_file("favicon.svg")
