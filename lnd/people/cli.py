"""`flask --app lnd people import FILE.csv [--dry-run]`: the HR import, the same service as the page."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from lnd.core import clock
from lnd.core.imports import run_import
from lnd.people import importer


def add_commands(group: click.Group) -> None:
    group.add_command(import_command)


def _echo_preview(preview: importer.ImportPreview) -> None:
    click.echo(f"{preview.summary()}.")
    for row in preview.rows:
        if row.action == importer.UNCHANGED:
            continue
        changes = "; ".join(f"{c.field}: {c.before} → {c.after}" if row.action == importer.UPDATE
                            else f"{c.field}: {c.after}" for c in row.changes)
        click.echo(f"  Line {row.line}: {row.action} {row.employee_number} {row.name}: {changes}")


@click.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and show what would change, without saving anything.")
@with_appcontext
def import_command(path: Path, dry_run: bool) -> None:
    """Create and update staff from the HR system's CSV export (all rows or none)."""
    preview = run_import(
        path.read_bytes(), dry_run=dry_run, check=importer.check,
        apply=lambda data: importer.apply_import(data, actor=None, today=clock.today(), source=path.name),
        rejected=importer.StaffImportRejected, echo=_echo_preview,
        raced="Staff records were changed by someone else while the import was being applied")
    if preview is not None:
        click.echo(f"Import applied: {preview.to_create} created, {preview.to_update} updated, "
                   f"{preview.unchanged} unchanged.")
