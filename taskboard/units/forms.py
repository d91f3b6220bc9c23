from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField, URLField
from wtforms.validators import DataRequired, Length, Optional

from taskboard import labels
from taskboard.forms import OptionalIntSelectField, to_choices

ROBOT_KIND_LABELS = {"wecom": _l("企业微信"), "dingtalk": _l("钉钉")}


class UnitForm(FlaskForm):
    name = StringField(_l("单位名称"), validators=[DataRequired(_l("请填写单位名称。")),
                                                 Length(max=100)])
    short_name = StringField(_l("简称"), validators=[Length(max=50)])
    code = StringField(_l("单位代码"), validators=[DataRequired(_l("请填写单位代码。"))],
                       description=_l("小写字母、数字、下划线，如 qyfw"))
    kind = SelectField(_l("类型"), choices=[])
    parent_id = OptionalIntSelectField(_l("上级单位"), choices=[])
    webhook_url = URLField(_l("群机器人地址（Webhook）"), validators=[Optional(), Length(max=500)])
    robot_kind = SelectField(_l("群机器人类型"), choices=[], default="wecom")
    # Never shown back: blank on an edit keeps the stored secret.
    robot_secret = PasswordField(
        _l("钉钉加签密钥"), validators=[Optional(), Length(max=200)],
        description=_l("钉钉机器人安全设置中“加签”下以 SEC 开头的字符串；编辑时留空则保持不变，"
                       "改为企业微信或清空地址则删除。"))
    active = BooleanField(_l("启用"), default=True)

    def __init__(self, *args, parent_options=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = to_choices(labels.UNIT_KINDS.items())
        self.robot_kind.choices = to_choices(ROBOT_KIND_LABELS.items())
        self.parent_id.choices = to_choices(parent_options, blank="—")

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in (
            "name", "short_name", "code", "kind", "parent_id", "webhook_url", "robot_kind",
            "robot_secret", "active")}
