"""`flask --app lnd report matrix --format csv|xlsx [filters] --output FILE`: scheduled exports."""
from __future__ import annotations

import click


@click.group("report")
def report_group() -> None:
    """OD reports for scheduled exports."""
