"""The course and session report: sessions run, fill rate, attendance, no-shows, waiting-list demand
and feedback, for the OD team and scoped to a manager's staff; a fixed number of statements.

Life Story Work, on 22 November 2026 (the default period: 23 November 2025 to 22 November 2026):
  10 March 2026, 4 places, held: Ada attended (feedback 5/4), Ben attended (3/4), Cara did not
      attend, Dan booked (no register mark). Waiting list: Will, Paul, Chris and Lena.
  5 January 2026: cancelled.
  10 December 2026, 2 places, full: Fred and Odette booked; Wendy on the waiting list.
  15 January 2027, 10 places: Paul booked.
Chris completed the course as e-learning on 1 April 2026; Lena left on 31 July 2026.
So Will and Wendy are waiting with no session to go to.
"""
from __future__ import annotations

import re
from datetime import date
from types import SimpleNamespace

import pytest

from lnd.bookings.rules import ATTENDED, BOOKED, NO_SHOW, WAITLISTED
from lnd.courses.models import Completion, Course
from lnd.extensions import db
from lnd.reports import course_report
from tests.core.visitors import Visitor, fingerprint
from tests.reports._summary_support import TODAY, at, counting, make_booking, make_session, world  # noqa: F401


def _course(slug: str) -> Course:
    return db.session.scalar(db.select(Course).filter_by(slug=slug))


@pytest.fixture
def sessions(world, make_person):
    cin = dict(manager=world.other_manager, team="Children in Need", start_date=date(2024, 1, 8))
    will = make_person("Will", "Waited", **cin)
    paul = make_person("Paul", "Placed", **cin)
    chris = make_person("Chris", "Completed", **cin)
    wendy = make_person("Wendy", "Waiting", **cin)
    course = _course("life-story-work")
    march = make_session(course, date(2026, 3, 10), capacity=4)
    make_booking(march, world.ada, ATTENDED, feedback=(5, 4))
    make_booking(march, world.ben, ATTENDED, feedback=(3, 4))
    make_booking(march, world.cara, NO_SHOW)
    make_booking(march, world.dan, BOOKED)
    for person in (will, paul, chris, world.lena):
        make_booking(march, person, WAITLISTED)
    make_session(course, date(2026, 1, 5), status="cancelled")
    december = make_session(course, date(2026, 12, 10), capacity=2)
    make_booking(december, world.fred, BOOKED)
    make_booking(december, world.od, BOOKED)
    make_booking(december, wendy, WAITLISTED)
    make_booking(make_session(course, date(2027, 1, 15), capacity=10), paul, BOOKED)
    db.session.add(Completion(person_id=chris.id, course_id=course.id, completed_on=date(2026, 4, 1),
                              source="import"))
    older = make_session(_course("neglect"), date(2025, 6, 1), capacity=12)
    make_booking(older, world.ada, ATTENDED, feedback=(4, 2))
    db.session.commit()
    return SimpleNamespace(course=course, march=march, will=will, wendy=wendy, paul=paul, chris=chris)


def _now():
    return at(TODAY, 9)


def _cells(page: str, table_id: str, heading: str) -> list[str]:
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', page, re.S).group(0)
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S):
        cells = [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        if cells and cells[0] == heading:
            return cells[1:]
    raise AssertionError(f"no row {heading!r}")


def test_the_figures_for_the_od_team(app, world, sessions):
    lines = course_report.course_lines(world.od, course_report.default_range(TODAY), _now())
    assert [line.course.slug for line in lines] == ["life-story-work"]   # Neglect's session was before the period
    f = lines[0].figures
    assert (f.sessions, f.cancelled, f.capacity, f.taken, f.fill_rate) == (1, 1, 4, 4, 100)
    assert (f.booked, f.attended, f.no_shows, f.attendance_rate) == (4, 2, 1, 67)
    assert f.waiting == 2
    assert (f.responses, f.usefulness, f.delivery, f.feedback_rate) == (2, 4.0, 4.0, 100)


def test_waiting_list_demand_is_people_with_no_session_to_go_to(app, world, sessions):
    waiting = course_report.waiting_people(course_report.default_range(TODAY), _now())
    names = [(w.person.first_name, w.waitlisted_for) for w in waiting[sessions.course.id]]
    # Will: the March session went by. Wendy: December's is full. Paul has a place in January,
    # Chris did it as e-learning, Lena has left.
    assert names == [("Will", date(2026, 3, 10)), ("Wendy", date(2026, 12, 10))]


def test_the_page_as_od_and_the_session_drill_down(app, world, sessions):
    od = Visitor(app, "od", world.od).sign_in()
    page = od.get("/reports/courses").get_data(as_text=True)
    assert "Sessions held from 23 November 2025 to 22 November 2026" in page
    assert re.search(r'id="starts_on-day"[^>]*value="23"', page) and re.search(r'id="ends_on-year"[^>]*value="2026"', page)
    cells = _cells(page, "courses", "Life Story Work")
    assert cells == ["1 1 cancelled", "100% 4 of 4 places", "4", "2 67%", "1", "2",
                     "Useful: 4.0 out of 5 Delivery: 4.0 out of 5 2 responses"]
    assert _cells(page, "courses", "All courses")[0] == "1 1 cancelled"
    assert f'href="/reports/courses/{sessions.course.id}"' in page
    detail = od.get(f"/reports/courses/{sessions.course.id}").get_data(as_text=True)
    assert _cells(detail, "sessions", "10 March 2026 at 10:00 Held") == [
        "100% 4 of 4 places", "4", "2", "1", "4", "Useful: 4.0 out of 5 Delivery: 4.0 out of 5 2 responses"]
    assert "5 January 2026 at 10:00 Cancelled" in " ".join(re.sub(r"<[^>]+>", " ", detail).split())
    waiting = re.search(r'<ul[^>]*id="waiting".*?</ul>', detail, re.S).group(0)
    assert "Will Waited" in waiting and "Wendy Waiting" in waiting and "Paul" not in waiting
    assert od.get("/reports/courses/999999").status_code == 404


def test_a_wider_period(app, world, sessions):
    od = Visitor(app, "od", world.od).sign_in()
    page = od.get("/reports/courses?starts_on=1&starts_on=1&starts_on=2025&ends_on=22&ends_on=11&ends_on=2026"
                  ).get_data(as_text=True)
    assert _cells(page, "courses", "Neglect")[:2] == ["1", "8% 1 of 12 places"]
    bad = od.get("/reports/courses?starts_on=1&starts_on=1&starts_on=2026&ends_on=1&ends_on=1&ends_on=2025")
    text = bad.get_data(as_text=True)
    assert "The last day of the period must be the same as or after the first day" in text
    assert "Life Story Work" in text    # the default period is shown meanwhile


def test_a_manager_sees_their_staff_in_the_figures(app, world, sessions):
    morgan = course_report.course_lines(world.manager, course_report.default_range(TODAY), _now())[0].figures
    assert (morgan.booked, morgan.attended, morgan.no_shows, morgan.waiting) == (3, 2, 1, 0)
    assert morgan.fill_rate == 100 and morgan.responses == 2          # the sessions themselves: everyone
    omar = course_report.course_lines(world.other_manager, course_report.default_range(TODAY), _now())[0].figures
    assert (omar.booked, omar.attended, omar.waiting) == (1, 0, 2)
    page = Visitor(app, "manager", world.manager).sign_in().get(f"/reports/courses/{sessions.course.id}")
    assert "Will Waited" not in page.get_data(as_text=True)
    assert "count your staff only" in page.get_data(as_text=True)


def test_the_same_number_of_statements_for_more_courses_sessions_and_bookings(app, world, sessions, make_person):
    od = Visitor(app, "od", world.od).sign_in()
    period = course_report.default_range(TODAY)
    with counting() as few:
        course_report.course_lines(world.od, period, _now())
    with counting() as few_page:
        od.get("/reports/courses")
    with counting() as few_detail:
        od.get(f"/reports/courses/{sessions.course.id}")
    db.session.rollback()
    for n, slug in enumerate(("neglect", "graded-care-profile", "life-story-work")):
        session = make_session(_course(slug) or sessions.course, date(2026, 5, 1 + n), capacity=5)
        for k in range(3):
            person = make_person(f"More{n}{k}", "Person", team="Assessment")
            make_booking(session, person, (ATTENDED, NO_SHOW, WAITLISTED)[k], feedback=(4, 4) if k == 0 else None)
    before = fingerprint()
    world.od.has_role("od_admin")   # the viewer as a request has them: loaded before counting
    with counting() as many:
        lines = course_report.course_lines(world.od, period, _now())
    with counting() as many_page:
        od.get("/reports/courses")
    with counting() as many_detail:
        od.get(f"/reports/courses/{sessions.course.id}")
    assert fingerprint() == before
    assert len(lines) >= 2
    assert len(many) == len(few), "\n".join(many)
    assert len(many_page) == len(few_page)
    assert len(many_detail) == len(few_detail)
