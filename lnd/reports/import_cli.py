"""`flask --app lnd completions import FILE [--dry-run]`: e-learning completions (CSV or xAPI)."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy.exc import IntegrityError

from lnd.core import clock
from lnd.core.db import writing
from lnd.core.templating import format_date
from lnd.extensions import db
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


def _fail(preview: imports.CompletionImportPreview) -> None:
    click.echo(f"Rows without problems: {preview.summary()}.")
    count = len(preview.problems)
    click.echo(f"The file has {count} problem{'' if count == 1 else 's'}; nothing was changed.", err=True)
    for problem in preview.problems:
        click.echo(str(problem), err=True)
    raise click.exceptions.Exit(1)


@completions_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and show what would be added, without saving anything.")
@with_appcontext
def import_command(path: Path, dry_run: bool) -> None:
    """Add completions from the e-learning platform's CSV export or xAPI statements (all rows or none)."""
    data = path.read_bytes()
    if dry_run:
        preview = imports.check(data, clock.today())
        db.session.rollback()
        if preview.problems:
            _fail(preview)
        _echo_preview(preview)
        click.echo("Dry run: nothing was changed.")
        return
    try:
        with writing():
            preview = imports.apply_import(data, actor=None, today=clock.today(), source=path.name)
            db.session.commit()
    except imports.CompletionImportRejected as rejected:
        db.session.rollback()
        _fail(rejected.preview)
    except IntegrityError:
        db.session.rollback()
        raise click.ClickException("Completions were recorded by someone else while the import was being "
                                   "applied; nothing was changed. Run the import again.") from None
    _echo_preview(preview)
    click.echo(f"Import applied: {preview.summary(added='added')}.")
