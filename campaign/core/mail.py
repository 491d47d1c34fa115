"""Mail, queued inside the transaction and sent only after it commits (Indico's email queue).

``queue_mail`` parks a message on the SQLAlchemy session; a rolled-back transaction drops it, a committed
one hands it to the backend named by MAIL_BACKEND:

- ``file`` (default): one ``.eml`` file per message in MAIL_FILE_DIR (``instance/mail``); tests read them.
- ``console``: the message is written to the application log.
- ``smtp``: MAIL_SERVER, MAIL_PORT, MAIL_USERNAME, MAIL_PASSWORD, MAIL_USE_TLS (STARTTLS) or MAIL_USE_SSL.

MAIL_DEFAULT_SENDER is the From address.
"""

from __future__ import annotations

import datetime as dt
import email.policy
import logging
import smtplib
import uuid
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from flask import current_app, render_template
from sqlalchemy import event
from sqlalchemy.orm import Session

from campaign.extensions import db

log = logging.getLogger(__name__)
OUTBOX = "campaign_outbox"


@dataclass
class Attachment:
    filename: str
    content_type: str  # e.g. "text/calendar"
    data: bytes


@dataclass
class Mail:
    to: list[str]
    subject: str
    body: str
    attachments: list[Attachment] = field(default_factory=list)
    reply_to: str | None = None


def queue_mail(to: str | list[str], subject: str, body: str, *, attachments: list[Attachment] | None = None,
               reply_to: str | None = None, session: Session | None = None) -> Mail:
    """Queue a message; it goes out when the current transaction commits, and never if it rolls back."""
    mail = Mail([to] if isinstance(to, str) else list(to), subject, body, list(attachments or []), reply_to)
    session = session or db.session()
    if not session.in_transaction():
        session.begin()  # the mail belongs to a transaction, so that its rollback can drop it
    session.info.setdefault(OUTBOX, []).append(mail)
    return mail


def queue_template(to: str | list[str], template: str, **context) -> Mail:
    """Render ``templates/mail/<template>.txt``: its first line is the subject, the rest the body."""
    text = render_template(f"mail/{template}.txt", **context)
    subject, _, body = text.strip("\n").partition("\n")
    return queue_mail(to, subject.strip(), body.strip() + "\n", attachments=context.get("attachments"))


def to_message(mail: Mail, sender: str) -> EmailMessage:
    message = EmailMessage(policy=email.policy.SMTP)
    message["From"] = sender
    message["To"] = ", ".join(mail.to)
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(dt.datetime.now(dt.timezone.utc))
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    if mail.reply_to:
        message["Reply-To"] = mail.reply_to
    message.set_content(mail.body)
    for attachment in mail.attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        message.add_attachment(attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename)
    return message


def deliver(messages: list[EmailMessage], config) -> None:
    backend = config.get("MAIL_BACKEND", "file")
    if backend == "file":
        folder = Path(config["MAIL_FILE_DIR"])
        folder.mkdir(parents=True, exist_ok=True)
        for message in messages:
            stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%f")
            (folder / f"{stamp}-{uuid.uuid4().hex[:8]}.eml").write_bytes(message.as_bytes())
    elif backend == "console":
        for message in messages:
            log.info("mail (console backend):\n%s", message.as_string())
    elif backend == "smtp":
        smtp_class = smtplib.SMTP_SSL if config.get("MAIL_USE_SSL") else smtplib.SMTP
        with smtp_class(config["MAIL_SERVER"], int(config.get("MAIL_PORT") or 25), timeout=30) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            for message in messages:
                smtp.send_message(message)
    else:
        raise ValueError(f"unknown MAIL_BACKEND {backend!r}")


@event.listens_for(Session, "after_commit")
def _send_after_commit(session: Session) -> None:
    queued: list[Mail] = session.info.pop(OUTBOX, [])
    if not queued:
        return
    config = current_app.config
    messages = [to_message(mail, config["MAIL_DEFAULT_SENDER"]) for mail in queued]
    try:
        deliver(messages, config)
    except Exception:  # the change is committed; a mail failure must not turn it into an error page
        log.exception("sending %d message(s) failed", len(messages))


@event.listens_for(Session, "after_soft_rollback")
def _drop_after_rollback(session: Session, previous_transaction) -> None:
    # Every rollback of the outer transaction, even one that never reached the database; a savepoint's
    # rollback leaves the outer transaction's mail in place.
    if not previous_transaction.nested:
        session.info.pop(OUTBOX, None)
