"""红旗 and 蜗牛奖: the ranking, a unit's history, overrides, publishing, the Excel export."""
from dataclasses import asdict
from io import BytesIO

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import FloatField, IntegerField
from wtforms.validators import InputRequired

from taskboard import permissions, settings_store
from taskboard.cache import cached_page
from taskboard.charts import Point, line_chart
from taskboard.clock import today, utcnow
from taskboard.errors import ValidationError
from taskboard.extensions import db
from taskboard.forms import committed, saved
from taskboard.units.models import Unit

from . import services
from .export import ranking_workbook
from .scoring import KEY, AwardSettings, load_settings, requested_month

bp = Blueprint("awards", __name__, url_prefix="/awards")


def _period(args) -> tuple[str, list[str]]:
    """("2022-03" | "2022-Q1" | "2022", its months) from ?month= / ?quarter= / ?year=."""
    label, months = _requested_period(args)
    try:  # year 0 or a year of twenty digits is no month of ours: not found, not a crash
        for month in months:
            requested_month(month)
    except ValidationError:
        abort(404)
    return label, months


def _requested_period(args) -> tuple[str, list[str]]:
    if quarter := args.get("quarter"):
        try:
            year, number = quarter.split("-Q")
            first = (int(number) - 1) * 3 + 1
            months = [f"{int(year):04d}-{m:02d}" for m in range(first, first + 3)]
            if not 1 <= int(number) <= 4:
                raise ValueError
        except ValueError:
            abort(404)
        return quarter, months
    if year := args.get("year"):
        if not year.isdigit():
            abort(404)
        return year, [f"{int(year):04d}-{m:02d}" for m in range(1, 13)]
    month = args.get("month") or services.previous_month(today())
    return month, [month]


@bp.route("")
@login_required
def index():
    label, months = _period(request.args)
    manager = permissions.can_manage_awards(current_user)
    # Everyone of a role sees the same ranking: rendered once per version of the data.
    return cached_page("awards/index.html", today(), (label,),
                       lambda: _ranking(label, months, manager))


def _ranking(label: str, months: list[str], manager: bool) -> dict:
    award = services.find(months[0]) if len(months) == 1 else None
    if len(months) == 1:
        # A draft is the office's working copy; everyone else sees published months only.
        shown = award if award and (award.is_published or manager) else None
        tallies = services.tallies_of(months[0]) if shown else []
    else:
        # Quarter and year views add up published months only, unless the office is asking.
        tallies = services.period_ranking(months, published_only=not manager)
        shown = None
    return dict(label=label, months=months, award=shown, tallies=tallies,
                settings=load_settings(), manager=manager)


@bp.route("/export.xlsx")
@login_required
def export():
    label, months = _period(request.args)
    award = services.find(months[0]) if len(months) == 1 else None
    if len(months) == 1:
        if award is None or not (award.is_published
                                 or permissions.can_manage_awards(current_user)):
            abort(404)
        tallies = services.tallies_of(months[0])
    else:
        tallies = services.period_ranking(
            months, published_only=not permissions.can_manage_awards(current_user))
    data = ranking_workbook(_("%(period)s 督办事项按时办理排名", period=label), tallies,
                            load_settings().words())
    return send_file(BytesIO(data), as_attachment=True, download_name=f"排名-{label}.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _manage(month: str):
    permissions.require(permissions.can_manage_awards(current_user))
    try:
        requested_month(month)
    except ValidationError:
        abort(404)


def _back(month: str):
    return redirect(url_for("awards.index", month=month))


@bp.route("/<month>/compute", methods=["POST"])
@login_required
def compute(month: str):
    _manage(month)
    committed(lambda: services.compute(month),
              _("已按当前数据重新计算 %(month)s。", month=month))
    return _back(month)


@bp.route("/<month>/override", methods=["POST"])
@login_required
def override(month: str):
    _manage(month)
    award = services.find(month) or abort(404)
    committed(lambda: services.override(
        award, reason=request.form.get("reason", ""),
        snail_unit_ids={int(i) for i in request.form.getlist("snail") if i.isdigit()},
        red_flag_unit_ids={int(i) for i in request.form.getlist("red_flag") if i.isdigit()},
    ), _("评定结果已调整。"))
    return _back(month)


@bp.route("/<month>/publish", methods=["POST"])
@login_required
def publish(month: str):
    _manage(month)
    award = services.find(month) or abort(404)
    committed(lambda: services.publish(award, current_user, utcnow()),
              _("%(month)s 评比结果已发布并通报各单位和领导。", month=month))
    return _back(month)


@bp.route("/units/<int:unit_id>")
@login_required
def unit_history(unit_id: int):
    unit = db.get_or_404(Unit, unit_id)
    manager = permissions.can_manage_awards(current_user)
    history = [s for s in services.unit_history(unit.id)
               if s.award_month.is_published or manager]
    chart = line_chart([Point(s.award_month.month, float(s.on_time_rate)) for s in history],
                       title=_("%(unit)s 按时率", unit=unit.name))
    return render_template("awards/unit.html", unit=unit, history=history, chart=chart)


class AwardSettingsForm(FlaskForm):
    late_credit = FloatField(_l("迟报折算为按时的比例（0–1）"),
                             validators=[InputRequired(_l("请填写数字。"))])
    delay_penalty = FloatField(_l("平均每延误一个工作日扣分"),
                               validators=[InputRequired(_l("请填写数字。"))])
    min_due = IntegerField(_l("参与排名的最少应报节点数"),
                           validators=[InputRequired(_l("请填写整数。"))])
    snail_threshold = FloatField(_l("蜗牛奖按时率门槛（0–1）"),
                                 validators=[InputRequired(_l("请填写数字。"))])


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    permissions.require(permissions.can_manage_awards(current_user))
    form = AwardSettingsForm(data=None if request.method == "POST" else asdict(load_settings()))
    if form.validate_on_submit() and saved(form, lambda: (
        settings_store.save(KEY, AwardSettings(**{
            name: getattr(form, name).data for name in AwardSettings.__dataclass_fields__}))
    )):
        flash(_("评比办法已保存，下次计算时生效。"), "success")
        return redirect(url_for("awards.settings"))
    return render_template("awards/settings.html", form=form, words=load_settings().words())
