"""`flask --app lnd cpd remind [--dry-run]`: remind registered social workers who are not ready for
Social Work England renewal, from 1 September, never twice to the same person on the same day.

Run it daily (cron or a systemd timer). Each reminder is claimed by a row in cpd_reminder before
the message goes, and committed once it has gone, so a second run the same day sends nothing more.
"""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from lnd.core import clock, mail
from lnd.cpd import rules, services
from lnd.extensions import db


@click.group("cpd")
def cpd_group() -> None:
    """CPD records and Social Work England renewal readiness."""


@cpd_group.command("remind")
@click.option("--dry-run", is_flag=True, help="List who would be reminded, without sending or recording anything.")
@with_appcontext
def remind_command(dry_run: bool) -> None:
    """E-mail each registered social worker who is not ready for renewal (from 1 September)."""
    today = clock.today()
    year = rules.registration_year(today)
    if not year.renewal_open_on(today):
        click.echo(f"Renewal for the registration year {year.label} opens on "
                   f"{rules.long_date(year.renewal_opens_on)}: no reminders before then.")
        return
    due = services.readiness_reminders(today)
    db.session.rollback()
    if dry_run:
        for reminder in due:
            click.echo(f"Would remind {reminder.person.email}: {reminder.readiness.summary}; "
                       f"needs {reminder.readiness.still_needed}.")
        click.echo(f"Dry run: {len(due)} reminder{'' if len(due) == 1 else 's'} would be sent; nothing was sent.")
        return
    mail.send_claimed(due, lambda reminder: services.send_reminder(reminder, today),
                      lambda reminder: f"Reminded {reminder.person.email}.", noun="reminder")
