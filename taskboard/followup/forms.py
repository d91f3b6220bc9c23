from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField
from wtforms.validators import InputRequired, NumberRange

from taskboard.forms import to_choices

from .settings import FollowupSettings

LEVELS = to_choices([(1, _l("一级（逾期即告知）")), (2, _l("二级")), (3, _l("三级"))])


def _days(label):
    return IntegerField(label, validators=[InputRequired(_l("请填写天数。")),
                                           NumberRange(1, 250, _l("请填写 1 到 250 之间的整数。"))])


class FollowupSettingsForm(FlaskForm):
    due_soon_workdays = _days(_l("临期提醒：到期前几个工作日内"))
    level1_workdays = _days(_l("一级督办（蓝牌）：逾期几个工作日"))
    level2_workdays = _days(_l("二级督办（黄牌）：逾期几个工作日，同时告知牵头领导"))
    level3_workdays = _days(_l("三级督办（红牌）：逾期几个工作日，同时告知督查室"))
    level3_overdue_milestones = _days(_l("或同一事项逾期节点达到几个即三级"))
    unsigned_workdays = _days(_l("交办后几个工作日未签收即提醒"))
    weekly_repeat = BooleanField(_l("逾期期间每周催办一次"))
    lead_from_level = SelectField(_l("牵头领导从第几级起收到"), coerce=int, choices=LEVELS)
    office_from_level = SelectField(_l("督查室从第几级起收到"), coerce=int, choices=LEVELS)
    email = BooleanField(_l("发送电子邮件"))
    webhook = BooleanField(_l("推送到单位的企业微信/钉钉群机器人"))

    def to_settings(self) -> FollowupSettings:
        return FollowupSettings(**{name: getattr(self, name).data
                                   for name in FollowupSettings.__dataclass_fields__})
