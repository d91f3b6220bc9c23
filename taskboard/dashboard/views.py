"""挂图作战 at "/", and the ledger's pages."""
from dataclasses import asdict
from io import BytesIO

from flask import Blueprint, flash, g, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from taskboard import labels, permissions
from taskboard.cache import cached_page
from taskboard.charts import Bar, bar_chart
from taskboard.clock import today
from taskboard.errors import ValidationError
from taskboard.extensions import commit, db
from taskboard.tasks.models import TASK_STATUSES
from taskboard.tasks.queries import AsOf, as_of, filter_options

from . import ledger
from .queries import CELL_STATES, DASHBOARD_FILTERS, filtered, overview

bp = Blueprint("dashboard", __name__)

LIGHT_COLORS = {"red": "#dc2626", "yellow": "#eab308", "green": "#16a34a"}


@bp.route("/")
@login_required
def index():
    # A unit's people start at what they owe; leaders and the office at the wall chart.
    if current_user.in_unit_role and current_user.unit_id is not None:
        return redirect(url_for("work.workspace"))
    filters = {name: request.args.get(name, "") for name in DASHBOARD_FILTERS}
    page = request.args.get("page", 1, type=int)
    day = as_of(today())
    # Every leader sees the same wall chart: render it once per version of the data.
    return cached_page("dashboard/index.html", day, (*filters.values(), page),
                       lambda: _overview(filters, day, page))


def _overview(filters: dict[str, str], day: AsOf, page: int) -> dict:
    data = overview(current_user, filters, day, page)
    light_chart = bar_chart([Bar(str(labels.LIGHTS[k]), data.by_light.get(k, 0), color)
                             for k, color in LIGHT_COLORS.items()], title="按进度")
    status_chart = bar_chart([Bar(str(labels.STATUSES[s]), data.by_status.get(s, 0), "#6b7280")
                              for s in TASK_STATUSES if data.by_status.get(s)], title="按状态")
    return dict(data=data, filters=filters, light_chart=light_chart, status_chart=status_chart,
                cell_states=CELL_STATES, **asdict(filter_options()))


ledger_bp = Blueprint("ledger", __name__)
LEDGER_FILTERS = (*DASHBOARD_FILTERS, "q", "status", "level", "light")


@ledger_bp.route("/ledger.xlsx")
@login_required
def export():
    """The 台账 of what the current filters show (each person's visible tasks only)."""
    filters = {name: request.args.get(name, "") for name in LEDGER_FILTERS}
    day = today()
    tasks = ledger.ledger_tasks(filtered(current_user, filters, as_of(day)), milestones=False)
    data = ledger.export_workbook(tasks, request.args.get("year", day.year, type=int),
                                  as_of(day))
    return send_file(BytesIO(data), as_attachment=True,
                     download_name=f"督办台账-{day.isoformat()}.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@ledger_bp.route("/ledger/import", methods=["GET", "POST"])
@login_required
def import_page():
    """Upload → the plan (what changes, old → new) → 确认导入 applies exactly that plan."""
    permissions.require(permissions.can_manage_tasks(current_user))
    day = today()
    plan, error, stale, payload = None, None, False, ""
    year = request.form.get("year", day.year, type=int)
    if request.method == "POST":
        upload = request.files.get("file")
        try:
            if g.get("upload_refused"):
                raise ValidationError({"file": g.upload_refused})
            if request.form.get("action") == "confirm":
                data = ledger.decode_payload(request.form.get("payload", ""))
            elif upload is None or not upload.filename:
                raise ValidationError({"file": _("请选择要导入的 .xlsx 文件。")})
            else:
                data = upload.read()
            plan = ledger.plan_import(data, year=year, today=day)
        except ValidationError as refused:
            error = next(iter(refused.errors.values()))
        else:
            payload = ledger.encode_payload(data)
            confirmed = request.form.get("fingerprint") == plan.fingerprint()
            stale = request.form.get("action") == "confirm" and not confirmed
            if confirmed and not plan.errors and request.form.get("action") == "confirm":
                result = ledger.apply_plan(plan, today=day)
                commit()
                flash(_("已导入：新建 %(created)d 项，更新 %(updated)d 项，%(unchanged)d 项不变。",
                        created=result.created, updated=result.updated,
                        unchanged=result.unchanged), "success")
                return redirect(url_for("tasks.index"))
        db.session.rollback()
    return render_template("dashboard/import.html", plan=plan, error=error, stale=stale,
                           payload=payload, year=year)
