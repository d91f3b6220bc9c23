from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField


class PreferencesForm(FlaskForm):
    email = BooleanField(_l("同时用邮件通知我"))
    digest = BooleanField(_l("每周一接收督办周报"))
