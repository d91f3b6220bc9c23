"""Delivering the outbox: in-app at once, e-mail over SMTP, webhooks to group robots.

A run claims its rows first (status "sending" with a lease), so two senders never deliver the
same row; a row whose sender died returns to "pending" when the lease runs out. Failures are
retried with exponential backoff and end as "failed" after DELIVERY_MAX_ATTEMPTS.
"""
import contextlib
import json
import smtplib
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formataddr

from flask import current_app
from sqlalchemy import select, update

from taskboard.extensions import db

from .models import Notification
from .render import Message, render

LEASE = timedelta(minutes=10)
BATCH = 200


@dataclass
class Delivery:
    sent: int = 0
    failed: int = 0


class DeliveryError(Exception):
    pass


def robot_payload(url: str, message: Message) -> dict:
    """The markdown message in the robot's own JSON: 钉钉 or 企业微信 (the default)."""
    if "dingtalk" in url:
        return {"msgtype": "markdown", "markdown": {"title": message.subject,
                                                    "text": message.markdown}}
    return {"msgtype": "markdown", "markdown": {"content": message.markdown}}


def _post_webhook(url: str, message: Message, timeout: float) -> None:
    body = json.dumps(robot_payload(url, message), ensure_ascii=False).encode()
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
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

    def send(self, to: str, message: Message) -> None:
        mail = EmailMessage()
        mail["Subject"] = message.subject
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


def _claim(now: datetime) -> list[int]:
    """Take up to BATCH deliverable rows; only the rows this run flipped are its own."""
    due = (select(Notification.id)
           .where(Notification.status == "pending", Notification.channel.in_(_channels()),
                  (Notification.next_attempt_at.is_(None))
                  | (Notification.next_attempt_at <= now))
           .order_by(Notification.id).limit(BATCH))
    ids = list(db.session.scalars(due))
    if not ids:
        return []
    claimed = db.session.scalars(
        update(Notification)
        .where(Notification.id.in_(ids), Notification.status == "pending")
        .values(status="sending", next_attempt_at=now + LEASE)
        .returning(Notification.id)
    ).all()
    db.session.commit()
    return sorted(claimed)


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=min(2 ** (attempts - 1), 240))


def deliver(now: datetime) -> Delivery:
    """Deliver what is owed up to ``now``; commits as it goes so a crash loses nothing."""
    result = Delivery()
    db.session.execute(update(Notification)
                       .where(Notification.status == "sending",
                              Notification.next_attempt_at < now)
                       .values(status="pending"))
    result.sent += db.session.execute(
        update(Notification).where(Notification.status == "pending",
                                   Notification.channel == "in_app")
        .values(status="sent", sent_at=now)).rowcount or 0
    db.session.commit()

    config = current_app.config
    mailer = Mailer(config)
    try:
        while ids := _claim(now):
            for notification_id in ids:
                notification = db.session.get(Notification, notification_id)
                try:
                    message = render(notification)
                    if notification.channel == "email":
                        mailer.send(notification.user.email, message)
                    else:
                        _post_webhook(notification.unit.webhook_url, message,
                                      config["MAIL_TIMEOUT"])
                except DeliveryError as error:
                    notification.attempts += 1
                    notification.last_error = str(error)[:1000]
                    result.failed += 1
                    if notification.attempts >= config["DELIVERY_MAX_ATTEMPTS"]:
                        notification.status = "failed"
                    else:
                        notification.status = "pending"
                        notification.next_attempt_at = now + _backoff(notification.attempts)
                else:
                    notification.attempts += 1
                    notification.status, notification.sent_at = "sent", now
                    notification.last_error = ""
                    result.sent += 1
                db.session.commit()
    finally:
        mailer.close()
    return result


def retry(notification_ids: list[int]) -> int:
    """The office sends failed rows again: back to pending, attempts from zero."""
    return db.session.execute(
        update(Notification)
        .where(Notification.id.in_(notification_ids), Notification.status == "failed")
        .values(status="pending", attempts=0, next_attempt_at=None)
    ).rowcount or 0
