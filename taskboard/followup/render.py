"""What a notification says: subject, plain text, HTML, and markdown for group robots.

Rows in the outbox hold only what is owed to whom; the words are made when it is delivered.
Several rows for one recipient go as one grouped message (a ``Bundle``): a person reads one
mail a morning, not twenty.
"""
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import ClassVar

from flask import current_app, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import joinedload, selectinload

from taskboard import labels
from taskboard.auth.models import User
from taskboard.awards.models import AwardMonth
from taskboard.extensions import db
from taskboard.tasks.models import Comment, ProgressReport, Task, TaskRequest

from .models import Notification

LEVEL_NAMES = {1: _l("一级"), 2: _l("二级"), 3: _l("三级")}
# The sweep's reminders are grouped by level, then task; anything else is news, one entry each.
REMINDERS = ("overdue", "due_soon", "unsigned")
SECTIONS = (("overdue", 3), ("overdue", 2), ("overdue", 1), ("due_soon", 0), ("unsigned", 0),
            ("news", 0))
SECTION_TITLES = {("overdue", 3): _l("逾期 · 三级督办（红牌）"),
                  ("overdue", 2): _l("逾期 · 二级督办（黄牌）"),
                  ("overdue", 1): _l("逾期 · 一级督办（蓝牌）"),
                  ("due_soon", 0): _l("临期未报"), ("unsigned", 0): _l("交办未签收"),
                  ("news", 0): _l("其他消息")}
# 企业微信 and 钉钉 robots refuse markdown over 4,096 bytes.
ROBOT_LIMIT = 4096
# User text per markdown line, so that any one entry fits a robot message with room to spare.
LINE_LIMIT = 700

# User text in robot markdown must stay text: no link, image, mention (@all, <@id>), heading,
# emphasis, table or HTML. Full-width look-alikes read the same to people and mean nothing to
# the renderer, which 企业微信 and 钉钉 do not let us escape reliably with backslashes.
_INERT = str.maketrans({"\\": "＼", "`": "｀", "*": "＊", "_": "＿", "[": "［", "]": "］",
                        "(": "（", ")": "）", "<": "＜", ">": "＞", "#": "＃", "!": "！",
                        "@": "＠", "|": "｜", "~": "～", "&": "＆"})


def inert_markdown(text: str) -> str:
    """User text as one line of markdown that renders as itself; bare URLs do not link."""
    return " ".join(str(text).split()).translate(_INERT).replace("://", "：//")


def clip(text: str, size: int) -> str:
    """At most ``size`` bytes of UTF-8, cut on a character, marked with an ellipsis."""
    if len(text.encode()) <= size:
        return text
    return text.encode()[:size - 3].decode(errors="ignore") + "…"


def _md(text: str, size: int = LINE_LIMIT) -> str:
    return clip(inert_markdown(text), size)


@dataclass
class Message:
    subject: str
    lines: list[str]
    link: str
    # As one entry of a grouped message: the task (code「title」 and unit) and what is owed.
    entry: str = ""
    detail: str = ""
    sections: ClassVar[tuple] = ()  # the e-mail template serves messages and bundles alike

    @property
    def text(self) -> str:
        return "\n".join([*self.lines, "", self.link])

    @property
    def markdown(self) -> str:
        body = "\n".join(f"> {_md(line)}" for line in self.lines)
        return f"### {_md(self.subject, 300)}\n{body}\n\n[{_('查看详情')}]({self.link})"

    @property
    def html(self) -> str:
        return render_template("email/notification.html", message=self)


@dataclass
class Entry:
    """One task (or one piece of news) in a grouped message, and the outbox rows it carries."""

    heading: str
    details: list[str]
    link: str
    ids: list[int] = field(default_factory=list)
    joiner: str = "；"  # months are listed; news sentences (ending in 。) just follow

    @property
    def detail(self) -> str:
        return self.joiner.join(self.details)

    @property
    def markdown(self) -> str:
        return f"- {_md(self.heading, 300)}：{_md(self.detail)} [{_('查看')}]({self.link})"


@dataclass
class Section:
    title: str
    entries: list[Entry]


@dataclass
class Bundle:
    """Everything pending for one recipient on one channel, as one message."""

    subject: str
    sections: list[Section]
    link: str
    lines: ClassVar[tuple] = ()

    @property
    def text(self) -> str:
        lines = [self.subject]
        for section in self.sections:
            lines += ["", section.title]
            for entry in section.entries:
                # One line per entry, whatever line breaks a title brought from Excel.
                lines.append(" ".join(f"- {entry.heading}：{entry.detail}".split()))
                lines.append(f"  {entry.link}")
        return "\n".join([*lines, "", self.link])

    @property
    def html(self) -> str:
        return render_template("email/notification.html", message=self)

    def markdown_chunks(self, limit: int = ROBOT_LIMIT) -> list[tuple[str, list[int]]]:
        """The bundle as robot messages under ``limit`` bytes each, with the rows each carries.

        One message unless the limit demands more; a section's title is repeated where a
        message starts inside it.
        """
        header = f"### {_md(self.subject, 300)}"
        footer = f"\n\n[{_('打开督查督办系统')}]({self.link})"
        budget = limit - len((header + footer).encode()) - len("（99/99）".encode())
        chunks: list[tuple[list[str], list[int]]] = []
        lines: list[str] = []
        ids: list[int] = []
        for section in self.sections:
            title = ["", f"**{_md(section.title)}**"]
            started = False
            for entry in section.entries:
                piece = [entry.markdown] if started else [*title, entry.markdown]
                if lines and len("\n".join([*lines, *piece]).encode()) > budget:
                    chunks.append((lines, ids))
                    lines, ids, piece = [], [], [*title, entry.markdown]
                lines += piece
                ids += entry.ids
                started = True
        if lines:
            chunks.append((lines, ids))
        count = len(chunks)
        return [(header + (f"（{number}/{count}）" if count > 1 else "") + "\n".join(body)
                 + footer, chunk_ids)
                for number, (body, chunk_ids) in enumerate(chunks, 1)]


def render_guarded(notification: Notification) -> tuple[Message | None, str]:
    """The message, or None and why not: one row's bad data never stops the others."""
    try:
        return render(notification), ""
    except Exception as error:  # any bad data: missing objects, None where a value was due
        if isinstance(error, SQLAlchemyError):
            db.session.rollback()
        return None, _("无法生成消息：%(reason)s", reason=f"{type(error).__name__}: {error}")


def _section_of(notification: Notification) -> tuple[str, int]:
    if notification.kind in REMINDERS:
        return notification.kind, notification.level
    return "news", 0


def bundle(items: Iterable[tuple[Notification, Message]]) -> Bundle:
    """Group rendered rows by level, then task: a task with five overdue months is one entry
    listing the months. The subject counts tasks:
    【督办提醒】3 项逾期（1 项红牌）· 2 项临期.
    """
    entries: dict[tuple, Entry] = {}
    for notification, message in items:
        key = _section_of(notification)
        if key[0] == "news":
            entry = entries.setdefault((*key, notification.id), Entry(
                message.subject, list(message.lines), message.link, joiner=" "))
        else:
            entry = entries.setdefault((*key, notification.task_id), Entry(
                message.entry, [], message.link))
            if message.detail not in entry.details:
                entry.details.append(message.detail)
        entry.ids.append(notification.id)
    sections = []
    for key in SECTIONS:
        found = [entry for (*section, _ident), entry in entries.items() if tuple(section) == key]
        if found:
            if key[0] != "news":
                for entry in found:
                    entry.details.sort()
            sections.append(Section(str(SECTION_TITLES[key]), found))

    def tasks(kind: str, level: int | None = None) -> int:
        return len({ident for (k, lvl, ident) in entries
                    if k == kind and (level is None or lvl == level)})

    parts = []
    if overdue := tasks("overdue"):
        red = tasks("overdue", 3)
        parts.append(_("%(n)d 项逾期", n=overdue) + (_("（%(n)d 项红牌）", n=red) if red else ""))
    if due_soon := tasks("due_soon"):
        parts.append(_("%(n)d 项临期", n=due_soon))
    if unsigned := tasks("unsigned"):
        parts.append(_("%(n)d 项未签收", n=unsigned))
    if news := tasks("news"):
        parts.append(_("%(n)d 条消息", n=news))
    base = current_app.config["BASE_URL"].rstrip("/") + "/"
    # A full-width bracket carries its own space: "（1 项红牌）· 2 项临期".
    return Bundle(_("【督办提醒】") + " · ".join(parts).replace("） · ", "）· "), sections, base)


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


def for_rendering():
    """Loader options for rows about to be rendered: their tasks and milestones in a few
    queries for the whole batch."""
    return (selectinload(Notification.task).options(joinedload(Task.responsible_unit),
                                                    joinedload(Task.lead_leader)),
            selectinload(Notification.milestone))


def render(notification: Notification) -> Message:
    if notification.kind == "digest":
        from taskboard.digest.message import DigestMessage
        from taskboard.digest.services import build, parse_week

        user = db.session.get(User, notification.object_id)
        return DigestMessage(build(user, parse_week(notification.period)))
    if notification.kind in ("awards_computed", "awards_published"):
        return _awards_message(notification)
    task = notification.task
    base = current_app.config["BASE_URL"].rstrip("/")
    link = f"{base}/tasks/{task.id}" if task else base
    name = f"{task.code}「{task.title}」" if task else ""
    kind, obj_id = notification.kind, notification.object_id
    if kind in ("due_soon", "overdue"):
        milestone = notification.milestone
        due = milestone.due_date.isoformat()
        entry = {"entry": f"{name}（{task.responsible_unit.name}）",
                 "detail": _("%(period)s（%(due)s 到期）", period=milestone.period, due=due)}
        if kind == "due_soon":
            return Message(_("【临期提醒】%(title)s", title=task.title), [
                _("督办事项 %(name)s %(period)s 的进展应于 %(due)s 前报送，目前尚未报送。",
                  name=name, period=milestone.period, due=due),
                _("责任单位：%(unit)s", unit=task.responsible_unit.name),
                _("请及时登录系统填报。")], link, **entry)
        level = LEVEL_NAMES[notification.level]
        card = labels.CARDS[{1: "blue", 2: "yellow", 3: "red"}[notification.level]]
        return Message(_("【逾期督办·%(level)s】%(title)s", level=level, title=task.title), [
            _("督办事项 %(name)s %(period)s 的进展已于 %(due)s 到期，至今未报送。",
              name=name, period=milestone.period, due=due),
            _("责任单位：%(unit)s；牵头领导：%(lead)s", unit=task.responsible_unit.name,
              lead=task.lead_name or "—"),
            _("已发%(card)s督办单，请立即报送并说明原因。", card=card)], link, **entry)
    if kind == "unsigned":
        day = task.assigned_on.isoformat() if task.assigned_on else ""
        return Message(_("【未签收提醒】%(title)s", title=task.title), [
            _("督办事项 %(name)s 已于 %(day)s 交办贵单位，至今未签收。", name=name, day=day),
            _("请登录系统签收，如有异议请说明理由。")], link,
            f"{name}（{task.responsible_unit.name}）", _("%(day)s 交办", day=day))
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
