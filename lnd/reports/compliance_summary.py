"""The compliance summary: per team and per window, how many people are compliant and how many
required courses are overdue, now and month by month (monthly snapshots).

Statuses come from lnd.compliance.queries.status_rows; the rule that turns them into "compliant"
is lnd.reports.summary_rules.is_compliant. Every function here takes a fixed number of statements
whatever the number of people.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import or_, select

from lnd.compliance import queries as compliance_queries
from lnd.extensions import db
from lnd.people.models import OD_ADMIN, Person, Team
from lnd.people.queries import report_ids_query
from lnd.reports import summary_rules as rules
from lnd.reports.snapshot_models import ComplianceSnapshot

NO_TEAM = "No team recorded"
TREND_MONTHS = 12


@dataclass
class TeamLine:
    """One team's figures (or the whole scope's, with team_id None) for each window."""

    name: str
    team_id: int | None = None
    figures: dict[str, rules.Figures] = field(default_factory=lambda: defaultdict(rules.Figures))

    def of(self, key: str) -> rules.Figures:
        return self.figures.get(key) or rules.Figures()


@dataclass
class Tally:
    by_team: dict[int | None, TeamLine]
    total: TeamLine
    by_manager: dict[int, TeamLine] = field(default_factory=dict)   # only when asked for (snapshots)


def _scope(viewer: Person | None):
    """Ids of the people a viewer's reports cover (None: everyone)."""
    if viewer is None or viewer.has_role(OD_ADMIN):
        return None
    return report_ids_query(viewer.id)


def people_as_at(as_at: date, within=None, team_id: int | None = None) -> list[Person]:
    """People who had started by `as_at` and had not left before it (optionally only those in
    `within`, a select of ids, and in one team)."""
    stmt = select(Person).where(Person.start_date.is_not(None), Person.start_date <= as_at,
                                or_(Person.leaving_date.is_(None), Person.leaving_date >= as_at))
    if within is not None:
        stmt = stmt.where(Person.id.in_(within))
    if team_id is not None:
        stmt = stmt.where(Person.team_id == team_id)
    return list(db.session.scalars(stmt.order_by(Person.id)))


def tally(people: list[Person], as_at: date, *, total_name: str = "All teams",
          above: dict[int, list[int]] | None = None) -> Tally:
    """Each team's figures and the total, for each window, as at a day (statuses worked out with that
    day as today: completions and exemptions recorded after it do not count). With `above` (person
    -> the managers above them, see managers_above), each manager's figures for their reports too."""
    team_of = {p.id: p.team_id for p in people}
    names = {p.team_id: p.team.name for p in people if p.team is not None}
    statuses: dict[tuple[int, str], list] = defaultdict(list)
    for row in compliance_queries.status_rows(people, as_at):
        statuses[(row.person_id, row.window_key)].append(row.status)
    by_team: dict[int | None, TeamLine] = {}
    by_manager: dict[int, TeamLine] = {}
    total = TeamLine(total_name)
    for (person_id, key), items in statuses.items():
        team_id = team_of[person_id]
        line = by_team.setdefault(team_id, TeamLine(names.get(team_id, NO_TEAM), team_id))
        line.figures[key].add(items)
        total.figures[key].add(items)
        for manager_id in (above or {}).get(person_id, ()):
            by_manager.setdefault(manager_id, TeamLine("All your staff")).figures[key].add(items)
    return Tally(by_team, total, by_manager)


def managers_above() -> dict[int, list[int]]:
    """person -> everyone whose direct or indirect report they are (their manager, that manager's
    manager, ...), from one statement: the scopes of lnd.people.queries.report_ids_query, turned round."""
    manager_of = dict(db.session.execute(select(Person.id, Person.manager_id)).all())
    above: dict[int, list[int]] = {}
    for person_id, manager_id in manager_of.items():
        chain: list[int] = []
        seen: set[int] = set()
        while manager_id is not None and manager_id not in seen:   # a loop in the records ends the chain
            chain.append(manager_id)
            seen.add(manager_id)
            manager_id = manager_of.get(manager_id)
        if chain:
            above[person_id] = chain
    return above


@dataclass
class Summary:
    as_at: date
    windows: list[tuple[str, str]]
    lines: list[TeamLine]
    total: TeamLine
    whole_service: bool


def _sorted(lines) -> list[TeamLine]:
    return sorted(lines, key=lambda line: (line.team_id is None, line.name.lower()))


def current_summary(viewer: Person, today: date, team_id: int | None = None) -> Summary:
    """This month's figures, live: everyone for the OD team, a manager's direct and indirect reports."""
    whole = viewer.has_role(OD_ADMIN)
    people = people_as_at(today, _scope(viewer), team_id)
    result = tally(people, today, total_name="All teams" if whole else "All your staff")
    return Summary(today, compliance_queries.windows_in_order(), _sorted(result.by_team.values()), result.total,
                   whole)


def team_choices(viewer: Person, today: date) -> list[tuple[int, str]]:
    """Teams the viewer may filter by: every team (OD), or the teams of a manager's reports."""
    stmt = select(Team.id, Team.name).order_by(Team.name)
    within = _scope(viewer)
    if within is not None:
        stmt = stmt.where(Team.id.in_(select(Person.team_id).where(Person.id.in_(within))))
    return [(team_id, name) for team_id, name in db.session.execute(stmt)]


# ---------------------------------------------------------------------------------------------
# The trend over the last 12 months
# ---------------------------------------------------------------------------------------------

@dataclass
class TrendPoint:
    month: date
    figures: dict[str, rules.Figures] | None   # None: no snapshot of that month
    live: bool = False

    @property
    def label(self) -> str:
        return rules.month_label(self.month)

    def of(self, key: str) -> rules.Figures | None:
        if self.figures is None:
            return None
        return self.figures.get(key) or rules.Figures()


def trend(viewer: Person, today: date, team_id: int | None = None, current: Summary | None = None,
          months: int = TREND_MONTHS) -> list[TrendPoint]:
    """The last `months` months, oldest first; the month in progress is worked out live. For the OD
    team the earlier months come from the monthly snapshots (the whole service, or one team). A
    manager's earlier months come from the snapshots of their reports (stored for everyone who manages
    someone); a month with no stored row, or one team of their reports, is worked out from the records
    as at the month's end (the same rule, with that day as today)."""
    current = current or current_summary(viewer, today, team_id)
    this_month = rules.month_start(today)
    line = next((line for line in current.lines if line.team_id == team_id), None) if team_id else current.total
    points = [TrendPoint(this_month, dict(line.figures) if line else {}, live=True)]
    earlier = rules.months_before(this_month, months - 1)
    if viewer.has_role(OD_ADMIN):
        stored = snapshot_figures(earlier, team_id)
        past = [TrendPoint(month, stored.get(month)) for month in earlier]
    else:
        within = _scope(viewer)
        stored = manager_snapshot_figures(earlier, viewer.id) if team_id is None else {}
        past = []
        for month in earlier:
            if month in stored:
                past.append(TrendPoint(month, stored[month]))
                continue
            as_at = rules.month_end(month)
            past.append(TrendPoint(month, dict(tally(people_as_at(as_at, within, team_id), as_at).total.figures)))
    return past + points


def snapshot_figures(months: list[date], team_id: int | None) -> dict[date, dict[str, rules.Figures]]:
    """The stored figures for the months (one team's, or the whole service's), in one statement."""
    if not months:
        return {}
    stmt = select(ComplianceSnapshot).where(ComplianceSnapshot.month.in_(months),
                                            ComplianceSnapshot.manager_id.is_(None))
    stmt = stmt.where(ComplianceSnapshot.team_id.is_(None) if team_id is None else
                      ComplianceSnapshot.team_id == team_id)
    return _figures_by_month(stmt)


def manager_snapshot_figures(months: list[date], manager_id: int) -> dict[date, dict[str, rules.Figures]]:
    """The stored figures of a manager's direct and indirect reports for the months, in one statement."""
    if not months:
        return {}
    return _figures_by_month(select(ComplianceSnapshot).where(ComplianceSnapshot.month.in_(months),
                                                              ComplianceSnapshot.manager_id == manager_id))


def _figures_by_month(stmt) -> dict[date, dict[str, rules.Figures]]:
    found: dict[date, dict[str, rules.Figures]] = defaultdict(dict)
    for row in db.session.scalars(stmt):
        found[row.month][row.window_key] = rules.Figures(row.people, row.compliant, row.overdue_items)
    return found


# ---------------------------------------------------------------------------------------------
# Taking snapshots (the CLI; never a page)
# ---------------------------------------------------------------------------------------------

@dataclass
class SnapshotResult:
    month: date
    as_at: date
    added: int = 0      # the whole service's and the teams' rows
    updated: int = 0
    removed: int = 0
    manager_added: int = 0   # the managers' rows (one per window for everyone who manages someone)
    manager_updated: int = 0
    manager_removed: int = 0

    def __str__(self) -> str:
        return (f"{rules.month_label(self.month)} (as at {self.as_at.isoformat()}): {self.added} added, "
                f"{self.updated} updated, {self.removed} removed; managers' rows: {self.manager_added} added, "
                f"{self.manager_updated} updated, {self.manager_removed} removed")


def take_snapshot(month: date, today: date, above: dict[int, list[int]] | None = None) -> SnapshotResult:
    """Work out a month's figures for the whole service, every team and every manager's direct and
    indirect reports (one row per window for everyone who manages someone), as at the month's last
    day (or today, for the month in progress), and store them. Taking it again updates the rows in
    place; a team nobody is counted in any more, or someone who manages nobody any more, loses its
    rows. `above` is managers_above() (passed in when taking several months). Flushes; the caller
    commits."""
    month = rules.month_start(month)
    as_at = rules.as_at_for(month, today)
    above = managers_above() if above is None else above
    result = tally(people_as_at(as_at), as_at, above=above)
    windows = [key for key, _title in compliance_queries.windows_in_order()]
    wanted: dict[tuple[int | None, int | None, str], rules.Figures] = {
        (None, None, key): result.total.of(key) for key in windows}
    for team_id, line in result.by_team.items():
        if team_id is not None:
            wanted.update({(team_id, None, key): figures for key, figures in line.figures.items()})
    for manager_id in sorted({m for chain in above.values() for m in chain}):
        line = result.by_manager.get(manager_id)
        wanted.update({(None, manager_id, key): line.of(key) if line else rules.Figures() for key in windows})
    existing = {(row.team_id, row.manager_id, row.window_key): row for row in db.session.scalars(
        select(ComplianceSnapshot).where(ComplianceSnapshot.month == month))}
    outcome = SnapshotResult(month, as_at)
    for (team_id, manager_id, key), figures in wanted.items():
        row = existing.pop((team_id, manager_id, key), None)
        if row is None:
            row = ComplianceSnapshot(month=month, team_id=team_id, manager_id=manager_id, window_key=key)
            db.session.add(row)
            _count(outcome, "added", manager_id)
        else:
            _count(outcome, "updated", manager_id)
        row.as_at, row.people, row.compliant, row.overdue_items = as_at, figures.people, figures.compliant, \
            figures.overdue
    for row in existing.values():
        db.session.delete(row)
        _count(outcome, "removed", row.manager_id)
    db.session.flush()
    return outcome


def _count(outcome: SnapshotResult, what: str, manager_id: int | None) -> None:
    name = f"manager_{what}" if manager_id is not None else what
    setattr(outcome, name, getattr(outcome, name) + 1)


def backfill(month: date, count: int, today: date) -> list[SnapshotResult]:
    """Snapshots of the `count` months before `month` (each as at its last day), then of `month`."""
    above = managers_above()
    return [take_snapshot(m, today, above) for m in rules.months_before(month, count) + [rules.month_start(month)]]
