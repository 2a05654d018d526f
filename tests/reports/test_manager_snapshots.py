"""The monthly snapshots of each manager's scope (their direct and indirect reports): stored for
everyone who manages someone, updated in place, equal to the live figures for the same month, and
read by the manager's 12-month trend (live only for a month with no stored row)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from lnd.extensions import db
from lnd.people.queries import report_ids_query
from lnd.reports import compliance_summary
from lnd.reports import summary_rules as rules
from lnd.reports.snapshot_models import ComplianceSnapshot
from tests.reports._summary_support import (  # noqa: F401  (fixtures)
    CORE, CORPORATE, CS_INDUCTION, TODAY, counting, world,
)

WINDOWS = (CS_INDUCTION, CORPORATE, CORE)


def _manager_rows(manager_id: int | None = None) -> int:
    db.session.rollback()
    stmt = select(func.count()).select_from(ComplianceSnapshot).where(ComplianceSnapshot.manager_id.is_not(None))
    if manager_id is not None:
        stmt = stmt.where(ComplianceSnapshot.manager_id == manager_id)
    return db.session.scalar(stmt)


def _live(manager, month: date) -> dict[str, tuple[int, int, int]]:
    as_at = rules.month_end(month)
    line = compliance_summary.tally(compliance_summary.people_as_at(as_at, report_ids_query(manager.id)), as_at).total
    return {key: (line.of(key).people, line.of(key).compliant, line.of(key).overdue) for key in WINDOWS}


def _stored(manager, month: date) -> dict[str, tuple[int, int, int]]:
    db.session.rollback()
    rows = db.session.scalars(select(ComplianceSnapshot).filter_by(month=month, manager_id=manager.id)).all()
    assert all(row.team_id is None for row in rows)
    return {row.window_key: (row.people, row.compliant, row.overdue_items) for row in rows}


def test_every_manager_gets_a_row_per_window_and_taking_again_updates_them(app, world, runner):
    result = runner.invoke(args=["report", "snapshot", "--backfill", "11"])
    assert result.exit_code == 0, result.output
    # Sienna (over Morgan), Morgan and Omar manage someone: 3 managers x 3 windows, each of 12 months.
    assert "November 2026 (as at 2026-11-22): 9 added, 0 updated, 0 removed; managers' rows: 9 added" in result.output
    assert _manager_rows() == 3 * 3 * 12
    assert _manager_rows(world.senior.id) == 3 * 12 and _manager_rows(world.ada.id) == 0
    result = runner.invoke(args=["report", "snapshot", "--backfill", "11"])
    assert result.exit_code == 0, result.output
    assert "managers' rows: 0 added, 9 updated, 0 removed" in result.output
    assert _manager_rows() == 3 * 3 * 12


def test_a_managers_stored_figures_equal_the_live_figures_for_the_same_month(app, world):
    compliance_summary.backfill(TODAY, 11, TODAY)
    db.session.commit()
    for manager in (world.senior, world.manager, world.other_manager):
        for month in rules.months_before(TODAY, 11):
            live = _live(manager, month)
            stored = _stored(manager, month)
            assert stored == {key: live.get(key, (0, 0, 0)) for key in WINDOWS}, (manager.name, month)
    # 30 June 2026 for Morgan (and Sienna above him): Ada, Ben and Lena; Ben's and Lena's
    # Children's Services induction overdue.
    assert _stored(world.manager, date(2026, 6, 1))[CS_INDUCTION][:2] == (3, 1)
    assert _stored(world.senior, date(2026, 6, 1)) == _stored(world.manager, date(2026, 6, 1))


def test_the_managers_trend_reads_the_stored_rows_and_works_out_the_rest(app, world):
    live_trend = compliance_summary.trend(world.manager, TODAY)
    compliance_summary.backfill(date(2026, 10, 1), 5, TODAY)   # May to October 2026 stored
    db.session.commit()
    stored_trend = compliance_summary.trend(world.manager, TODAY)
    assert [p.month for p in stored_trend] == [p.month for p in live_trend]
    for before, after in zip(live_trend, stored_trend):
        for key in WINDOWS:
            assert before.of(key) == after.of(key), (before.month, key)
    # A stored row is what the page shows: change one and the trend follows.
    row = db.session.scalars(select(ComplianceSnapshot).filter_by(
        month=date(2026, 6, 1), manager_id=world.manager.id, window_key=CS_INDUCTION)).one()
    row.people, row.compliant = 10, 5
    db.session.commit()
    june = next(p for p in compliance_summary.trend(world.manager, TODAY) if p.month == date(2026, 6, 1))
    assert june.of(CS_INDUCTION).text == "50% (5 of 10)"
    # Omar's trend is his own, not Morgan's.
    omar = compliance_summary.trend(world.other_manager, TODAY)
    assert next(p for p in omar if p.month == date(2026, 6, 1)).of(CS_INDUCTION).people == 1


def test_stored_months_cost_one_statement_not_a_computation_each(app, world):
    with counting() as live:
        compliance_summary.trend(world.manager, TODAY)
    compliance_summary.backfill(TODAY, 11, TODAY)
    db.session.commit()
    db.session.rollback()
    with counting() as stored:
        compliance_summary.trend(world.manager, TODAY)
    assert len(stored) < len(live) / 4, (len(stored), len(live))


def test_someone_who_manages_nobody_any_more_loses_their_rows(app, world):
    compliance_summary.take_snapshot(TODAY, TODAY)
    db.session.commit()
    assert _manager_rows(world.other_manager.id) == 3
    world.dan.manager = None
    db.session.commit()
    result = compliance_summary.take_snapshot(TODAY, TODAY)
    db.session.commit()
    assert (result.manager_removed, result.removed) == (3, 0)
    assert _manager_rows(world.other_manager.id) == 0 and _manager_rows() == 6
