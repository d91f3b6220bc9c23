"""The language switch, the favicon and the health check."""
from flask import Blueprint, abort, current_app, jsonify, redirect, request, session, url_for
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from taskboard.extensions import db

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


@bp.route("/healthz")
def healthz():
    """For load balancers and monitoring: no session, one round trip to the database."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return jsonify(status="error", reason="database"), 503
    return jsonify(status="ok")


@bp.route("/favicon.ico")
def favicon():
    """Browsers and feed readers ask for /favicon.ico whatever the page links: no 404 for it."""
    return current_app.send_static_file("favicon.svg")
