"""The words of the workflow's news: 交办, a report accepted or returned, a decision, 批示."""
from flask_babel import gettext as _

from taskboard import labels
from taskboard.extensions import db
from taskboard.messages import Message, task_link, task_name

from .models import Comment, ProgressReport, TaskRequest


def assigned(notification) -> Message:
    task = notification.task
    return Message(_("【新交办】%(title)s", title=task.title), [
        _("督办事项 %(name)s 已交办，完成时限 %(due)s。", name=task_name(task),
          due=task.due_date.isoformat()),
        _("责任单位：%(unit)s；牵头领导：%(lead)s", unit=task.responsible_unit.name,
          lead=task.lead_name or "—"),
        _("请责任单位签收并按月报送进展。")], task_link(task))


def report_accepted(notification) -> Message:
    task = notification.task
    period = db.session.get(ProgressReport, notification.object_id).milestone.period
    return Message(_("【报告通过】%(title)s %(period)s", title=task.title, period=period),
                   [_("%(name)s %(period)s 的进展报告已审核通过。", name=task_name(task),
                      period=period)], task_link(task))


def report_returned(notification) -> Message:
    task = notification.task
    report = db.session.get(ProgressReport, notification.object_id)
    period = report.milestone.period
    return Message(_("【报告退回】%(title)s %(period)s", title=task.title, period=period), [
        _("%(name)s %(period)s 的进展报告被退回。", name=task_name(task), period=period),
        _("退回意见：%(comment)s", comment=report.review_comment),
        _("请修改后重新报送。")], task_link(task))


def request_decided(notification) -> Message:
    task = notification.task
    request = db.session.get(TaskRequest, notification.object_id)
    kind = labels.REQUEST_KINDS[request.kind]
    status = labels.REQUEST_STATUSES[request.status]
    return Message(_("【%(kind)s%(status)s】%(title)s", kind=kind, status=status,
                     title=task.title), [
        _("%(name)s 的%(kind)s已处理：%(status)s。", name=task_name(task), kind=kind,
          status=status),
        _("督查室意见：%(comment)s", comment=request.decision_comment or "—")], task_link(task))


def instruction(notification) -> Message:
    task = notification.task
    comment = db.session.get(Comment, notification.object_id)
    return Message(_("【领导批示】%(title)s", title=task.title), [
        _("%(leader)s 对督办事项 %(name)s 作出批示：", leader=comment.author.display_name,
          name=task_name(task)), comment.text], task_link(task))


RENDERERS = {"assigned": assigned, "report_accepted": report_accepted,
             "report_returned": report_returned, "request_decided": request_decided,
             "instruction": instruction}
