from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from taskboard import permissions
from taskboard.clock import utcnow
from taskboard.extensions import commit, db
from taskboard.forms import committed, saved, unit_choices
from taskboard.units.models import Unit

from . import services, sessions, throttle
from .forms import ChangePasswordForm, LoginForm, ResetPasswordForm, UserForm
from .models import User

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    r"""Only a path on this site: an open redirect would help phishing.

    Browsers drop tabs and line breaks from a URL and read a backslash as a slash, so
    ``/\t/evil.example`` or ``/\evil.example`` would leave the site: any of those refuses it.
    """
    if (target and target.startswith("/") and target.isprintable() and "\\" not in target
            and not target.startswith("//") and not urlsplit(target).netloc):
        return target
    return url_for("dashboard.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.username.data, form.password.data,
                                         request.remote_addr or "")
        except throttle.LoginRefused as refused:
            user, status = None, 429
            form.form_errors.append(refused.message)
        else:
            if user is None:
                form.form_errors.append(_("用户名或密码不正确，或账号已停用。"))
            else:
                sessions.start(user, remember=form.remember.data)
        commit()  # the failure counts too
        if user is not None:
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    sessions.end()
    commit()
    flash(_("您已退出登录。"), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit() and saved(form, lambda: (
        services.change_own_password(current_user, form.current_password.data,
                                     form.new_password.data, keep=sessions.current())
    )):
        flash(_("密码已修改。"), "success")
        return redirect(url_for("dashboard.index"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/admin/users")
@login_required
def users():
    permissions.require(permissions.can_manage_users(current_user))
    rows = db.session.scalars(
        select(User).options(joinedload(User.unit)).order_by(User.role, User.username)
    ).all()
    return render_template("auth/users.html", users=rows)


def _unit(unit_id: int | None) -> Unit | None:
    return db.session.get(Unit, unit_id) if unit_id else None


@bp.route("/admin/users/new", methods=["GET", "POST"])
@login_required
def create_user():
    permissions.require(permissions.can_manage_users(current_user))
    form = UserForm(unit_options=unit_choices())
    if form.validate_on_submit() and saved(form, lambda: (
        services.create_user(
            username=form.username.data, role=form.role.data, password=form.password.data,
            unit=_unit(form.unit_id.data), email=form.email.data,
            display_name=form.display_name.data,
        )
    )):
        flash(_("账号 %(name)s 已创建。", name=form.username.data), "success")
        return redirect(url_for("auth.users"))
    return render_template("auth/user_form.html", form=form, user=None)


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@login_required
def edit_user(user_id: int):
    user = db.get_or_404(User, user_id)
    permissions.require(permissions.can_manage_users(current_user))
    form = UserForm(obj=user, unit_options=unit_choices(active_only=False))
    reset_form = ResetPasswordForm(prefix="reset")
    if form.validate_on_submit() and saved(form, lambda: (
        services.update_user(
            user, role=form.role.data, unit=_unit(form.unit_id.data), email=form.email.data,
            display_name=form.display_name.data, active=form.active.data,
        )
    )):
        flash(_("账号 %(name)s 已保存。", name=user.username), "success")
        return redirect(url_for("auth.users"))
    return _user_page(user, form, reset_form)


def _user_page(user: User, form: UserForm, reset_form: ResetPasswordForm):
    return render_template("auth/user_form.html", form=form, user=user, reset_form=reset_form,
                           locks=throttle.locks(user, utcnow()))


@bp.route("/admin/users/<int:user_id>/unlock", methods=["POST"])
@login_required
def unlock(user_id: int):
    user = db.get_or_404(User, user_id)
    permissions.require(permissions.can_manage_users(current_user))
    committed(lambda: throttle.unlock(user, current_user),
              _("已解除 %(name)s 的登录锁定。", name=user.username))
    return redirect(url_for("auth.edit_user", user_id=user.id))


@bp.route("/admin/users/<int:user_id>/password", methods=["POST"])
@login_required
def reset_password(user_id: int):
    user = db.get_or_404(User, user_id)
    permissions.require(permissions.can_manage_users(current_user))
    reset_form = ResetPasswordForm(prefix="reset")
    new_password = reset_form.new_password
    if reset_form.validate_on_submit() and saved(
            reset_form, lambda: services.set_password(
                user, new_password.data,
                keep=sessions.current() if user.id == current_user.id else None)):
        flash(_("已重置 %(name)s 的密码。", name=user.username), "success")
        return redirect(url_for("auth.edit_user", user_id=user.id))
    form = UserForm(obj=user, unit_options=unit_choices(active_only=False))
    return _user_page(user, form, reset_form)
