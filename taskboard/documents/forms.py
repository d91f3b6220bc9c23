from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from taskboard.documents.services import BulletinDraft
from taskboard.forms import WithinYears


class BulletinForm(FlaskForm):
    """The drafted 通报's words, for the office to edit before downloading or issuing."""

    issued_on = DateField(_l("印发日期"), validators=[InputRequired(_l("请填写印发日期。")),
                                                   WithinYears()])
    title = StringField(_l("标题"),
                        validators=[Length(max=100, message=_l("标题不能超过100字。"))])
    # Emptied sections are refused by BulletinDraft.edited, for the command line too.
    overall = TextAreaField(_l("一、总体情况"), render_kw={"rows": 5})
    awards = TextAreaField(_l("二、红旗单位和蜗牛奖"), render_kw={"rows": 3})
    flagged = TextAreaField(_l("三、挂牌督办和红牌事项"), render_kw={"rows": 6})
    next_steps = TextAreaField(_l("四、下步工作要求"), render_kw={"rows": 5})

    @property
    def texts(self) -> dict[str, str]:
        return {name: getattr(self, name).data or "" for name in BulletinDraft.TEXTS}
