"""The digest as an e-mail: HTML for a phone's mail app, with a plain-text part."""
from dataclasses import dataclass

from flask import current_app, render_template
from flask_babel import gettext as _

from taskboard.auth.models import User
from taskboard.extensions import db

from .services import Digest, build, parse_week


@dataclass
class DigestMessage:
    digest: Digest

    @property
    def subject(self) -> str:
        return _("【督办周报】%(week)s %(name)s：逾期 %(overdue)d 项，两周内到期 %(soon)d 项",
                 week=self.digest.week, name=self.digest.user.display_name,
                 overdue=self.digest.overdue_total, soon=self.digest.due_soon_total)

    @property
    def link(self) -> str:
        return current_app.config["BASE_URL"].rstrip("/") + "/"

    @property
    def html(self) -> str:
        return render_template("email/digest.html", digest=self.digest, subject=self.subject,
                               base=current_app.config["BASE_URL"].rstrip("/"))

    @property
    def text(self) -> str:
        d = self.digest
        lines = [self.subject, ""]
        if d.changes:
            lines.append(_("一、上周动态"))
            lines += [f"- {c.task.code} {c.task.title}：{c.text}" for c in d.changes]
        if d.overdue:
            lines.append(_("二、逾期事项（红牌在前）"))
            lines += [f"- {t.code} {t.title}（{t.responsible_unit.name}）："
                      + "、".join(f"{m.period} 应于 {m.due_date.isoformat()}" for m in ms)
                      for t, ms in d.overdue]
        if d.due_soon:
            lines.append(_("三、两周内到期"))
            lines += [f"- {m.due_date.isoformat()} {m.task.code} {m.task.title}"
                      f"（{m.task.responsible_unit.name}）" for m in d.due_soon]
        if d.awards:
            lines.append(_("四、%(month)s 红旗：%(red)s；蜗牛奖：%(snail)s", month=d.awards.month,
                           red="、".join(s.unit.name for s in d.awards.red_flags) or "—",
                           snail="、".join(s.unit.name for s in d.awards.snails) or "—"))
        return "\n".join([*lines, "", self.link])

    @property
    def markdown(self) -> str:
        return self.text


def render(notification) -> DigestMessage:
    """The outbox row of a leader's week, rendered from the week's figures when it is sent."""
    user = db.session.get(User, notification.object_id)
    return DigestMessage(build(user, parse_week(notification.period)))


RENDERERS = {"digest": render}
