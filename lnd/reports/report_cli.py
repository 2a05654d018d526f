"""`flask --app lnd report matrix --format csv|xlsx [filters] --output FILE`: scheduled exports."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

ISO_DATE = click.DateTime(formats=["%Y-%m-%d"])


@click.group("report")
def report_group() -> None:
    """OD reports for scheduled exports."""


def _resolve(find, value: str | None, param: str, unknown: str):
    if value is None:
        return None
    found = find(value)
    if found is None:
        raise click.BadParameter(unknown.format(value=value), param_hint=param)
    return found


@report_group.command("matrix")
@click.option("--format", "file_format", type=click.Choice(["csv", "xlsx"]), required=True,
              help="csv, or xlsx for Excel.")
@click.option("--team", help="Only people in this team (its name).")
@click.option("--job-role", help="Only people in this job role (its name).")
@click.option("--manager", help="Only the direct and indirect reports of this manager (their email address).")
@click.option("--section", help="Only the windows in this section of the offer (its slug, e.g. induction).")
@click.option("--started-from", type=ISO_DATE, help="Only people who started on or after this date (YYYY-MM-DD).")
@click.option("--started-to", type=ISO_DATE, help="Only people who started on or before this date (YYYY-MM-DD).")
@click.option("--include-leavers", is_flag=True, help="Include people who have left.")
@click.option("--output", required=True, type=click.Path(dir_okay=False, writable=True),
              help="The file to write.")
@with_appcontext
def matrix_command(file_format, team, job_role, manager, section, started_from, started_to, include_leavers,
                   output) -> None:
    """The training matrix for everyone matching the filters (as the OD team sees it)."""
    from lnd.core import clock
    from lnd.reports import exports
    from lnd.reports import matrix_queries as mq

    started_from = started_from.date() if started_from else None
    started_to = started_to.date() if started_to else None
    if started_from and started_to and started_from > started_to:
        raise click.BadParameter("must be the same as or after --started-from", param_hint="--started-to")
    if section is not None and section not in dict(mq.sections_with_windows()):
        known = ", ".join(slug for slug, _ in mq.sections_with_windows()) or "none"
        raise click.BadParameter(f"there is no section of the offer '{section}' with required learning "
                                 f"(known: {known})", param_hint="--section")
    filters = mq.MatrixFilters(
        team_id=_resolve(mq.team_named, team, "--team", "there is no team called '{value}'"),
        job_role_id=_resolve(mq.job_role_named, job_role, "--job-role", "there is no job role called '{value}'"),
        manager_id=_resolve(mq.person_with_email, manager, "--manager", "nobody has the email address '{value}'"),
        section_slug=section, started_from=started_from, started_to=started_to, include_leavers=include_leavers)
    today = clock.today()
    count = mq.count_people(mq.people_query(filters, today))
    if file_format == "csv":
        with open(output, "w", encoding="utf-8", newline="") as target:
            exports.write_csv(target, filters, today)
    else:
        exports.write_xlsx(output, filters, today)
    click.echo(f"Wrote the training matrix for {count} {'person' if count == 1 else 'people'} to {output}")
