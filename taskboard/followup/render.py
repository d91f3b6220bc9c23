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

from taskboard.extensions import db
from taskboard.messages import Message, markdown_line, renderer_for
from taskboard.tasks.models import Task

from .models import Notification

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
        return (f"- {markdown_line(self.heading, 300)}：{markdown_line(self.detail)} "
                f"[{_('查看')}]({self.link})")


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
        header = f"### {markdown_line(self.subject, 300)}"
        footer = f"\n\n[{_('打开督查督办系统')}]({self.link})"
        budget = limit - len((header + footer).encode()) - len("（99/99）".encode())
        chunks: list[tuple[list[str], list[int]]] = []
        lines: list[str] = []
        ids: list[int] = []
        for section in self.sections:
            title = ["", f"**{markdown_line(section.title)}**"]
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


def for_rendering():
    """Loader options for rows about to be rendered: their tasks and milestones in a few
    queries for the whole batch."""
    return (selectinload(Notification.task).options(joinedload(Task.responsible_unit),
                                                    joinedload(Task.lead_leader)),
            selectinload(Notification.milestone))


def render(notification: Notification):
    """The message of one outbox row, by the renderer its domain registered for its kind."""
    return renderer_for(notification.kind)(notification)
