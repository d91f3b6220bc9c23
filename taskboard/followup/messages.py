"""The words of followup's own reminders: 临期, 逾期督办 and 未签收 (made by the sweep)."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from taskboard import labels
from taskboard.messages import Message, task_link, task_name

from .models import Notification

LEVEL_NAMES = {1: _l("一级"), 2: _l("二级"), 3: _l("三级")}


def _milestone_entry(notification: Notification) -> tuple[str, str, dict[str, str]]:
    """The milestone's period and due day, and the task as one entry of a grouped message."""
    task, milestone = notification.task, notification.milestone
    due = milestone.due_date.isoformat()
    entry = {"entry": f"{task_name(task)}（{task.responsible_unit.name}）",
             "detail": _("%(period)s（%(due)s 到期）", period=milestone.period, due=due)}
    return milestone.period, due, entry


def due_soon(notification: Notification) -> Message:
    task = notification.task
    period, due, entry = _milestone_entry(notification)
    return Message(_("【临期提醒】%(title)s", title=task.title), [
        _("督办事项 %(name)s %(period)s 的进展应于 %(due)s 前报送，目前尚未报送。",
          name=task_name(task), period=period, due=due),
        _("责任单位：%(unit)s", unit=task.responsible_unit.name),
        _("请及时登录系统填报。")], task_link(task), **entry)


def overdue(notification: Notification) -> Message:
    task = notification.task
    period, due, entry = _milestone_entry(notification)
    level = LEVEL_NAMES[notification.level]
    card = labels.CARDS[{1: "blue", 2: "yellow", 3: "red"}[notification.level]]
    return Message(_("【逾期督办·%(level)s】%(title)s", level=level, title=task.title), [
        _("督办事项 %(name)s %(period)s 的进展已于 %(due)s 到期，至今未报送。",
          name=task_name(task), period=period, due=due),
        _("责任单位：%(unit)s；牵头领导：%(lead)s", unit=task.responsible_unit.name,
          lead=task.lead_name or "—"),
        _("已发%(card)s督办单，请立即报送并说明原因。", card=card)], task_link(task), **entry)


def unsigned(notification: Notification) -> Message:
    task = notification.task
    name = task_name(task)
    day = task.assigned_on.isoformat() if task.assigned_on else ""
    return Message(_("【未签收提醒】%(title)s", title=task.title), [
        _("督办事项 %(name)s 已于 %(day)s 交办贵单位，至今未签收。", name=name, day=day),
        _("请登录系统签收，如有异议请说明理由。")], task_link(task),
        f"{name}（{task.responsible_unit.name}）", _("%(day)s 交办", day=day))


RENDERERS = {"due_soon": due_soon, "overdue": overdue, "unsigned": unsigned}
