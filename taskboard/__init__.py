"""Taskboard: 督查督办 — from a leader's speech to tasks, followed up until they are done."""
import os
from pathlib import Path
from typing import Any

from flask import Flask, has_request_context, render_template, request, session
from flask_wtf.csrf import CSRFError

from . import config as default_config
from . import security
from .extensions import babel, bootstrap, csrf, db, login_manager, migrate

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent
# An installed package carries templates/ and migrations/ inside (see setup.py); a checkout
# (or an editable install) has them at its top.
INSTALLED = (PACKAGE / "templates").is_dir()
SHIPPED = PACKAGE if INSTALLED else ROOT


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app.

    Configuration: defaults, then instance/config.py, then TASKBOARD_* variables (JSON values),
    then ``config``.
    """
    app = Flask(
        __name__,
        # Installed, Flask's own default applies: <venv>/var/taskboard-instance.
        instance_path=os.environ.get("TASKBOARD_INSTANCE_PATH",
                                     None if INSTALLED else str(ROOT / "instance")),
        instance_relative_config=True,
        template_folder=str(SHIPPED / "templates"),
    )
    app.config.from_object(default_config)
    app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'taskboard.db'}"
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("TASKBOARD")
    if config:
        app.config.update(config)
    _refuse_default_secret(app)
    _private_instance(app)

    security.init_app(app)
    _init_extensions(app)
    _connect_domains(app)
    _register_blueprints(app)
    _register_error_handlers(app)
    _register_template_helpers(app)

    from .cli import register_commands

    register_commands(app)
    return app


def _refuse_default_secret(app: Flask) -> None:
    # Debug mode too: a debug server reachable from the intranet with a public key lets anyone
    # forge an admin's session. Only the test suite may run with it.
    if app.testing or app.config["SECRET_KEY"] != default_config.DEFAULT_SECRET_KEY:
        return
    raise RuntimeError(
        "SECRET_KEY is still the development default. Set TASKBOARD_SECRET_KEY in the environment "
        "or SECRET_KEY in instance/config.py, e.g.:\n"
        "  (umask 077; python -c 'import secrets; "
        "print(f\"SECRET_KEY = {secrets.token_hex(32)!r}\")' >> instance/config.py)"
    )


def _private_instance(app: Flask) -> None:
    """The instance folder holds the secret key and the SQLite file: readable by its owner only."""
    folder = Path(app.instance_path)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite:///") and uri != "sqlite:///:memory:":
        database = Path(uri.removeprefix("sqlite:///"))
        if not database.exists() and database.parent.is_dir():
            # SQLite gives its -wal and -shm files the database file's mode.
            os.close(os.open(database, os.O_CREAT | os.O_WRONLY, 0o600))


def _select_locale() -> str:
    if has_request_context():
        return session.get("lang") or "zh_CN"
    return "zh_CN"  # commands speak Chinese, like the UI


def _init_extensions(app: Flask) -> None:
    from . import extensions
    from .auth import sessions as auth_sessions

    extensions.register()  # before the engine opens its first connection
    db.init_app(app)
    # Batch mode lets Alembic alter SQLite tables the same way it alters PostgreSQL ones.
    migrate.init_app(app, db, directory=str(SHIPPED / "migrations"), render_as_batch=True,
                     compare_type=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_select_locale,
                   default_translation_directories=str(Path(__file__).parent / "translations"))
    bootstrap.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None  # the log-in page says enough
    auth_sessions.init_app(app)


def _connect_domains(app: Flask) -> None:
    """What one domain does when another acts, written out: the session's flush hooks, the
    receivers of the domains' signals, and the renderer of each kind of notification."""
    from . import cache, messages
    from .awards import messages as award_messages
    from .digest import message as digest_message
    from .followup import messages as followup_messages
    from .followup import news, panels
    from .tasks import audit, derived
    from .tasks import messages as task_messages

    cache.register()  # first, as when it hooked at import: every write moves the counters
    derived.register()
    audit.register()
    news.connect()
    panels.connect()
    for renderers in (task_messages.RENDERERS, followup_messages.RENDERERS,
                      award_messages.RENDERERS, digest_message.RENDERERS):
        messages.register(app, renderers)


def _register_blueprints(app: Flask) -> None:
    from .account.views import bp as account_bp
    from .api.views import bp as api_bp
    from .auth.views import bp as auth_bp
    from .awards.views import bp as awards_bp
    from .calendar.views import bp as calendar_bp
    from .dashboard.views import bp as dashboard_bp
    from .dashboard.views import ledger_bp
    from .digest.views import bp as digest_bp
    from .documents.views import bp as documents_bp
    from .followup.views import bp as followup_bp
    from .main import bp as main_bp
    from .meetings.views import bp as meetings_bp
    from .tasks.views import bp as tasks_bp
    from .tasks.work_views import bp as work_bp
    from .units.views import bp as units_bp

    for blueprint in (main_bp, dashboard_bp, auth_bp, units_bp, meetings_bp, tasks_bp, work_bp,
                      calendar_bp, followup_bp, awards_bp, digest_bp, ledger_bp, documents_bp,
                      api_bp, account_bp):
        app.register_blueprint(blueprint)


def _register_error_handlers(app: Flask) -> None:
    from . import uploads
    from .api.errors import CODES, error_response, wants_json

    def page(code: int, message: str):
        if wants_json():  # the API answers in JSON even for URLs it does not know
            return error_response(code, CODES.get(code, "error"), message)
        return render_template("errors/error.html", code=code, message=message), code

    from flask_babel import gettext as _

    app.register_error_handler(403, lambda e: page(403, _("您没有权限执行此操作。")))
    app.register_error_handler(404, lambda e: page(404, _("您要找的内容不存在。")))
    app.register_error_handler(405, lambda e: page(405, _("不支持这种请求方式。")))
    uploads.init_app(app, lambda e: page(413, _("上传的内容超过 %(limit)s 的上限。",
                                               limit=uploads.limit_text())))
    app.register_error_handler(
        CSRFError, lambda e: page(400, _("页面已过期或来源不明，请刷新页面后重新提交。"))
    )
    app.register_error_handler(400, lambda e: page(400, _("请求格式不正确。")))
    for refused in (security.OutOfRange, security.NulInput):
        app.register_error_handler(refused, lambda e: page(400, e.description))


def _register_template_helpers(app: Flask) -> None:
    from flask_login import current_user

    from . import labels, permissions
    from .cache import cached
    from .clock import local_time, today
    from .followup.services import unread_count
    from .forms import error_messages, plain
    from .tasks.models import TaskStatus
    from .tasks.queries import review_count, workspace_count

    def _nav_counts() -> dict[str, int]:
        """What waits for the signed-in user, shown beside 待办 and 工作台 on every page.

        Counted once per data version (and day), like the pages: they change only with a write.
        """
        counts = {}
        if permissions.can_review(current_user):
            counts["reviews"] = cached(("review_count",), review_count)
        if current_user.in_unit_role and current_user.unit_id:
            unit_id, day = current_user.unit_id, today()
            counts["workspace"] = cached(("workspace_count", unit_id, day),
                                         lambda: workspace_count(unit_id, day))
        return counts

    app.add_template_filter(plain)
    app.add_template_filter(error_messages)
    # Templates name statuses and their sets as the code does: TaskStatus.IN_PROGRESS.
    app.jinja_env.globals["TaskStatus"] = TaskStatus
    # Times of events read like the dates beside them ("2022-06-15 09:30", Asia/Shanghai) in
    # every language, instead of Babel's locale formats.
    app.jinja_env.filters["datetimeformat"] = lambda value, _format=None: local_time(value)

    @app.context_processor
    def inject() -> dict[str, Any]:
        # Mail is rendered by the scheduler too, with no request and so no user.
        signed_in = has_request_context() and current_user.is_authenticated
        # The bell changes only with a write, so it is counted once per data version.
        unread = (cached(("unread", current_user.id), lambda: unread_count(current_user.id))
                  if signed_in else 0)
        return {"labels": labels, "can": permissions, "today": today(), "unread": unread,
                "nav_counts": _nav_counts() if signed_in else {},
                "languages": app.config["LANGUAGES"], "current_lang": _select_locale(),
                "endpoint": request.endpoint if has_request_context() else None}
