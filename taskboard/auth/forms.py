from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from taskboard import labels
from taskboard.forms import OptionalIntSelectField, to_choices


class LoginForm(FlaskForm):
    username = StringField(_l("用户名"), validators=[DataRequired(_l("请输入用户名。"))])
    password = PasswordField(_l("密码"), validators=[DataRequired(_l("请输入密码。"))])
    remember = BooleanField(_l("记住我"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("当前密码"), validators=[DataRequired(_l("请输入当前密码。"))]
    )
    new_password = PasswordField(_l("新密码"), validators=[DataRequired(_l("请输入新密码。"))])
    confirm = PasswordField(
        _l("再次输入新密码"),
        validators=[EqualTo("new_password", _l("两次输入的新密码不一致。"))],
    )


class ResetPasswordForm(FlaskForm):
    new_password = PasswordField(_l("新密码"), validators=[DataRequired(_l("请输入新密码。"))])


class UserForm(FlaskForm):
    username = StringField(_l("用户名"), validators=[DataRequired(_l("请输入用户名。"))])
    display_name = StringField(_l("姓名"), validators=[Length(max=64)])
    email = EmailField(_l("邮箱"), validators=[Optional()])
    role = SelectField(_l("角色"), choices=[])
    unit_id = OptionalIntSelectField(_l("所属单位"), choices=[])
    active = BooleanField(_l("启用"), default=True)
    password = PasswordField(_l("初始密码"))

    def __init__(self, *args, unit_options=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = to_choices(labels.ROLES.items())
        self.unit_id.choices = to_choices(unit_options, blank="—")
