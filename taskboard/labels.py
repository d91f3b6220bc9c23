"""Display names of the domain's codes, translated."""
from flask_babel import lazy_gettext as _l

from taskboard.tasks.models import TaskStatus

ROLES = {"admin": _l("系统管理员"), "office": _l("督查室"), "leader": _l("领导"),
         "unit_head": _l("单位负责人"), "reporter": _l("填报员")}
STATUSES = {TaskStatus.DRAFT: _l("草稿"), TaskStatus.ASSIGNED: _l("已交办"),
            TaskStatus.IN_PROGRESS: _l("办理中"), TaskStatus.COMPLETION_REQUESTED: _l("申请办结"),
            TaskStatus.DONE: _l("已办结"), TaskStatus.SUSPENDED: _l("暂缓"),
            TaskStatus.CANCELLED: _l("已撤销")}
LEVELS = {"normal": _l("一般"), "key": _l("重点"), "listed": _l("挂牌督办")}
CARDS = {"none": _l("无"), "blue": _l("蓝牌"), "yellow": _l("黄牌"), "red": _l("红牌")}
MEETING_KINDS = {"speech": _l("讲话"), "minutes": _l("会议纪要"), "document": _l("文件"),
                 "instruction": _l("批示")}
UNIT_KINDS = {"department": _l("部门"), "platform": _l("平台"), "company": _l("企业"),
              "other": _l("其他")}
REVIEW_STATUSES = {"pending": _l("待审核"), "accepted": _l("已通过"), "returned": _l("已退回")}
AUDIT_ACTIONS = {"create": _l("新建"), "update": _l("修改"), "delete": _l("删除")}
AUDIT_ENTITIES = {"task": _l("事项"), "target": _l("指标"), "milestone": _l("月度节点"),
                  "report": _l("进展报告"), "comment": _l("意见"), "task_unit": _l("参与单位"),
                  "planned_value": _l("计划值"), "report_value": _l("实际值"),
                  "request": _l("申请"), "attachment": _l("附件")}
LIGHTS = {"green": _l("正常"), "yellow": _l("临期"), "red": _l("逾期")}
REQUEST_KINDS = {"objection": _l("异议"), "extension": _l("申请延期"), "completion": _l("申请办结")}
REQUEST_STATUSES = {"pending": _l("待处理"), "approved": _l("已同意"), "rejected": _l("已驳回")}
NOTIFICATION_KINDS = {"due_soon": _l("临期提醒"), "overdue": _l("逾期督办"),
                      "unsigned": _l("未签收提醒"), "assigned": _l("交办通知"),
                      "report_accepted": _l("报告通过"), "report_returned": _l("报告退回"),
                      "request_decided": _l("申请处理结果"), "instruction": _l("领导批示")}
CHANNELS = {"in_app": _l("站内"), "email": _l("邮件"), "webhook": _l("群机器人")}
COMPARATORS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "="}

