from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, URLField
from wtforms.validators import DataRequired, Length, Optional

from taskboard import labels
from taskboard.forms import OptionalIntSelectField, to_choices


class UnitForm(FlaskForm):
    name = StringField(_l("单位名称"), validators=[DataRequired(_l("请填写单位名称。")),
                                                 Length(max=100)])
    short_name = StringField(_l("简称"), validators=[Length(max=50)])
    code = StringField(_l("单位代码"), validators=[DataRequired(_l("请填写单位代码。"))],
                       description=_l("小写字母、数字、下划线，如 qyfw"))
    kind = SelectField(_l("类型"), choices=[])
    parent_id = OptionalIntSelectField(_l("上级单位"), choices=[])
    webhook_url = URLField(_l("企业微信/钉钉机器人地址"), validators=[Optional(), Length(max=500)])
    active = BooleanField(_l("启用"), default=True)

    def __init__(self, *args, parent_options=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = to_choices(labels.UNIT_KINDS.items())
        self.parent_id.choices = to_choices(parent_options, blank="—")

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in (
            "name", "short_name", "code", "kind", "parent_id", "webhook_url", "active")}
