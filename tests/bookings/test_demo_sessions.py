"""The demonstration sessions loaded by `seed --demo`: upcoming sessions dated from today, on working
days, made once however many times the demo is loaded."""
from __future__ import annotations

from datetime import date, timedelta

from lnd.bookings.demo import SESSIONS, load_session_demo, working_day_on_or_after
from lnd.bookings.models import CourseSession
from lnd.bookings.rules import london_date
from lnd.core.models import AuditEvent
from tests.bookings.conftest import TODAY


def _sessions(db) -> list[CourseSession]:
    return list(db.session.scalars(db.select(CourseSession).order_by(CourseSession.starts_at)))


def test_seed_demo_adds_the_sessions_once(runner, db):
    first = runner.invoke(args=["seed", "--demo"])
    assert first.exit_code == 0, first.output
    assert f"Demo sessions: {len(SESSIONS)} sessions created, 0 already there" in first.output
    second = runner.invoke(args=["seed", "--demo"])
    assert second.exit_code == 0, second.output
    assert f"Demo sessions: 0 sessions created, {len(SESSIONS)} already there" in second.output
    db.session.expire_all()
    assert len(_sessions(db)) == len(SESSIONS)
    created = db.select(db.func.count(AuditEvent.id)).filter_by(action="session_created")
    assert db.session.scalar(created) == len(SESSIONS)


def test_the_sessions_are_upcoming_on_working_days_and_bookable(runner, db):
    assert runner.invoke(args=["seed", "--demo"]).exit_code == 0
    sessions = _sessions(db)
    by_course: dict[str, list[CourseSession]] = {}
    for session in sessions:
        by_course.setdefault(session.course.slug, []).append(session)
        for part in session.parts:
            day = london_date(part.starts_at)
            assert day > TODAY and day.weekday() < 5, (session.course.slug, day)
        assert session.booking_closes_on is not None and session.booking_closes_on >= TODAY
        assert session.taken == 0 and session.capacity > 0
    assert set(by_course) == {"trix-procedure-manual", "lcs-ehm-training", "smart-planning",
                              "court-skills-and-pre-proceedings", "supervision-skills"}
    # The next Tri.x seminar falls inside a new starter's 4-week induction (Noah Clarke started 9 November).
    next_trix = by_course["trix-procedure-manual"][0]
    assert london_date(next_trix.starts_at) <= date(2026, 11, 9) + timedelta(weeks=4)
    (court,) = by_course["court-skills-and-pre-proceedings"]
    assert [p.position for p in court.parts] == [1, 2]
    assert london_date(court.parts[1].starts_at) - london_date(court.parts[0].starts_at) == timedelta(days=7)


def test_the_dates_follow_today_and_a_later_load_adds_that_days_sessions(runner, db):
    assert runner.invoke(args=["seed", "--demo"]).exit_code == 0
    result = load_session_demo(TODAY + timedelta(days=7))
    db.session.commit()
    assert len(result.created) == len(SESSIONS)
    result = load_session_demo(TODAY + timedelta(days=7))
    assert (result.created, result.already_there) == ([], len(SESSIONS))


def test_weekends_move_to_the_monday_after():
    assert working_day_on_or_after(date(2026, 11, 28)) == date(2026, 11, 30)   # Saturday
    assert working_day_on_or_after(date(2026, 11, 29)) == date(2026, 11, 30)   # Sunday
    assert working_day_on_or_after(date(2026, 11, 30)) == date(2026, 11, 30)   # Monday


def test_without_the_od_team_nothing_is_made(db, offer):
    result = load_session_demo(TODAY)
    assert result.created == [] and "no od.admin@example.org" in str(result)
