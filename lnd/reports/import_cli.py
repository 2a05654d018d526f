"""`flask --app lnd completions import FILE [--dry-run]`: e-learning completions (CSV or xAPI)."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from lnd.core import clock
from lnd.core.imports import run_import
from lnd.core.templating import format_date
from lnd.reports import import_services as imports


@click.group("completions")
def completions_group() -> None:
    """Completions from the council's e-learning platform."""


def _echo_preview(preview: imports.CompletionImportPreview) -> None:
    click.echo(f"{preview.kind} file: {preview.summary()}.")
    for row in preview.rows:
        what = "add" if row.action == imports.ADD else f"skip ({row.reason})"
        click.echo(f"  Line {row.line}: {what} {row.person_name} ({row.person_ref}), {row.course_title}, "
                   f"{format_date(row.completed_on)}")
    for verb, count in sorted(preview.ignored.items()):
        click.echo(f"  Ignored: {count} “{verb}” statement{'' if count == 1 else 's'}")


@completions_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and show what would be added, without saving anything.")
@with_appcontext
def import_command(path: Path, dry_run: bool) -> None:
    """Add completions from the e-learning platform's CSV export or xAPI statements (all rows or none)."""
    preview = run_import(
        path.read_bytes(), dry_run=dry_run, check=lambda data: imports.check(data, clock.today()),
        apply=lambda data: imports.apply_import(data, actor=None, today=clock.today(), source=path.name),
        rejected=imports.CompletionImportRejected, echo=_echo_preview,
        raced="Completions were recorded by someone else while the import was being applied")
    if preview is not None:
        click.echo(f"Import applied: {preview.summary(added='added')}.")
