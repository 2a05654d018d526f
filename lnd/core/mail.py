"""Sending mail: SMTP when MAIL_SERVER is set, otherwise each message is written to the outbox
folder as an .eml file so nothing is lost in development."""
from __future__ import annotations

import smtplib
import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Callable, Iterable, TypeVar

import click
from flask import current_app
from sqlalchemy.exc import IntegrityError

from lnd.core.db import writing
from lnd.extensions import db

T = TypeVar("T")


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    maintype: str = "application"
    subtype: str = "octet-stream"
    params: dict | None = None


def build_message(to: str | list[str], subject: str, body: str, attachments: list[Attachment] = ()) -> EmailMessage:
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = ", ".join([to] if isinstance(to, str) else to)
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=config["MAIL_SENDER"].rpartition("@")[2] or None)
    message.set_content(body)
    for item in attachments:
        message.add_attachment(item.content, maintype=item.maintype, subtype=item.subtype,
                               filename=item.filename, params=item.params or {})
    return message


def send(to: str | list[str], subject: str, body: str, attachments: list[Attachment] = ()) -> EmailMessage:
    """Send one message now. Raises MailError with a readable sentence if the server refuses it."""
    message = build_message(to, subject, body, attachments)
    config = current_app.config
    if config["MAIL_SERVER"]:
        _send_smtp(message, config)
    else:
        _write_outbox(message, Path(config["MAIL_OUTBOX_DIR"]))
    return message


class MailError(Exception):
    pass


def _send_smtp(message: EmailMessage, config) -> None:
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise MailError(f"The message to {message['To']} could not be sent: {error}") from error


def _write_outbox(message: EmailMessage, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}.eml"
    path.write_bytes(bytes(message))


def send_claimed(items: Iterable[T], send_one: Callable[[T], object], done: Callable[[T], str], *,
                 noun: str = "message") -> None:
    """What a reminder command does with the messages it has planned: each in its own write
    transaction, `send_one` claims the item's log row(s) and sends it, then it is committed. An item
    another run claimed meanwhile (IntegrityError) is skipped; one the mail server refuses (MailError)
    is rolled back — so the next run retries it — and reported. Echoes `done(item)` for each sent,
    then the count; raises click.ClickException (a non-zero exit) when any could not be sent."""
    sent, failed = 0, 0
    for item in items:
        with writing():
            try:
                send_one(item)
                db.session.commit()
            except IntegrityError:      # another run sent this one meanwhile
                db.session.rollback()
                continue
            except MailError as error:
                db.session.rollback()
                failed += 1
                click.echo(str(error), err=True)
                continue
        sent += 1
        click.echo(done(item))
    click.echo(f"{_plural(sent, noun)} sent.")
    if failed:
        raise click.ClickException(f"{_plural(failed, noun)} could not be sent; run the command again to retry them.")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"
