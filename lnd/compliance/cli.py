"""`flask --app lnd reminders send [--dry-run]`: mandatory-training reminders, run daily."""
from __future__ import annotations

import click


@click.group("reminders")
def reminders_group() -> None:
    """Reminders about required learning: due soon, overdue and the managers' weekly digest."""
