"""`flask --app lnd people import FILE.csv [--dry-run]`: the HR import, the same service as the page."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy.exc import IntegrityError

from lnd.core import clock
from lnd.core.db import writing
from lnd.extensions import db
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


def _fail(preview: importer.ImportPreview) -> None:
    click.echo(f"Rows without problems: {preview.summary()}.")
    click.echo(f"The file has {len(preview.problems)} problem{'' if len(preview.problems) == 1 else 's'}; "
               "nothing was changed.", err=True)
    for problem in preview.problems:
        click.echo(str(problem), err=True)
    raise click.exceptions.Exit(1)


@click.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and show what would change, without saving anything.")
@with_appcontext
def import_command(path: Path, dry_run: bool) -> None:
    """Create and update staff from the HR system's CSV export (all rows or none)."""
    data = path.read_bytes()
    if dry_run:
        preview = importer.check(data)
        db.session.rollback()
        if preview.problems:
            _fail(preview)
        _echo_preview(preview)
        click.echo("Dry run: nothing was changed.")
        return
    try:
        with writing():
            preview = importer.apply_import(data, actor=None, today=clock.today(), source=path.name)
            db.session.commit()
    except importer.StaffImportRejected as rejected:
        db.session.rollback()
        _fail(rejected.preview)
    except IntegrityError:
        db.session.rollback()
        raise click.ClickException("Staff records were changed by someone else while the import was being "
                                   "applied; nothing was changed. Run the import again.") from None
    _echo_preview(preview)
    click.echo(f"Import applied: {preview.to_create} created, {preview.to_update} updated, "
               f"{preview.unchanged} unchanged.")
