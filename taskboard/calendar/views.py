"""The admin's table of extra holidays and working days."""
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateField, SelectField, StringField
from wtforms.validators import InputRequired, Length

from taskboard import permissions
from taskboard.clock import today
from taskboard.extensions import commit, db
from taskboard.forms import WithinYears, to_choices

from .models import CalendarDay
from .workdays import package_covers

bp = Blueprint("calendar", __name__, url_prefix="/admin/calendar")


class CalendarDayForm(FlaskForm):
    day = DateField(_l("日期"), validators=[InputRequired(_l("请填写日期。")), WithinYears()])
    is_workday = SelectField(_l("类型"), choices=to_choices(
        [("0", _l("放假")), ("1", _l("上班（调休）"))]))
    note = StringField(_l("说明"), validators=[Length(max=100)])


@bp.route("/", methods=["GET", "POST"])
@login_required
def index():
    permissions.require(permissions.can_manage_settings(current_user))
    form = CalendarDayForm()
    if form.validate_on_submit():
        entry = db.session.get(CalendarDay, form.day.data) or CalendarDay(day=form.day.data)
        entry.is_workday = form.is_workday.data == "1"
        entry.note = form.note.data or ""
        db.session.add(entry)
        commit()
        flash(_("已保存 %(day)s。", day=form.day.data.isoformat()), "success")
        return redirect(url_for("calendar.index"))
    days = db.session.scalars(select(CalendarDay).order_by(CalendarDay.day.desc())).all()
    year = today().year
    coverage = {y: package_covers(y) for y in (year, year + 1)}
    return render_template("calendar/index.html", form=form, days=days, coverage=coverage)


@bp.route("/<day>/delete", methods=["POST"])
@login_required
def delete(day: str):
    permissions.require(permissions.can_manage_settings(current_user))
    try:
        entry = db.session.get(CalendarDay, date.fromisoformat(day))
    except ValueError:
        entry = None
    if entry is None:
        abort(404)
    # CSRFProtect has already checked the token of this POST.
    db.session.delete(entry)
    commit()
    flash(_("已删除 %(day)s。", day=day), "info")
    return redirect(url_for("calendar.index"))
