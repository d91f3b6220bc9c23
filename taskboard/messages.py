"""What a notification says, and which domain says it.

Each domain that puts a kind of notification in the outbox registers the renderer for that
kind (``RENDERERS`` in its ``messages`` module, registered by ``create_app``); followup looks
the renderer up by kind when it delivers. A new kind touches one domain: its signal, its
renderer, and the followup handler that owes it to people.

A renderer takes the outbox row and returns a ``Message`` (or anything with ``subject``,
``text``, ``html`` and ``markdown``).
"""
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from flask import Flask, current_app, render_template
from flask_babel import gettext as _

if TYPE_CHECKING:
    from taskboard.followup.models import Notification
    from taskboard.tasks.models import Task

Renderer = Callable[["Notification"], Any]
_EXTENSION = "taskboard.renderers"

# User text per markdown line, so that any one entry fits a robot message with room to spare.
LINE_LIMIT = 700

# User text in robot markdown must stay text: no link, image, mention (@all, <@id>), heading,
# emphasis, table or HTML. Full-width look-alikes read the same to people and mean nothing to
# the renderer, which 企业微信 and 钉钉 do not let us escape reliably with backslashes.
_INERT = str.maketrans({"\\": "＼", "`": "｀", "*": "＊", "_": "＿", "[": "［", "]": "］",
                        "(": "（", ")": "）", "<": "＜", ">": "＞", "#": "＃", "!": "！",
                        "@": "＠", "|": "｜", "~": "～", "&": "＆"})


class UnknownKind(LookupError):
    """No domain registered a renderer for this kind of notification."""


def register(app: Flask, renderers: Mapping[str, Renderer]) -> None:
    """Add a domain's renderers to ``app``; a kind belongs to one domain only."""
    registry = app.extensions.setdefault(_EXTENSION, {})
    for kind, renderer in renderers.items():
        if registry.get(kind, renderer) is not renderer:
            raise ValueError(f"notification kind {kind!r} already has a renderer")
        registry[kind] = renderer


def registered_kinds() -> set[str]:
    return set(current_app.extensions.get(_EXTENSION, {}))


def renderer_for(kind: str) -> Renderer:
    try:
        return current_app.extensions.get(_EXTENSION, {})[kind]
    except KeyError:
        raise UnknownKind(f"no renderer for notification kind {kind!r}") from None


def inert_markdown(text: str) -> str:
    """User text as one line of markdown that renders as itself; bare URLs do not link."""
    return " ".join(str(text).split()).translate(_INERT).replace("://", "：//")


def clip(text: str, size: int) -> str:
    """At most ``size`` bytes of UTF-8, cut on a character, marked with an ellipsis."""
    if len(text.encode()) <= size:
        return text
    return text.encode()[:size - 3].decode(errors="ignore") + "…"


def markdown_line(text: str, size: int = LINE_LIMIT) -> str:
    return clip(inert_markdown(text), size)


def base_url() -> str:
    return current_app.config["BASE_URL"].rstrip("/")


def task_name(task: "Task") -> str:
    """How messages name a task: code「title」."""
    return f"{task.code}「{task.title}」"


def task_link(task: "Task") -> str:
    return f"{base_url()}/tasks/{task.id}"


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
        body = "\n".join(f"> {markdown_line(line)}" for line in self.lines)
        return (f"### {markdown_line(self.subject, 300)}\n{body}\n\n"
                f"[{_('查看详情')}]({self.link})")

    @property
    def html(self) -> str:
        return render_template("email/notification.html", message=self)
