"""Command-line interface: `flask --app lnd …`. Commands call the same services as the pages."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from lnd.extensions import db


def register(app) -> None:
    from lnd.people.cli import add_commands as add_people_commands

    add_people_commands(people_group)
    app.cli.add_command(seed_command)
    app.cli.add_command(people_group)
    from lnd.cpd.cli import cpd_group

    app.cli.add_command(cpd_group)
    from lnd.compliance.cli import reminders_group
    from lnd.reports.import_cli import completions_group
    from lnd.reports import snapshot_cli  # noqa: F401  (adds its commands to the report group)
    from lnd.reports.report_cli import report_group

    app.cli.add_command(reminders_group)
    app.cli.add_command(completions_group)
    app.cli.add_command(report_group)


@click.command("seed")
@click.option("--demo", is_flag=True, help="Also load the demonstration organisation and its people.")
@with_appcontext
def seed_command(demo: bool) -> None:
    """Load or update the offer from seed/ (idempotent); with --demo add the demo organisation."""
    from lnd.core.db import writing
    from lnd.courses.seed import SeedError, load_offer

    try:
        with writing():
            result = load_offer(current_app.config["SEED_DIR"])
            click.echo(f"Offer: {result}")
            from lnd.compliance.seed import load_requirements

            click.echo(f"Requirement rules: {load_requirements(current_app.config['SEED_DIR'])}")
            summary = None
            if demo:
                from lnd.people.demo import load_demo

                summary = load_demo(current_app.config["SEED_DIR"])
                click.echo(f"Demo organisation: {summary}")
                from lnd.supervision.demo import load_demo as load_supervision_demo

                click.echo(f"Demo supervision: {load_supervision_demo()}")
                from lnd.asye.demo import load_asye_demo

                click.echo(f"ASYE: {load_asye_demo()}")
                from lnd.bookings.demo import load_session_demo
                from lnd.core import clock

                click.echo(f"Demo sessions: {load_session_demo(clock.today())}")
                from lnd.reports.snapshot_cli import demo_snapshots

                click.echo(f"Compliance snapshots: {demo_snapshots()}")
            db.session.commit()
    except SeedError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    if summary is not None:
        _print_demo_logins(summary.password)


def _print_demo_logins(password: str) -> None:
    from lnd.people.demo import DEMO_LOGINS

    click.echo("")
    click.echo(f"Demo logins (password: {password})")
    for email, who in DEMO_LOGINS:
        click.echo(f"  {email:<32} {who}")


@click.group("people")
def people_group() -> None:
    """Staff records."""

