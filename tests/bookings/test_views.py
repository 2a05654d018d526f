"""The pages, signed in as each role, asserting on what they say."""
import io
from datetime import timedelta

from sqlalchemy import select

from lnd.bookings import notifications, rules, services, session_services
from lnd.bookings.models import Booking, CompletionCertificate, CourseSession
from lnd.core import clock
from lnd.core.models import AuditEvent
from lnd.courses.models import Completion
from lnd.extensions import db
from tests.bookings.conftest import SESSION_DAY, at

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def text(response):
    return response.get_data(as_text=True)


def test_course_page_lists_upcoming_sessions_with_places_left(client, make_course, make_session, make_person,
                                                             login):
    course = make_course("Permanency")
    make_session(course, capacity=3)
    full = make_session(course, capacity=1, day=SESSION_DAY + timedelta(days=1))
    services.book_place(full, make_person(), make_person(), clock.now())
    past = make_session(course, day=SESSION_DAY + timedelta(days=2))
    past.starts_at = at(SESSION_DAY - timedelta(days=30), 9)  # moved into the past by hand
    past.parts[0].starts_at = past.starts_at
    db.session.commit()
    login(make_person())
    page = text(client.get(f"/courses/{course.slug}"))
    assert "Upcoming sessions" in page
    assert "Monday 7 December 2026, 09:30 to 12:30" in page
    assert "3 places left" in page
    assert "Full – join the waiting list" in page
    assert "Join the waiting list" in page and "Book a place" in page
    assert "Add a session" not in page


def test_upcoming_sessions_query(make_course, make_session):
    from lnd.bookings.queries import upcoming_sessions_for_course

    course = make_course()
    later = make_session(course, day=SESSION_DAY + timedelta(days=3), capacity=4)
    sooner = make_session(course, capacity=2)
    rows = upcoming_sessions_for_course(course.id, clock.today())
    assert [r.session.id for r in rows] == [sooner.id, later.id]
    assert [r.places_left for r in rows] == [2, 4]
    assert [r.session.id for r in upcoming_sessions_for_course(course.id, SESSION_DAY + timedelta(days=1))] == [
        later.id]


def test_booking_journey_pages(client, make_course, make_session, make_person, login):
    session = make_session(make_course("Permanency"))
    person = make_person("Sam", "Okafor")
    login(person)
    page = text(client.get(f"/sessions/{session.id}/book"))
    assert "Confirm and book" in page and "Middlesbrough House, Room 2" in page
    response = client.post(f"/sessions/{session.id}/book")
    assert response.status_code == 302
    page = text(client.get(response.headers["Location"]))
    assert "Your place is booked" in page
    assert "Download the calendar invitation" in page
    assert "You can cancel this place yourself until 3 December 2026" in page
    page = text(client.get("/bookings"))
    assert "Coming up" in page and "Permanency" in page and "Booked" in page
    again = client.post(f"/sessions/{session.id}/book")
    assert again.status_code == 200
    assert "There is a problem" in text(again)
    assert "You already have a place" in text(again)
    assert text(again).startswith("<!DOCTYPE html>") and "<title>Error:" in text(again)


def test_cancel_page_and_cut_off(client, make_course, make_session, make_person, login):
    session = make_session(make_course())
    person = make_person()
    booking = services.book_place(session, person, person, clock.now())
    db.session.commit()
    notifications.discard()
    login(person)
    clock.freeze(at(SESSION_DAY - timedelta(days=3), 9))  # Friday 4 December: past the cut-off
    page = text(client.get(f"/bookings/{booking.id}"))
    assert "Contact the OD team to cancel your place" in page
    response = client.post(f"/bookings/{booking.id}/cancel", data={"reason": ""})
    assert "You can only cancel up to 2 working days before the session" in text(response)
    assert db.session.get(Booking, booking.id).state == rules.BOOKED


def test_cut_off_is_configurable(app, client, make_course, make_session, make_person, login, monkeypatch):
    monkeypatch.setitem(app.config, "BOOKING_CANCEL_CUTOFF_WORKING_DAYS", 11)
    session = make_session(make_course())
    person = make_person()
    booking = services.book_place(session, person, person, clock.now())
    db.session.commit()
    notifications.discard()
    login(person)
    assert "You can only cancel up to 11 working days" in text(
        client.post(f"/bookings/{booking.id}/cancel", data={"reason": ""}))


def test_manager_queue_shows_mandatory_training_and_decides(client, offer, make_session, make_person, login):
    from lnd.courses.queries import course_by_slug

    course = course_by_slug("absence-management")
    session = make_session(course, capacity=1)
    manager = make_person("Morgan", "Ellis", roles=["staff", "manager"])
    aspiring = make_person("Aisha", "Begum", manager=manager, aspiring_manager=True, start_date=clock.today() -
                           timedelta(days=200))
    login(aspiring)
    page = text(client.get(f"/sessions/{session.id}/book"))
    assert "Send request to my manager" in page and "Aspiring managers need their manager" in page
    client.post(f"/sessions/{session.id}/book")
    client.post("/logout")
    login(manager)
    queue = text(client.get("/approvals"))
    assert "Aisha Begum" in queue and "Absence Management" in queue
    assert "overdue" in queue and "required courses completed" in queue
    booking = db.session.scalar(select(Booking).where(Booking.person_id == aspiring.id))
    decide = text(client.get(f"/approvals/{booking.id}"))
    assert "Aisha’s required learning" in decide
    missing = client.post(f"/approvals/{booking.id}", data={"decision": "decline", "reason": ""})
    assert "Enter the reason for declining the request" in text(missing)
    done = client.post(f"/approvals/{booking.id}", data={"decision": "approve"}, follow_redirects=True)
    assert "approved and the place is booked" in text(done)
    assert db.session.get(Booking, booking.id).state == rules.BOOKED
    assert "There are no requests waiting" in text(client.get("/approvals"))


def test_od_creates_a_session_with_error_summary_then_runs_it(client, make_course, make_person, login, od):
    course = make_course("Court Skills & Pre Proceedings", parts=2)
    login(od)
    page = text(client.get(f"/sessions/new/{course.slug}"))
    assert "Part 1 of 2" in page and "Part 2 of 2" in page
    bad = client.post(f"/sessions/new/{course.slug}", data={
        "capacity": "lots", "parts-0-day": ["31", "2", "2027"], "parts-0-start_time": "9am",
        "parts-0-end_time": "12:00", "parts-1-day": ["", "", ""], "parts-1-start_time": "",
        "parts-1-end_time": ""})
    body = text(bad)
    assert "There is a problem" in body
    for sentence in ("Number of places must be a whole number, like 20", "The date of this part must be a real date",
                     "Enter the start time in the 24-hour clock, for example 09:30", "Enter the date of this part"):
        assert sentence in body
    assert 'href="#parts-0-day"' in body
    good = client.post(f"/sessions/new/{course.slug}", data={
        "capacity": "12", "parts-0-day": ["7", "12", "2026"], "parts-0-start_time": "09:30",
        "parts-0-end_time": "12:30", "parts-0-venue": "Middlesbrough House",
        "parts-1-day": ["14", "12", "2026"], "parts-1-start_time": "9.30", "parts-1-end_time": "1230",
        "parts-1-joining_url": "https://teams.example.org/meet/2", "facilitator": "Jo Facilitator",
        "booking_closes_on": ["1", "12", "2026"]})
    assert good.status_code == 302, text(good)[:2000]
    session = db.session.scalar(select(CourseSession))
    assert [p.starts_at for p in session.parts] == [at(SESSION_DAY, 9, 30), at(SESSION_DAY + timedelta(days=7), 9, 30)]
    assert session.capacity == 12
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "session_created")) is not None
    page = text(client.get(f"/sessions/{session.id}"))
    assert "Change the number of places" in page and "Printable sign-in sheet" in page
    edit = text(client.get(f"/sessions/{session.id}/edit"))
    assert 'value="09:30"' in edit and "Number of places" not in edit
    assert "Court Skills &amp; Pre Proceedings" in text(client.get("/sessions"))

    attendees = [make_person(f"Attendee{i}") for i in range(2)]
    for person in attendees:
        services.book_place(session, person, person, clock.now())
    db.session.commit()
    notifications.discard()
    sheet = text(client.get(f"/sessions/{session.id}/sign-in-sheet"))
    assert "Attendee0" in sheet and "Signature, part 2" in sheet
    capacity = client.post(f"/sessions/{session.id}/capacity", data={"capacity": "1"})
    assert "Capacity cannot be less than the 2 places already booked" in text(capacity)
    clock.freeze(at(SESSION_DAY, 16))
    bookings = db.session.scalars(select(Booking).order_by(Booking.id)).all()
    part1, part2 = session.parts
    client.post(f"/sessions/{session.id}/register/{part1.id}", data={"present": [str(b.id) for b in bookings]})
    clock.freeze(at(SESSION_DAY + timedelta(days=7), 16))
    saved = client.post(f"/sessions/{session.id}/register/{part2.id}", data={"present": [str(bookings[0].id)]},
                        follow_redirects=True)
    assert "Register saved for part 2: 1 present, 1 absent." in text(saved)
    assert [b.state for b in db.session.scalars(select(Booking).order_by(Booking.id))] == [
        rules.ATTENDED, rules.PARTLY_ATTENDED]


def test_feedback_shows_on_home_until_given_and_od_sees_it(client, make_course, make_session, make_person,
                                                           login, od):
    session = make_session(make_course("Permanency"))
    person = make_person("Sam")
    booking = services.book_place(session, person, person, clock.now())
    clock.freeze(at(SESSION_DAY, 16))
    session_services.mark_register(session, session.parts[0], {booking.id}, od, clock.now())
    db.session.commit()
    notifications.discard()
    login(person)
    home = text(client.get("/"))
    assert "Tell us what you thought of this session" in home and "Permanency" in home
    bad = client.post(f"/bookings/{booking.id}/feedback", data={"usefulness": "5"})
    assert "Select how well the session was delivered" in text(bad)
    assert "Enter what you will do differently" in text(bad)
    client.post(f"/bookings/{booking.id}/feedback", data={
        "usefulness": "5", "delivery": "4", "will_do_differently": "Plan court statements earlier",
        "comments": "Great examples"})
    assert "Tell us what you thought" not in text(client.get("/"))
    client.post("/logout")
    login(od)
    report = text(client.get(f"/sessions/{session.id}/feedback"))
    assert "Plan court statements earlier" in report and "Very good" in report and "(100%)" in report
    course_report = text(client.get(f"/sessions/course/{session.course.slug}/feedback"))
    assert "Per session" in course_report and "Great examples" in course_report


def test_record_elearning_with_a_certificate_and_od_verifies(client, make_course, make_person, login, od):
    course = make_course("Prevent", method="e_learning", link_url="https://elearning.example.org/prevent")
    manager = make_person(roles=["staff", "manager"])
    person = make_person(manager=manager)
    login(person)
    page = text(client.get(f"/courses/{course.slug}"))
    assert "Record as done" in page and "Upcoming sessions" not in page
    bad = client.post(f"/learning/{course.slug}/record", data={
        "completed_on": ["20", "11", "2026"], "certificate": (io.BytesIO(b"MZ\x90\x00 not allowed"), "cert.exe")},
        content_type="multipart/form-data")
    assert "The selected file must be a PDF, PNG, JPEG or Word (.docx) file" in text(bad)
    future = client.post(f"/learning/{course.slug}/record", data={"completed_on": ["20", "11", "2027"]})
    assert "must be today or in the past" in text(future)
    done = client.post(f"/learning/{course.slug}/record", data={
        "completed_on": ["20", "11", "2026"], "certificate": (io.BytesIO(PDF), "Prevent certificate.pdf")},
        content_type="multipart/form-data")
    assert done.status_code == 302
    completion = db.session.scalar(select(Completion))
    assert completion.source == "self_recorded" and completion.verified_at is None
    certificate = db.session.get(CompletionCertificate, completion.id)
    assert certificate.content_type == "application/pdf" and certificate.original_name == "Prevent certificate.pdf"
    download = client.get(f"/learning/records/{completion.id}/certificate")
    assert download.status_code == 200 and download.data == PDF
    assert "attachment" in download.headers["Content-Disposition"]
    client.post("/logout")
    login(manager)
    assert client.get(f"/learning/records/{completion.id}/certificate").status_code == 200
    client.post("/logout")
    login(od)
    listing = text(client.get("/learning/records"))
    assert "Prevent" in listing and "Verify" in listing
    client.post(f"/learning/records/{completion.id}/verify")
    assert db.session.get(Completion, completion.id).verified_at is not None
    assert "There is nothing to verify" in text(client.get("/learning/records"))


def test_navigation_for_each_role(client, make_person, login):
    def menu(page):
        start = page.index("govuk-service-navigation__list")
        return page[start:page.index("</ul>", start)]

    login(make_person(roles=["staff"]))
    nav = menu(text(client.get("/bookings")))
    assert 'href="/bookings"' in nav and 'href="/approvals"' not in nav and 'href="/sessions"' not in nav
    client.post("/logout")
    login(make_person(roles=["staff", "manager"]))
    nav = menu(text(client.get("/bookings")))
    assert 'href="/approvals"' in nav and 'href="/sessions"' not in nav
    client.post("/logout")
    login(make_person(roles=["staff", "od_admin"]))
    page = text(client.get("/sessions"))
    assert 'href="/approvals"' in menu(page) and 'href="/sessions"' in menu(page)
    assert "There are no upcoming sessions" in page


def test_the_book_page_says_why_before_the_button(client, make_course, make_session, make_person, login):
    course = make_course("Permanency")
    session = make_session(course)
    person = make_person()
    login(person)
    course.status = "in_development"
    db.session.commit()
    page = text(client.get(f"/sessions/{session.id}/book"))
    assert "This course cannot be booked because it is in development." in page
    assert "Confirm and book" not in page
    course.status = "retired"
    db.session.commit()
    assert client.get(f"/sessions/{session.id}/book").status_code == 404
    course.status = "active"
    db.session.commit()
    client.post(f"/sessions/{session.id}/book")
    page = text(client.get(f"/sessions/{session.id}/book"))
    assert "You already have a place" in page and "See your booking" in page


def test_no_invite_for_a_request_but_a_cancel_after_a_held_place(client, make_course, make_session, make_person,
                                                                 login):
    manager = make_person(roles=["staff", "manager"])
    person = make_person(manager=manager)
    request_only = make_session(make_course(authorisation="line_manager"))
    booked = make_session(make_course(), day=SESSION_DAY + timedelta(days=1))
    login(person)
    client.post(f"/sessions/{request_only.id}/book")
    client.post(f"/sessions/{booked.id}/book")
    asked, held = db.session.scalars(select(Booking).order_by(Booking.id)).all()
    assert client.get(f"/bookings/{asked.id}/invite.ics").status_code == 404
    assert "Download the calendar invitation" not in text(client.get(f"/bookings/{asked.id}"))
    client.post(f"/bookings/{held.id}/cancel", data={"reason": ""})
    response = client.get(f"/bookings/{held.id}/invite.ics")
    assert response.status_code == 200 and "method=CANCEL" in response.headers["Content-Type"]
