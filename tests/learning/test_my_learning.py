"""My learning and a person's learning page: the windows with due dates and progress, the next session
with a working book button, and the record of learning newest first."""
from __future__ import annotations

import re
from datetime import date, datetime, timezone

from lnd.bookings.models import Booking
from lnd.courses.models import Completion
from lnd.courses.queries import course_by_slug
from lnd.extensions import db
from tests.core.visitors import Visitor


def _text(response) -> str:
    html = response.get_data(as_text=True)
    html = html[html.find("<main"):]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#39;", "'")


def _complete(person, slug, day, source="seed", verified=False):
    db.session.add(Completion(person_id=person.id, course_id=course_by_slug(slug).id, completed_on=day, source=source,
                              verified_at=datetime(2026, 11, 20, tzinfo=timezone.utc) if verified else None))
    db.session.commit()


def test_a_new_starter_sees_each_window_with_due_dates_and_progress(app, people):
    _complete(people.starter, "gdpr-training", date(2026, 11, 12))
    _complete(people.starter, "practice-standards", date(2026, 11, 13))
    response = Visitor(app, "starter", people.starter).sign_in().get("/my-learning")
    assert response.status_code == 200
    page = _text(response)
    headings = [page.find("Children’s Services – Induction Complete within 4 weeks"),
                page.find("Corporate induction e-learning Complete within 6 months"),
                page.find("Children’s Services – Core Training Complete within 3 years")]
    assert -1 not in headings and headings == sorted(headings), page[:2000]
    assert "Complete within 4 weeks of starting: due by 7 December 2026." in page
    assert "Complete within 6 months of starting: due by 9 May 2027." in page
    assert "1 of 6 completed" in page and "1 of 3 completed" in page
    html = response.get_data(as_text=True)
    assert '<progress class="app-progress" max="6" value="1"' in html
    assert "style=" not in html[html.find("<main"):]
    assert "Tri.x – Children’s Services Procedure Manual 7 December 2026 Due soon Due by 7 December 2026" in page


def test_the_book_button_books_the_next_session_with_places(app, people, add_session):
    full = add_session("trix-procedure-manual", date(2026, 11, 26), capacity=1)
    db.session.add(Booking(session_id=full.id, person_id=people.long_server.id, state="booked"))
    full.taken = 1
    db.session.commit()
    add_session("trix-procedure-manual", date(2026, 12, 3), capacity=8)
    later = add_session("trix-procedure-manual", date(2026, 12, 10), capacity=8)
    starter = Visitor(app, "starter", people.starter).sign_in()
    page = _text(starter.get("/my-learning"))
    assert "Next session: Thursday 3 December 2026, 09:00 to 12:00 8 places left" in page
    assert "Book a place on Tri.x – Children’s Services Procedure Manual, 3 December 2026 at 09:00" in page
    html = starter.get("/my-learning").get_data(as_text=True)
    action = re.search(r'<form method="post" action="(/sessions/(\d+)/book)"', html)
    assert action and int(action.group(2)) not in (full.id, later.id)
    response = starter.post(action.group(1), data={})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert re.search(r"/bookings/\d+$", response.headers["Location"]), response.headers["Location"]
    db.session.rollback()   # see what the request committed
    booking = db.session.scalar(db.select(Booking).filter_by(person_id=people.starter.id))
    assert booking.state == "booked" and booking.session.starts_at.day == 3
    page = _text(starter.get("/my-learning"))
    assert "Booked Booked on a session on 3 December 2026; due by 7 December 2026" in page
    assert "Booked: 3 December 2026 at 09:00" in page
    assert "Book a place on Tri.x" not in page


def test_a_manager_sees_the_sessions_but_no_book_button(app, people, add_session):
    add_session("trix-procedure-manual", date(2026, 12, 3))
    page = _text(Visitor(app, "manager", people.manager).sign_in().get(f"/people/{people.starter.id}/learning"))
    assert "Noah Clarke: required learning" in page
    assert "Next session: Thursday 3 December 2026" in page
    assert "Book a place" not in page


def test_the_record_of_learning_lists_every_completion_newest_first(app, people):
    _complete(people.long_server, "analytical-assessments", date(2024, 3, 14), source="attendance")
    _complete(people.long_server, "gdpr-training", date(2026, 10, 1), source="self_recorded")
    _complete(people.long_server, "neglect", date(2026, 11, 2), source="self_recorded", verified=True)
    _complete(people.long_server, "county-lines", date(2025, 5, 1), source="import")
    page = _text(Visitor(app, "sam", people.long_server).sign_in().get("/my-learning"))
    record = page[page.find("Record of learning"):]
    rows = [record.find(text) for text in (
        "2 November 2026 Neglect Recorded by the learner, verified by the OD team",
        "1 October 2026 GDPR Training Recorded by the learner, not yet verified by the OD team",
        "1 May 2025 County Lines Imported from the e-learning platform",
        "14 March 2024 Analytical Assessments Attended")]
    assert -1 not in rows and rows == sorted(rows), record


def test_someone_with_no_required_learning_is_told_so(app, people, make_person):
    external = make_person("Ezra", "External", roles=("external_learner",), kind="school")
    page = _text(Visitor(app, "external", external).sign_in().get("/my-learning"))
    assert "There is no required learning for you." in page and "No learning recorded yet." in page


def test_a_persons_page_is_for_them_their_managers_and_od_only(app, people):
    url = f"/people/{people.starter.id}/learning"
    for name in ("starter", "manager", "senior", "od"):
        response = Visitor(app, name, getattr(people, name)).sign_in().get(url)
        assert response.status_code == 200, name
        assert "Noah Clarke: required learning" in _text(response)
    for name in ("long_server", "stranger", "team_leader"):
        assert Visitor(app, name, getattr(people, name)).sign_in().get(url).status_code == 404, name
    assert Visitor(app, "od", people.od).sign_in().get("/people/999999/learning").status_code == 404


def test_the_person_page_links_to_appraisals_for_their_managers(app, people):
    if "appraisal.new_appraisal" not in app.view_functions:
        return
    url = f"/people/{people.starter.id}/learning"
    manager_page = Visitor(app, "manager", people.manager).sign_in().get(url).get_data(as_text=True)
    assert "/appraisals" in manager_page and "Record an appraisal" in manager_page
    own_page = Visitor(app, "starter", people.starter).sign_in().get(url).get_data(as_text=True)
    assert "Record an appraisal" not in own_page
