"""Delivering the outbox: in-app at once, e-mail over SMTP, webhooks to group robots.

Delivery goes recipient by recipient: a run claims what is pending for one person (or one
unit's robot) on one channel — status "sending" with a lease, so two senders never deliver the
same row and a row whose sender died is taken again once the lease runs out — and sends it as
one message. Each row is rendered in its own guarded step: a row whose data cannot be rendered
or sent fails alone at once, with its reason; a failure of the channel (SMTP down, robot
unreachable) leaves the whole message pending, retried with exponential backoff, and "failed"
after DELIVERY_MAX_ATTEMPTS. Nothing is deleted.
"""
import base64
import contextlib
import hashlib
import hmac
import json
import smtplib
import ssl
import time
import urllib.error
import urllib.request
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formataddr
from typing import ClassVar
from urllib.parse import urlencode

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from taskboard.extensions import commit, db
from taskboard.messages import Message, clip
from taskboard.units.models import Unit

from .models import Notification
from .render import ROBOT_LIMIT, Bundle, bundle, for_rendering, render_guarded

LEASE = timedelta(minutes=10)
# Rows in one message at most: a catch-up after long downtime goes out over a few runs.
GROUP_ROWS = 500
# A robot that has had its fill this minute is tried again in the next run, no attempt counted.
ROBOT_WINDOW = 60.0


@dataclass
class Delivery:
    sent: int = 0
    failed: int = 0


class DeliveryError(Exception):
    """The channel's fault: the message is tried again later."""


class Throttled(Exception):
    """The robot's per-minute allowance is used up."""


@dataclass
class Outgoing:
    """One message on its way, and the outbox rows it carries."""

    ids: list[int]
    message: Message | Bundle
    markdown: str = ""


def header_text(value: str) -> str:
    """Any text as a mail header value: line breaks and control characters become spaces
    (an Excel cell with Alt+Enter makes a title with a line break)."""
    return " ".join("".join(c if c.isprintable() else " " for c in str(value)).split())


def dingtalk_sign(timestamp: str, secret: str) -> str:
    """钉钉 加签: Base64 of HMAC-SHA256 over "timestamp\\nsecret", keyed with the secret."""
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256)
    return base64.b64encode(digest.digest()).decode()


def robot_url(unit: Unit) -> str:
    """The robot's address; a signed 钉钉 robot wants timestamp (ms) and sign in the query."""
    if unit.robot_kind != "dingtalk" or not unit.robot_secret:
        return unit.webhook_url
    timestamp = str(int(time.time() * 1000))
    query = urlencode({"timestamp": timestamp, "sign": dingtalk_sign(timestamp, unit.robot_secret)})
    return f"{unit.webhook_url}{'&' if '?' in unit.webhook_url else '?'}{query}"


def robot_payload(robot_kind: str, subject: str, markdown: str) -> dict:
    """A markdown message in the robot's own JSON: 钉钉 wants a title, 企业微信 only content."""
    if robot_kind == "dingtalk":
        return {"msgtype": "markdown",
                "markdown": {"title": clip(header_text(subject), 200), "text": markdown}}
    return {"msgtype": "markdown", "markdown": {"content": markdown}}


class Robots:
    """Posts to group robots, at most ROBOT_PER_MINUTE messages a minute to each: 钉钉 (and
    企业微信) refuse more. The window lives in the process, and the scheduler is the one
    process that delivers, minute after minute."""

    windows: ClassVar[dict[str, deque]] = {}

    def __init__(self, config) -> None:
        self.config = config

    def send(self, unit: Unit, outgoing: Outgoing) -> None:
        window = self.windows.setdefault(unit.webhook_url, deque())
        clock = time.monotonic()
        while window and clock - window[0] >= ROBOT_WINDOW:
            window.popleft()
        if len(window) >= self.config["ROBOT_PER_MINUTE"]:
            raise Throttled
        window.append(clock)
        payload = robot_payload(unit.robot_kind, outgoing.message.subject, outgoing.markdown)
        request = urllib.request.Request(
            robot_url(unit), data=json.dumps(payload, ensure_ascii=False).encode(),
            method="POST", headers={"Content-Type": "application/json; charset=utf-8"})
        try:
            with urllib.request.urlopen(request, timeout=self.config["MAIL_TIMEOUT"]) as response:
                answer = response.read()
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise DeliveryError(f"webhook: {error}") from error
        try:
            errcode = json.loads(answer or b"{}").get("errcode", 0)
        except (ValueError, AttributeError):
            errcode = 0  # a plain 2xx from a relay is success
        if errcode not in (0, None):
            raise DeliveryError(f"webhook errcode {errcode}: {answer[:200]!r}")


class Mailer:
    """One SMTP connection for a whole run, opened on first use."""

    def __init__(self, config) -> None:
        self.config, self.connection = config, None

    def send(self, to: str, message: Message | Bundle) -> None:
        # Built outside the SMTP guard: a header that cannot be made is the data's fault.
        mail = EmailMessage()
        mail["Subject"] = header_text(message.subject)
        mail["From"] = formataddr(("督查督办", self.config["MAIL_DEFAULT_SENDER"]))
        mail["To"] = to
        mail.set_content(message.text)
        mail.add_alternative(message.html, subtype="html")
        try:
            self._connection().send_message(mail)
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            raise DeliveryError(f"smtp: {error}") from error

    def _connection(self) -> smtplib.SMTP:
        if self.connection is None:
            config = self.config
            connection = smtplib.SMTP(config["MAIL_SERVER"], int(config["MAIL_PORT"]),
                                      timeout=config["MAIL_TIMEOUT"])
            if config["MAIL_USE_TLS"]:
                connection.starttls(context=ssl.create_default_context())
            if config["MAIL_USERNAME"]:
                connection.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
            self.connection = connection
        return self.connection

    def close(self) -> None:
        if self.connection is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self.connection.quit()
            self.connection = None


def _channels() -> list[str]:
    return ["webhook", "email"] if current_app.config["MAIL_SERVER"] else ["webhook"]


def _due(now: datetime):
    return (Notification.status == "pending", Notification.channel.in_(_channels()),
            Notification.next_attempt_at.is_(None) | (Notification.next_attempt_at <= now))


def _claim(channel: str, recipient: str, now: datetime) -> list[int]:
    """Take what is due for one recipient on one channel; only rows this run flipped are its."""
    ids = list(db.session.scalars(
        select(Notification.id)
        .where(*_due(now), Notification.channel == channel, Notification.recipient == recipient)
        .order_by(Notification.id).limit(GROUP_ROWS)))
    if not ids:
        return []
    claimed = db.session.scalars(
        update(Notification)
        .where(Notification.id.in_(ids), Notification.status == "pending")
        .values(status="sending", next_attempt_at=now + LEASE)
        .returning(Notification.id)
    ).all()
    commit()
    return sorted(claimed)


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=min(2 ** (attempts - 1), 240))


def _reason(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"


class _Run:
    """One delivery run: the channels' connections, the clock, and what happened."""

    def __init__(self, now: datetime) -> None:
        self.now, self.config = now, current_app.config
        self.mailer, self.robots = Mailer(self.config), Robots(self.config)
        self.result = Delivery()
        self.rows: dict[int, Notification] = {}

    def sent(self, ids: Sequence[int]) -> None:
        for row in map(self.rows.get, ids):
            row.attempts += 1
            row.status, row.sent_at, row.last_error = "sent", self.now, ""
        self.result.sent += len(ids)

    def failed(self, ids: Sequence[int], reason: str) -> None:
        """Not the channel's fault: trying again would fail again, so fail now, with why."""
        for row in map(self.rows.get, ids):
            row.attempts += 1
            row.status, row.last_error = "failed", reason[:1000]
        self.result.failed += len(ids)

    def later(self, ids: Sequence[int], reason: str) -> None:
        """The channel's fault: back to pending with backoff, failed after the last attempt."""
        for row in map(self.rows.get, ids):
            row.attempts += 1
            row.last_error = reason[:1000]
            if row.attempts >= self.config["DELIVERY_MAX_ATTEMPTS"]:
                row.status = "failed"
            else:
                row.status, row.next_attempt_at = "pending", self.now + _backoff(row.attempts)
        self.result.failed += len(ids)

    def wait(self, ids: Sequence[int]) -> None:
        for row in map(self.rows.get, ids):
            row.status, row.next_attempt_at = "pending", self.now + timedelta(minutes=1)

    def deliver(self, channel: str, ids: list[int]) -> None:
        rows = db.session.scalars(
            select(Notification).where(Notification.id.in_(ids)).order_by(Notification.id)
            .options(joinedload(Notification.user), joinedload(Notification.unit),
                     *for_rendering())).all()
        self.rows = {row.id: row for row in rows}
        rendered, broken = [], {}
        for row in rows:
            message, problem = render_guarded(row)
            if message is None:
                broken[row.id] = problem
            else:
                rendered.append((row, message))
        # Marked after the loop: a failed query's rollback would have undone earlier marks.
        for row_id, reason in broken.items():
            self.failed([row_id], reason)
        if rendered:
            self._send(channel, rows[0], rendered)
        commit()

    def _send(self, channel: str, first: Notification, rendered: list) -> None:
        ids = [row.id for row, _message in rendered]
        address = first.user.email if channel == "email" and first.user else None
        if channel == "email" and not address:
            return self.failed(ids, _("收件人没有电子邮箱地址。"))
        if channel == "webhook" and not (first.unit and first.unit.webhook_url):
            return self.failed(ids, _("单位的群机器人地址已清除。"))
        try:
            parts = _compose(channel, rendered)
        except Exception as error:  # bad data again: these rows, not the run
            return self.failed(ids, _("无法生成消息：%(reason)s", reason=_reason(error)))
        for index, part in enumerate(parts):
            try:
                if channel == "email":
                    self.mailer.send(address, part.message)
                else:
                    self.robots.send(first.unit, part)
            except Throttled:
                return self.wait([i for rest in parts[index:] for i in rest.ids])
            except DeliveryError as error:
                return self.later([i for rest in parts[index:] for i in rest.ids], str(error))
            except Exception as error:  # not the channel's fault: this message alone
                self.failed(part.ids, _("无法发送：%(reason)s", reason=_reason(error)))
            else:
                self.sent(part.ids)
        return None


def _compose(channel: str, rendered: list[tuple[Notification, Message]]) -> list[Outgoing]:
    """The messages for one recipient: one, unless a robot's size limit demands more.

    A lone row goes as itself (workflow news alone reads best so); the weekly digest always
    keeps its own layout.
    """
    alone = [(row, message) for row, message in rendered if row.kind == "digest"]
    grouped = [(row, message) for row, message in rendered if row.kind != "digest"]
    if len(grouped) == 1:
        alone, grouped = alone + grouped, []
    parts = [Outgoing([row.id], message, clip(message.markdown, ROBOT_LIMIT))
             for row, message in alone]
    if grouped:
        summary = bundle(grouped)
        if channel == "email":
            parts.append(Outgoing([row.id for row, _message in grouped], summary))
        else:
            parts += [Outgoing(chunk_ids, summary, markdown)
                      for markdown, chunk_ids in summary.markdown_chunks()]
    return parts


def deliver(now: datetime) -> Delivery:
    """Deliver what is owed up to ``now``, one recipient at a time; commits as it goes so a
    crash loses nothing."""
    db.session.execute(update(Notification)
                       .where(Notification.status == "sending",
                              Notification.next_attempt_at < now)
                       .values(status="pending"))
    in_app = db.session.execute(
        update(Notification).where(Notification.status == "pending",
                                   Notification.channel == "in_app")
        .values(status="sent", sent_at=now)).rowcount or 0
    commit()

    run = _Run(now)
    run.result.sent += in_app
    recipients = db.session.execute(
        select(Notification.channel, Notification.recipient).where(*_due(now)).distinct()
        .order_by(Notification.channel, Notification.recipient)).all()
    try:
        for channel, recipient in recipients:
            if ids := _claim(channel, recipient, now):
                run.deliver(channel, ids)
    finally:
        run.mailer.close()
    return run.result


def _stuck_or_owed(now: datetime):
    """Rows the office may send again or cancel: failed, waiting for a retry, or stuck in
    "sending" past their lease (a sender died); never a row being sent right now."""
    return (Notification.status.in_(("failed", "pending"))
            | ((Notification.status == "sending") & (Notification.next_attempt_at < now)))


def retry(notification_ids: list[int], now: datetime) -> int:
    """The office sends rows again: back to pending on the next run, attempts from zero."""
    return db.session.execute(
        update(Notification)
        .where(Notification.id.in_(notification_ids), _stuck_or_owed(now))
        .values(status="pending", attempts=0, next_attempt_at=None)
    ).rowcount or 0


def cancel(notification_ids: list[int], now: datetime) -> int:
    """The office gives up on rows: they stay in the record, marked cancelled, never sent."""
    return db.session.execute(
        update(Notification)
        .where(Notification.id.in_(notification_ids), _stuck_or_owed(now),
               Notification.channel != "in_app")
        .values(status="cancelled", next_attempt_at=None)
    ).rowcount or 0
