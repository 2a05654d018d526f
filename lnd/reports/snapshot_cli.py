"""`flask --app lnd report snapshot [--month YYYY-MM] [--backfill N]`: the monthly compliance snapshot.

Run it once a month or more often (cron or a systemd timer): the month's rows (the whole service,
each team, and each manager's direct and indirect reports) are updated in place, never duplicated. `--backfill N` also works out the N months before, each as at its last day, from
the records as they stand (for a new installation, or after correcting records).
"""
from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import inspect

from lnd.core import audit, clock
from lnd.core.db import writing
from lnd.extensions import db
from lnd.reports import compliance_summary
from lnd.reports import summary_rules as rules
from lnd.reports.report_cli import report_group
from lnd.reports.snapshot_models import ComplianceSnapshot


def snapshots_ready() -> bool:
    """Whether the snapshot table exists (it does once `flask --app lnd db upgrade` has created it)."""
    return inspect(db.session.connection()).has_table(ComplianceSnapshot.__tablename__)


def take_snapshots(month, backfill: int, today) -> list[compliance_summary.SnapshotResult]:
    """The month's snapshot and the `backfill` months before it, with one audit row. Flushes; the
    caller commits."""
    results = compliance_summary.backfill(month, backfill, today)
    audit.record("compliance_snapshot.taken", "compliance_snapshot", rules.month_start(month).isoformat(),
                 summary=f"Compliance snapshot of {rules.month_label(month)}"
                         + (f" and the {backfill} months before" if backfill else ""),
                 after={"months": [r.month for r in results], "added": sum(r.added for r in results),
                        "updated": sum(r.updated for r in results), "removed": sum(r.removed for r in results),
                        "manager_rows_added": sum(r.manager_added for r in results),
                        "manager_rows_updated": sum(r.manager_updated for r in results),
                        "manager_rows_removed": sum(r.manager_removed for r in results)})
    db.session.flush()
    return results


@report_group.command("snapshot")
@click.option("--month", "month_text", metavar="YYYY-MM", help="The month to take (default: this month).")
@click.option("--backfill", type=click.IntRange(0, 120), default=0, show_default=True,
              help="Also work out this many months before it, each as at its last day.")
@with_appcontext
def snapshot_command(month_text: str | None, backfill: int) -> None:
    """Take this month's compliance snapshot (again: it is updated in place)."""
    today = clock.today()
    try:
        month = rules.parse_month(month_text) if month_text else rules.month_start(today)
        rules.as_at_for(month, today)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--month") from None
    with writing():
        results = take_snapshots(month, backfill, today)
        db.session.commit()
    for result in results:
        click.echo(f"Compliance snapshot: {result}")


def demo_snapshots(months: int = 12) -> str:
    """For `seed --demo`: the last `months` months of snapshots, so the demonstration shows a trend
    (idempotent: seeding again updates them in place)."""
    if not snapshots_ready():
        return "skipped (run `flask --app lnd db upgrade` to create the snapshot table)"
    today = clock.today()
    results = take_snapshots(rules.month_start(today), months, today)
    return (f"{len(results)} months, {rules.month_label(results[0].month)} to {rules.month_label(results[-1].month)}: "
            f"{sum(r.added + r.manager_added for r in results)} rows added, "
            f"{sum(r.updated + r.manager_updated for r in results)} updated")
