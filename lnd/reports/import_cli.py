"""`flask --app lnd completions import FILE [--dry-run]`: e-learning completions (CSV or xAPI)."""
from __future__ import annotations

import click


@click.group("completions")
def completions_group() -> None:
    """Completions from the council's e-learning platform."""
