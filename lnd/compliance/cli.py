"""`flask --app lnd reminders send [--dry-run]`: mandatory-training reminders, run daily.

Run it once a day (cron or a systemd timer); running it again the same day sends nothing more. Each
message is claimed by rows in reminder_log (or reminder_digest_log) before it goes and committed
once it has gone; a message the mail server refuses is rolled back, so the next run retries it.
"""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from lnd.compliance import reminder_services, reminders
from lnd.core import clock, mail
from lnd.extensions import db


@click.group("reminders")
def reminders_group() -> None:
    """Reminders about required learning: due soon, overdue and the managers' weekly digest."""


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@reminders_group.command("send")
@click.option("--dry-run", is_flag=True, help="List what would be sent, without sending or recording anything.")
@with_appcontext
def send_command(dry_run: bool) -> None:
    """E-mail today's reminders: due soon, overdue (weekly, at most 4 times) and the weekly digest."""
    today = clock.today()
    try:
        settings = reminder_services.Settings.from_config(current_app.config)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    messages = reminder_services.plan_messages(today, settings)
    db.session.rollback()   # end the read; each message is sent in its own write transaction
    _say_about_digests(today, settings, messages)
    if dry_run:
        for message in messages:
            for line in reminder_services.dry_run_lines(message):
                click.echo(line)
        click.echo(f"Dry run: {_plural(len(messages), 'message')} would be sent; nothing was sent or recorded.")
        return
    mail.send_claimed(messages, lambda message: reminder_services.send_message(message, today),
                      lambda message: f"Sent to {message.to}: {message.subject}")


def _say_about_digests(today, settings: reminder_services.Settings, messages) -> None:
    """Why no managers' digest goes today, when none does."""
    if any(message.kind == reminders.DIGEST for message in messages):
        return
    weekday = reminders.WEEKDAYS[settings.digest_weekday]
    if today < reminders.digest_day_this_week(today, settings.digest_weekday):
        click.echo(f"Managers' weekly digests go on {weekday}s: none yet this week.")
    else:
        click.echo(f"Managers' weekly digests go on {weekday}s (or the next run that week if none ran on "
                   f"the {weekday}): none due today.")
