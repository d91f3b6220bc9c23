from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from taskboard import permissions
from taskboard.clock import today
from taskboard.errors import ValidationError
from taskboard.extensions import commit, db
from taskboard.forms import apply_errors, saved, unit_choices
from taskboard.tasks.models import Task
from taskboard.tasks.queries import as_of, task_page

from . import services
from .forms import UnitForm
from .models import Unit

bp = Blueprint("units", __name__, url_prefix="/units")


@bp.route("/")
@login_required
def index():
    rows = db.session.scalars(
        select(Unit).options(joinedload(Unit.parent)).order_by(Unit.active.desc(), Unit.name)
    ).all()
    counts = dict(db.session.execute(
        select(Task.responsible_unit_id, func.count())
        .where(Task.deleted_at.is_(None)).group_by(Task.responsible_unit_id)
    ).all())
    return render_template("units/index.html", units=rows, counts=counts)


@bp.route("/<int:unit_id>")
@login_required
def detail(unit_id: int):
    unit = db.get_or_404(Unit, unit_id)
    page = task_page(current_user, {"unit": unit.id}, as_of(today()),
                     request.args.get("page", 1, type=int))
    return render_template("units/detail.html", unit=unit, page=page)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    permissions.require(permissions.can_manage_units(current_user))
    form = UnitForm(parent_options=unit_choices())
    if form.validate_on_submit():
        try:
            unit = services.create_unit(**form.values())
        except ValidationError as error:
            db.session.rollback()
            apply_errors(form, error)
        else:
            commit()
            flash(_("单位“%(name)s”已创建。", name=unit.name), "success")
            return redirect(url_for("units.index"))
    return render_template("units/form.html", form=form, unit=None)


@bp.route("/<int:unit_id>/edit", methods=["GET", "POST"])
@login_required
def edit(unit_id: int):
    unit = db.get_or_404(Unit, unit_id)
    permissions.require(permissions.can_manage_units(current_user))
    form = UnitForm(obj=unit, parent_options=unit_choices(active_only=False))
    if form.validate_on_submit() and saved(
            form, lambda: services.update_unit(unit, **form.values())):
        flash(_("单位“%(name)s”已保存。", name=unit.name), "success")
        return redirect(url_for("units.index"))
    return render_template("units/form.html", form=form, unit=unit)
