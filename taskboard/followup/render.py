"""What a notification says: subject, plain text, HTML, and markdown for group robots.

Rows in the outbox hold only what is owed to whom; the words are made when it is delivered.
"""
from dataclasses import dataclass

from flask import current_app, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from taskboard import labels
from taskboard.auth.models import User
from taskboard.awards.models import AwardMonth
from taskboard.extensions import db
from taskboard.tasks.models import Comment, Milestone, ProgressReport, Task, TaskRequest

from .models import Notification

LEVEL_NAMES = {1: _l("一级"), 2: _l("二级"), 3: _l("三级")}


@dataclass
class Message:
    subject: str
    lines: list[str]
    link: str

    @property
    def text(self) -> str:
        return "\n".join([*self.lines, "", self.link])

    @property
    def markdown(self) -> str:
        body = "\n".join(f"> {line}" for line in self.lines[1:])
        return f"### {self.subject}\n{self.lines[0]}\n{body}\n\n[查看详情]({self.link})"

    @property
    def html(self) -> str:
        return render_template("email/notification.html", message=self)


def _awards_message(notification: Notification) -> Message:
    award = db.session.get(AwardMonth, notification.object_id)
    link = f"{current_app.config['BASE_URL'].rstrip('/')}/awards?month={award.month}"
    red = "、".join(s.unit.name for s in award.red_flags) or "—"
    snail = "、".join(s.unit.name for s in award.snails) or "—"
    if notification.kind == "awards_computed":
        return Message(_("【待审核】%(month)s 红旗和蜗牛奖评定结果", month=award.month), [
            _("%(month)s 各单位按时办理情况已统计，请审核后发布。", month=award.month),
            _("拟评红旗：%(red)s；拟评蜗牛奖：%(snail)s", red=red, snail=snail)], link)
    return Message(_("【通报】%(month)s 红旗和蜗牛奖", month=award.month), [
        _("%(month)s 督办事项按时办理情况评比结果已发布。", month=award.month),
        _("红旗：%(red)s", red=red), _("蜗牛奖：%(snail)s", snail=snail)], link)


def _task_of(notification: Notification) -> Task | None:
    return db.session.get(Task, notification.task_id) if notification.task_id else None


def render(notification: Notification) -> Message:
    if notification.kind == "digest":
        from taskboard.digest.message import DigestMessage
        from taskboard.digest.services import build, parse_week

        user = db.session.get(User, notification.object_id)
        return DigestMessage(build(user, parse_week(notification.period)))
    if notification.kind in ("awards_computed", "awards_published"):
        return _awards_message(notification)
    task = _task_of(notification)
    base = current_app.config["BASE_URL"].rstrip("/")
    link = f"{base}/tasks/{task.id}" if task else base
    name = f"{task.code}「{task.title}」" if task else ""
    kind, obj_id = notification.kind, notification.object_id
    if kind in ("due_soon", "overdue"):
        milestone = db.session.get(Milestone, obj_id)
        due = milestone.due_date.isoformat()
        if kind == "due_soon":
            return Message(_("【临期提醒】%(title)s", title=task.title), [
                _("督办事项 %(name)s %(period)s 的进展应于 %(due)s 前报送，目前尚未报送。",
                  name=name, period=milestone.period, due=due),
                _("责任单位：%(unit)s", unit=task.responsible_unit.name),
                _("请及时登录系统填报。")], link)
        level = LEVEL_NAMES[notification.level]
        card = labels.CARDS[{1: "blue", 2: "yellow", 3: "red"}[notification.level]]
        return Message(_("【逾期督办·%(level)s】%(title)s", level=level, title=task.title), [
            _("督办事项 %(name)s %(period)s 的进展已于 %(due)s 到期，至今未报送。",
              name=name, period=milestone.period, due=due),
            _("责任单位：%(unit)s；牵头领导：%(lead)s", unit=task.responsible_unit.name,
              lead=task.lead_name or "—"),
            _("已发%(card)s督办单，请立即报送并说明原因。", card=card)], link)
    if kind == "unsigned":
        return Message(_("【未签收提醒】%(title)s", title=task.title), [
            _("督办事项 %(name)s 已于 %(day)s 交办贵单位，至今未签收。", name=name,
              day=task.assigned_on.isoformat() if task.assigned_on else ""),
            _("请登录系统签收，如有异议请说明理由。")], link)
    if kind == "assigned":
        return Message(_("【新交办】%(title)s", title=task.title), [
            _("督办事项 %(name)s 已交办，完成时限 %(due)s。", name=name,
              due=task.due_date.isoformat()),
            _("责任单位：%(unit)s；牵头领导：%(lead)s", unit=task.responsible_unit.name,
              lead=task.lead_name or "—"),
            _("请责任单位签收并按月报送进展。")], link)
    if kind in ("report_accepted", "report_returned"):
        report = db.session.get(ProgressReport, obj_id)
        if kind == "report_accepted":
            return Message(_("【报告通过】%(title)s %(period)s", title=task.title,
                             period=report.milestone.period),
                           [_("%(name)s %(period)s 的进展报告已审核通过。", name=name,
                              period=report.milestone.period)], link)
        return Message(_("【报告退回】%(title)s %(period)s", title=task.title,
                         period=report.milestone.period), [
            _("%(name)s %(period)s 的进展报告被退回。", name=name,
              period=report.milestone.period),
            _("退回意见：%(comment)s", comment=report.review_comment),
            _("请修改后重新报送。")], link)
    if kind == "request_decided":
        request = db.session.get(TaskRequest, obj_id)
        return Message(_("【%(kind)s%(status)s】%(title)s", kind=labels.REQUEST_KINDS[request.kind],
                         status=labels.REQUEST_STATUSES[request.status], title=task.title), [
            _("%(name)s 的%(kind)s已处理：%(status)s。", name=name,
              kind=labels.REQUEST_KINDS[request.kind],
              status=labels.REQUEST_STATUSES[request.status]),
            _("督查室意见：%(comment)s", comment=request.decision_comment or "—")], link)
    if kind == "instruction":
        comment = db.session.get(Comment, obj_id)
        return Message(_("【领导批示】%(title)s", title=task.title), [
            _("%(leader)s 对督办事项 %(name)s 作出批示：", leader=comment.author.display_name,
              name=name), comment.text], link)
    return Message(kind, [name], link)
