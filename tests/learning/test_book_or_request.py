"""My learning's button says what booking will do, by the same rule booking follows
(bookings.services.needs_approval): a Developmental Offer course agreed at appraisal is booked
straight away, so the button says "Book a place", not "Request a place"."""
from __future__ import annotations

import re
from datetime import date

import pytest

from lnd.bookings import preapproval, rules
from lnd.bookings.models import Booking
from lnd.compliance.models import Requirement
from lnd.core import clock
from lnd.courses.models import CourseGroup
from lnd.courses.queries import course_by_slug
from lnd.extensions import db
from tests.core.visitors import Visitor
from tests.learning.test_my_learning import _text
from tests.learning.test_team import counting

COURSE = "Achieving Best Evidence"


@pytest.fixture
def developmental_required(people):
    """Achieving Best Evidence (Developmental Offer: the line manager agrees places) made required
    learning for everyone in Children's Care, so that it is on My learning."""
    course = course_by_slug("achieving-best-evidence")
    group = db.session.scalar(db.select(CourseGroup).filter_by(slug="developmental-social-workers"))
    db.session.add(Requirement(slug="test-abe", title="ABE", group_id=group.id, whole_group=False,
                               audience="childrens_care", window_amount=3, window_unit="years",
                               courses=[course]))
    db.session.commit()
    return course


def _button(page: str) -> str:
    found = re.search(r"(Request a place|Book a place) on " + COURSE, page)
    assert found, page
    return found.group(1)


@pytest.mark.parametrize("agreed_on, button", [
    (None, "Request a place"),                  # nothing agreed: the manager is asked
    (date(2026, 3, 1), "Book a place"),         # agreed at appraisal this year
    (date(2025, 11, 24), "Book a place"),       # agreed 12 months ago tomorrow: good until today
    (date(2025, 11, 23), "Request a place"),    # agreed 12 months ago today: no longer good
])
def test_an_agreed_developmental_course_says_book_and_books(app, people, add_session, developmental_required,
                                                           agreed_on, button):
    session = add_session("achieving-best-evidence", date(2026, 12, 8))
    if agreed_on:
        db.session.rollback()
        preapproval.grant(people.long_server, developmental_required, people.manager, agreed_on, clock.now())
        db.session.commit()
    visitor = Visitor(app, "sam", people.long_server).sign_in()
    assert _button(_text(visitor.get("/my-learning"))) == button
    assert visitor.post(f"/sessions/{session.id}/book", data={}).status_code == 302
    db.session.rollback()
    booking = db.session.scalar(db.select(Booking).filter_by(person_id=people.long_server.id))
    assert booking.state == (rules.BOOKED if button == "Book a place" else rules.AWAITING_APPROVAL)


def test_the_button_costs_one_statement_however_many_courses_need_approval(app, people, add_session,
                                                                          developmental_required):
    add_session("achieving-best-evidence", date(2026, 12, 8))
    visitor = Visitor(app, "sam", people.long_server).sign_in()
    with counting() as before:
        visitor.get("/my-learning")
    db.session.rollback()
    preapproval.grant(people.long_server, developmental_required, people.manager, date(2026, 3, 1), clock.now())
    db.session.commit()
    for n, slug in enumerate(("smart-planning", "analytical-assessments", "graded-care-profile")):
        add_session(slug, date(2026, 12, 2 + n))
    db.session.commit()
    with counting() as after:
        page = _text(visitor.get("/my-learning"))
    assert _button(page) == "Book a place"
    assert len(after) == len(before), "\n".join(s[:90] for s in after)
