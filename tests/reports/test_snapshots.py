"""Monthly compliance snapshots: `flask --app lnd report snapshot [--month] [--backfill]` stores each
month's figures once (running again updates in place), and the past months are worked out as at
each month's end from the records."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from lnd.compliance import queries as compliance_queries
from lnd.compliance.rules import OVERDUE
from lnd.core.models import AuditEvent
from lnd.extensions import db
from lnd.people.models import Team
from lnd.reports import compliance_summary
from lnd.reports.snapshot_models import ComplianceSnapshot
from tests.reports._summary_support import (  # noqa: F401  (fixtures)
    CORE, CORPORATE, CS_INDUCTION, TODAY, complete_window, window_courses, world,
)


def _rows() -> int:
    """The whole service's and the teams' rows (the managers' rows are counted in their own tests)."""
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(ComplianceSnapshot)
                             .where(ComplianceSnapshot.manager_id.is_(None)))


def _figures(month: date, key: str, team: str | None = None) -> tuple[int, int, int]:
    db.session.rollback()
    stmt = select(ComplianceSnapshot).filter_by(month=month, window_key=key)
    if team is None:
        stmt = stmt.where(ComplianceSnapshot.team_id.is_(None), ComplianceSnapshot.manager_id.is_(None))
    else:
        stmt = stmt.join(Team, ComplianceSnapshot.team_id == Team.id).where(Team.name == team)
    rows = db.session.scalars(stmt).all()
    assert len(rows) == 1, rows
    return rows[0].people, rows[0].compliant, rows[0].overdue_items


def test_this_months_snapshot_is_taken_once_and_updated_in_place(app, world, runner):
    cs = len(window_courses(world.ben, CS_INDUCTION))
    result = runner.invoke(args=["report", "snapshot"])
    assert result.exit_code == 0, result.output
    assert "November 2026 (as at 2026-11-22): 9 added, 0 updated, 0 removed" in result.output
    # The whole service and the two teams, for each of the three windows.
    assert _rows() == 9
    assert _figures(date(2026, 11, 1), CS_INDUCTION) == (4, 2, 2 * cs)
    assert _figures(date(2026, 11, 1), CS_INDUCTION, "Children in Need") == (1, 0, cs)
    assert _figures(date(2026, 11, 1), CORE) == (4, 4, 0)

    # Ben catches up; the snapshot taken again the same month is updated, not duplicated.
    db.session.rollback()
    complete_window(world.ben, CS_INDUCTION, date(2026, 11, 20))
    result = runner.invoke(args=["report", "snapshot"])
    assert "0 added, 9 updated, 0 removed" in result.output
    assert _rows() == 9
    assert _figures(date(2026, 11, 1), CS_INDUCTION) == (4, 3, cs)
    assert _figures(date(2026, 11, 1), CS_INDUCTION, "Assessment") == (3, 3, 0)
    db.session.rollback()
    events = db.session.scalars(select(AuditEvent).filter_by(action="compliance_snapshot.taken")).all()
    assert len(events) == 2 and events[0].summary == "Compliance snapshot of November 2026"


def test_backfill_works_out_each_month_as_at_its_last_day(app, world, runner):
    cs = len(window_courses(world.ben, CS_INDUCTION))
    corporate = len(window_courses(world.ben, CORPORATE))
    result = runner.invoke(args=["report", "snapshot", "--backfill", "12"])
    assert result.exit_code == 0, result.output
    assert result.output.count("Compliance snapshot:") == 13
    assert "November 2025 (as at 2025-11-30)" in result.output
    # 30 June 2026: Ada, Ben, Dan and Lena (who left on 31 July). Ben's corporate courses were
    # completed late, in October, so in June they were overdue; Dan's were done in January.
    june = date(2026, 6, 1)
    assert _figures(june, CS_INDUCTION) == (4, 1, 3 * cs)
    assert _figures(june, CORPORATE) == (4, 2, 2 * corporate)
    assert _figures(june, CORPORATE, "Children in Need") == (1, 1, 0)
    # 31 December 2025: Dan had started but his corporate induction was not due until March.
    assert _figures(date(2025, 12, 1), CORPORATE, "Children in Need") == (1, 1, 0)
    # 31 August 2025: Dan had not started; Children in Need had nobody to count.
    db.session.rollback()
    august = db.session.scalars(select(ComplianceSnapshot).filter_by(month=date(2025, 8, 1))).all()
    assert august == []   # before the backfill's first month
    assert _figures(date(2025, 11, 1), CS_INDUCTION) == (4, 1, 3 * cs)
    # Running the backfill again changes nothing.
    before = _rows()
    result = runner.invoke(args=["report", "snapshot", "--backfill", "12"])
    assert "0 added" in result.output and _rows() == before


def test_a_renewed_core_course_counts_the_completion_held_at_each_month_end(app, world, runner):
    # Ada did every core course in March 2023 (they lapse three years on, on 1 March 2026) and
    # renewed them on 15 June 2026. Each month end counts the completion she held on that day.
    core = complete_window(world.ada, CORE, date(2023, 3, 1))
    complete_window(world.ada, CORE, date(2026, 6, 15))
    result = runner.invoke(args=["report", "snapshot", "--backfill", "12"])
    assert result.exit_code == 0, result.output
    # Assessment at these month ends: Ada, Ben and Lena (Cara started in November 2026); Ben's and
    # Lena's core courses are not due until 2028.
    assert _figures(date(2025, 12, 1), CORE, "Assessment") == (3, 3, 0)    # the 2023 completions stand
    assert _figures(date(2026, 2, 1), CORE, "Assessment") == (3, 3, 0)     # due for renewal, not lapsed
    assert _figures(date(2026, 4, 1), CORE, "Assessment") == (3, 2, core)  # lapsed; June's renewal not done yet
    assert _figures(date(2026, 6, 1), CORE, "Assessment") == (3, 3, 0)     # renewed


def test_a_course_completed_after_a_month_end_was_not_done_at_that_month_end(app, world):
    # Ben completed his corporate induction (due in 2025) on 5 October 2026.
    corporate = len(window_courses(world.ben, CORPORATE))
    for month in (date(2026, 9, 1), date(2026, 10, 1)):
        compliance_summary.take_snapshot(month, TODAY)
    db.session.commit()
    # Assessment: Ada and Ben (Lena left in July, Cara had not started).
    assert _figures(date(2026, 9, 1), CORPORATE, "Assessment") == (2, 1, corporate)
    assert _figures(date(2026, 10, 1), CORPORATE, "Assessment") == (2, 2, 0)
    statuses = {row.status.kind for row in compliance_queries.status_rows([world.ben], date(2026, 9, 30))
                if row.window_key == CORPORATE}
    assert statuses == {OVERDUE}


def test_a_past_month_alone_and_bad_months(app, world, runner):
    result = runner.invoke(args=["report", "snapshot", "--month", "2026-03"])
    assert result.exit_code == 0, result.output
    assert "March 2026 (as at 2026-03-31)" in result.output
    for month, message in (("2026-12", "December 2026 has not begun yet."), ("March", "YYYY-MM")):
        result = runner.invoke(args=["report", "snapshot", "--month", month])
        assert result.exit_code != 0 and message in result.output


def test_a_team_with_nobody_counted_any_more_loses_its_rows(app, world):
    compliance_summary.take_snapshot(TODAY, TODAY)
    db.session.commit()
    world.dan.team = None
    db.session.commit()
    result = compliance_summary.take_snapshot(TODAY, TODAY)
    db.session.commit()
    assert result.removed == 3
    assert _figures(date(2026, 11, 1), CS_INDUCTION) == (4, 2, 2 * len(window_courses(world.ben, CS_INDUCTION)))


def test_the_od_trend_reads_the_snapshots_and_this_month_live(app, world):
    compliance_summary.backfill(TODAY, 11, TODAY)
    db.session.commit()
    db.session.rollback()
    complete_window(world.ben, CS_INDUCTION, date(2026, 11, 21))   # after the snapshot: this month is live
    points = compliance_summary.trend(world.od, TODAY)
    assert [p.month for p in points][:2] == [date(2025, 12, 1), date(2026, 1, 1)]
    assert points[-1].live and points[-1].of(CS_INDUCTION).text == "75% (3 of 4)"
    assert points[-2].of(CS_INDUCTION).text == "33% (1 of 3)"   # 31 October: Ada, Ben, Dan
    teams = dict((name, team_id) for team_id, name in compliance_summary.team_choices(world.od, TODAY))
    cin = compliance_summary.trend(world.od, TODAY, teams["Children in Need"])
    assert cin[-2].of(CORPORATE).text == "100% (1 of 1)"


def test_a_month_without_a_snapshot_shows_as_a_gap(app, world):
    compliance_summary.take_snapshot(date(2026, 10, 1), TODAY)
    db.session.commit()
    points = compliance_summary.trend(world.od, TODAY)
    assert points[-2].figures is not None and points[-3].figures is None


def test_seed_demo_backfills_twelve_months_idempotently(app, runner):
    from lnd.core import clock

    clock.freeze(TODAY)
    result = runner.invoke(args=["seed", "--demo"])
    assert result.exit_code == 0, result.output
    assert "Compliance snapshots: 13 months, November 2025 to November 2026" in result.output
    rows = _rows()
    assert rows > 0
    db.session.rollback()
    months = set(db.session.scalars(select(ComplianceSnapshot.month).distinct()))
    assert len(months) == 13
    result = runner.invoke(args=["seed", "--demo"])
    assert result.exit_code == 0, result.output
    assert "0 rows added" in result.output and _rows() == rows
