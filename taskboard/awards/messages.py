"""The words of the awards' notices: a month's draft to review, and its publication."""
from flask_babel import gettext as _

from taskboard.extensions import db
from taskboard.messages import Message, base_url

from .models import AwardMonth


def _award(notification) -> tuple[AwardMonth, str, str, str]:
    award = db.session.get(AwardMonth, notification.object_id)
    link = f"{base_url()}/awards?month={award.month}"
    red = "、".join(s.unit.name for s in award.red_flags) or "—"
    snail = "、".join(s.unit.name for s in award.snails) or "—"
    return award, link, red, snail


def awards_computed(notification) -> Message:
    award, link, red, snail = _award(notification)
    return Message(_("【待审核】%(month)s 红旗和蜗牛奖评定结果", month=award.month), [
        _("%(month)s 各单位按时办理情况已统计，请审核后发布。", month=award.month),
        _("拟评红旗：%(red)s；拟评蜗牛奖：%(snail)s", red=red, snail=snail)], link)


def awards_published(notification) -> Message:
    award, link, red, snail = _award(notification)
    return Message(_("【通报】%(month)s 红旗和蜗牛奖", month=award.month), [
        _("%(month)s 督办事项按时办理情况评比结果已发布。", month=award.month),
        _("红旗：%(red)s", red=red), _("蜗牛奖：%(snail)s", snail=snail)], link)


RENDERERS = {"awards_computed": awards_computed, "awards_published": awards_published}
