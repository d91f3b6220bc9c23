from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from taskboard import labels
from taskboard.forms import to_choices


class MeetingForm(FlaskForm):
    title = StringField(_l("会议/文件名称"), validators=[DataRequired(_l("请填写名称。")),
                                                    Length(max=200)])
    meeting_date = DateField(_l("日期"), validators=[InputRequired(_l("请填写日期。"))])
    kind = SelectField(_l("类型"), choices=[])
    full_text = TextAreaField(_l("全文"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = to_choices(labels.MEETING_KINDS.items())
