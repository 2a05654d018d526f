"""The ASYE lead's cohort (set-based: the same statements for 2 NQSWs as for 20) and booking the cohort
onto a module session through the booking system."""
from contextlib import contextmanager
from datetime import date, datetime, timedelta

from sqlalchemy import event

from lnd.asye import queries, rules, services
from lnd.bookings import session_services
from lnd.bookings.models import Booking
from lnd.core import clock
from lnd.courses.models import Completion
from lnd.courses.queries import course_by_slug
from lnd.extensions import db
from tests.asye.conftest import TODAY, add_entry, enrol


@contextmanager
def statements():
    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _busy_portfolio(world, enrolment, assessor, n: int) -> None:
    """Entries of several kinds, a review, an absence and a module completed: everything the cohort reads."""
    add_entry(world, rules.OBSERVATION, author=assessor, enrolment=enrolment, kss=(1, 2))
    add_entry(world, rules.FAMILY_FEEDBACK, enrolment=enrolment)
    add_entry(world, rules.SELF_ASSESSMENT, enrolment=enrolment, stage="start", kss=(1, 2, 3))
    services.save_review_part(enrolment, rules.THREE_MONTH, rules.ASSESSOR_PART, services.ReviewPart(
        comments="Fine", held_on=date(2026, 11, 20), judgement=rules.ON_TRACK), assessor, TODAY)
    away = enrolment.start_date + timedelta(days=30)
    services.record_absence(enrolment, away, away + timedelta(days=40), "Leave", world.lead)
    db.session.add(Completion(person_id=enrolment.nqsw_id, course_id=course_by_slug(f"asye-module-{n % 11 + 1}").id,
                              completed_on=date(2026, 10, 6), source="attendance"))
    db.session.commit()


def _cohort_statements(visit) -> tuple[int, str]:
    lead = visit("lead")
    lead.get("/asye")   # anything loaded once per process (e.g. the first request's set-up) out of the way
    with statements() as seen:
        page = lead.get("/asye").get_data(as_text=True)
    db.session.rollback()   # end this session's read snapshot before the test writes again
    return len(seen), page


def test_the_cohort_takes_the_same_statements_for_2_nqsws_as_for_20(world, visit, make_person):
    _busy_portfolio(world, world.enrolment, world.assessor, 1)
    _busy_portfolio(world, world.other_enrolment, world.other_assessor, 2)
    with_2, page = _cohort_statements(visit)
    assert page.count('href="/asye/') - page.count('href="/asye/enrol"') - page.count('href="/asye/modules"') == 2
    for n in range(18):
        nqsw = make_person("Cohort", f"Member{n:02d}", manager=world.manager if n % 2 else world.other_manager,
                           swe=f"SW95{n:04d}", team="Assessment")
        assessor = world.assessor if n % 2 else world.other_assessor
        enrolment = enrol(nqsw, assessor, world.lead, world.framework, start=date(2026, 1 + n % 10, 1 + n))
        _busy_portfolio(world, enrolment, assessor, n)
    with_20, page = _cohort_statements(visit)
    assert page.count("Cohort Member") == 18
    assert with_20 == with_2, f"{with_2} statements for 2 NQSWs, {with_20} for 20"


def test_the_cohort_shows_progress_evidence_counts_and_reviews_due_or_overdue(world, visit):
    add_entry(world, rules.OBSERVATION, author=world.other_assessor, enrolment=world.other_enrolment)
    add_entry(world, rules.OBSERVATION, author=world.other_assessor, enrolment=world.other_enrolment)
    add_entry(world, rules.PROFESSIONAL_FEEDBACK, enrolment=world.other_enrolment)
    rows = {row.enrolment.nqsw.last_name: row for row in
            __import__("lnd.asye.cohort_queries", fromlist=["cohort"]).cohort(world.lead, TODAY)}
    other = rows["Otherqsw"]
    assert other.progress.text == "Month 9 of 12"
    assert [item.have for item in other.checklist[:3]] == [2, 0, 1]
    assert [r.kind for r in other.overdue] == [rules.THREE_MONTH, rules.SIX_MONTH]
    assert [r.kind for r in other.due_soon] == [rules.NINE_MONTH]
    assert rows["Newly"].next_review.kind == rules.THREE_MONTH and rows["Newly"].due_soon
    page = visit("lead").get("/asye").get_data(as_text=True)
    assert "2 NQSWs: 1 with an overdue review, 2 with a review due within 14 days." in page
    assert "Overdue</strong> 3-month review (due 2 Jun 2026)" in page
    assert "2 of 3" in page and "1 of 3" in page


def test_the_lead_books_the_cohort_onto_a_module_session(world, visit):
    course = course_by_slug("asye-module-4")
    day = TODAY + timedelta(days=14)
    start = datetime(day.year, day.month, day.day, 9, 30, tzinfo=clock.LONDON)
    session = session_services.create_session(course, session_services.SessionDetails(
        booking_closes_on=None, facilitator="Centre for Practice Excellence", capacity=1,
        parts=[session_services.PartDetails(start, start + timedelta(hours=3), "Middlesbrough House")]), world.lead)
    db.session.commit()
    lead = visit("lead")
    assert "Module 4 – KSS 3: Child Development" in lead.get("/asye/modules").get_data(as_text=True)
    page = lead.get(f"/asye/modules/{session.id}/book").get_data(as_text=True)
    assert "Nadia Newly" in page and "Ryan Otherqsw" in page
    response = lead.post(f"/asye/modules/{session.id}/book",
                         data={"enrolments": [str(world.enrolment.id), str(world.other_enrolment.id)]})
    assert response.status_code == 302
    page = lead.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 booked, 1 on the waiting list." in page        # one place: the booking system's waiting list
    db.session.rollback()
    states = {b.person_id: b.state for b in db.session.scalars(db.select(Booking))}
    assert states == {world.nqsw.id: "booked", world.other_nqsw.id: "waitlisted"}
    modules = {row.course.slug: row for row in queries.portfolio(world.enrolment, TODAY).modules}
    assert modules["asye-module-4"].status == ("Booked", "govuk-tag--blue")
    # Booked already: nobody left to book.
    page = lead.get(f"/asye/modules/{session.id}/book").get_data(as_text=True)
    assert "Everyone in the cohort has attended this module or has a place on this session." in page
    assert visit("assessor").post(f"/asye/modules/{session.id}/book",
                                  data={"enrolments": [str(world.enrolment.id)]}).status_code == 403


def test_a_session_of_another_course_is_not_for_the_cohort(world, visit):
    course = course_by_slug("analytical-assessments")
    day = TODAY + timedelta(days=14)
    start = datetime(day.year, day.month, day.day, 9, 30, tzinfo=clock.LONDON)
    session = session_services.create_session(course, session_services.SessionDetails(
        booking_closes_on=None, capacity=5,
        parts=[session_services.PartDetails(start, start + timedelta(hours=3), "Room 1")] * course.parts),
        world.lead)
    db.session.commit()
    assert visit("lead").get(f"/asye/modules/{session.id}/book").status_code == 404
