"""The supervision pages as their people use them: drafting with GOV.UK error summaries, signing,
planning, recording, acknowledging, reviewing, training needs, the menu entry, and planned sessions
in both people's private calendar feeds (parsed back with icalendar)."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from icalendar import Calendar

from lnd.bookings.models import Booking, CalendarFeed
from lnd.extensions import db
from lnd.supervision import rules, session_services
from lnd.supervision.models import HELD, SupervisionAgreement, SupervisionSession
from tests.core.visitors import Visitor
from tests.supervision.conftest import TODAY, at


def visitor(app, person) -> Visitor:
    return Visitor(app, person.first_name, person).sign_in()


def text(response) -> str:
    return response.get_data(as_text=True)


def fresh():
    """End the test's own snapshot so that it sees (and can write after) what requests committed."""
    db.session.rollback()
    return db.session


def test_drafting_an_agreement_with_a_school_dsl(app, people):
    csaws = visitor(app, people.csaws)
    page = text(csaws.get("/supervision/agreements/new"))
    assert "Draft a supervision agreement" in page
    assert "The standard wording" in page and "Attendance lead supervision" in page
    assert "provide challenge and prevent drift" in page

    response = csaws.post("/supervision/agreements/new", data={"supervisee_email": "nobody@example.org",
                                                                "kind": "dsl", "frequency": "monthly"})
    page = text(response)
    assert response.status_code == 200
    assert "There is a problem" in page and "<title>Error:" in page
    assert "Enter where supervision is usually held" in page
    assert "Enter the date the agreement starts" in page

    form = {"supervisee_email": "nobody@example.org", "kind": "dsl", "frequency": "monthly",
            "usual_place": "Riverside Primary School", "starts_on": ["2", "11", "2026"]}
    page = text(csaws.post("/supervision/agreements/new", data=form))
    assert "Enter the email address of someone who uses this service" in page

    response = csaws.post("/supervision/agreements/new", data={**form, "supervisee_email": people.dsl.email.upper()})
    assert response.status_code == 302
    agreement = fresh().scalar(db.select(SupervisionAgreement))
    assert response.headers["Location"].endswith(f"/supervision/agreements/{agreement.id}")
    assert (agreement.supervisee_id, agreement.kind, agreement.review_due_on) == (people.dsl.id, "dsl",
                                                                                 date(2027, 11, 2))
    page = text(csaws.get(f"/supervision/agreements/{agreement.id}"))
    assert "Not signed yet" in page and "is not in force until both" in page
    assert "<li>offer advice and guidance on complex cases</li>" in page
    assert "Sign the agreement" in page


def test_both_sign_through_the_page(app, people, make_agreement):
    agreement = make_agreement(people.csaws, people.dsl, rules.DSL, signed=None)
    url = f"/supervision/agreements/{agreement.id}"
    dsl = visitor(app, people.dsl)
    page = text(dsl.post(f"{url}/sign", data={}))
    assert "There is a problem" in page and "Confirm that you have read the agreement and agree to it" in page
    assert dsl.post(f"{url}/sign", data={"confirm": "y"}).status_code == 302
    page = text(dsl.get(url))
    assert "Awaiting the supervisor&#39;s signature" in page and "Sign the agreement</h2>" not in page
    csaws = visitor(app, people.csaws)
    csaws.post(f"{url}/sign", data={"confirm": "y"})
    page = text(csaws.get(url))
    assert "In force" in page and "23 November 2026 at 09:00" in page
    assert "Review and renew the agreement" in page


def test_changing_before_signing_and_reviewing_once_in_force(app, people, make_agreement):
    draft = make_agreement(people.csaws, people.dsl, rules.ATTENDANCE, signed="supervisor")
    csaws = visitor(app, people.csaws)
    page = text(csaws.get(f"/supervision/agreements/{draft.id}/change"))
    assert "Change the agreement" in page and "Children Missing Education" in page
    response = csaws.post(f"/supervision/agreements/{draft.id}/change", data={
        "frequency": "fortnightly", "usual_place": "The attendance office", "starts_on": ["1", "9", "2026"],
        "purpose": "Our own purpose.", "terms": ""})
    assert response.status_code == 302
    db.session.rollback()
    draft = db.session.get(SupervisionAgreement, draft.id)
    assert draft.state == rules.AWAITING_BOTH and draft.purpose == "Our own purpose."
    assert "properly and promptly recorded by CSAWS" in draft.terms   # emptied: the standard wording again

    in_force = make_agreement(people.csaws, people.dsl, rules.DSL, starts_on=date(2025, 12, 1))
    page = text(csaws.get(f"/supervision/agreements/{in_force.id}/change"))
    assert "Review and renew the agreement" in page and 'value="2027"' in page
    response = csaws.post(f"/supervision/agreements/{in_force.id}/change", data={
        "frequency": "monthly", "usual_place": "The family room", "review_due_on": ["", "", ""],
        "purpose": in_force.purpose, "terms": in_force.terms})
    assert response.status_code == 302
    db.session.rollback()
    renewed = db.session.get(SupervisionAgreement, in_force.id)
    assert renewed.last_reviewed_on == TODAY and renewed.review_due_on == date(2027, 11, 23)
    assert renewed.state == rules.AWAITING_BOTH


def test_plan_record_the_next_day_and_acknowledge(app, people, make_agreement):
    agreement = make_agreement(people.csaws, people.dsl, rules.DSL)
    csaws = visitor(app, people.csaws)
    page = text(csaws.get(f"/supervision/agreements/{agreement.id}/sessions/new"))
    assert agreement.usual_place in page and 'value="90"' in page
    page = text(csaws.post(f"/supervision/agreements/{agreement.id}/sessions/new",
                           data={"day": ["20", "11", "2026"], "start_time": "25:00", "minutes": "90", "place": "x"}))
    assert "Enter the start time in the 24-hour clock" in page
    response = csaws.post(f"/supervision/agreements/{agreement.id}/sessions/new",
                          data={"day": ["20", "11", "2026"], "start_time": "15:30", "minutes": "90",
                                "place": "The family room"})
    assert response.status_code == 302
    session = fresh().scalar(db.select(SupervisionSession))
    assert session.planned_starts_at == at(date(2026, 11, 20), 15, 30)

    record_url = f"/supervision/sessions/{session.id}/record"
    page = text(csaws.get(record_url))
    assert 'value="20"' in page and "Observation of practice" not in page   # DSL supervision: no observation
    page = text(csaws.post(record_url, data={"held_on": ["20", "11", "2026"], "duration_minutes": "80",
                                             "place": "The family room", "discussion": ""}))
    assert "Select at least one area the supervision covered" in page and "Enter what was discussed" in page
    response = csaws.post(record_url, data={
        "held_on": ["20", "11", "2026"], "duration_minutes": "80", "place": "The family room",
        "agenda": ["wellbeing", "casework"], "discussion": "Two referrals.", "decisions": "Refer both."})
    assert response.status_code == 302
    page = text(csaws.get(f"/supervision/sessions/{session.id}"))
    assert "Recorded on time" in page and "Wellbeing, Casework" in page and "Not acknowledged yet" in page

    response = csaws.post(f"/supervision/sessions/{session.id}/actions/new", data={
        "description": "Update the log", "owner": "supervisee", "due_on": ["4", "12", "2026"]})
    assert response.status_code == 302

    dsl = visitor(app, people.dsl)
    index = text(dsl.get("/supervision"))
    assert "Records to read and acknowledge" in index and "Update the log" in index
    page = text(dsl.get(f"/supervision/sessions/{session.id}"))
    assert "Add comments and acknowledge" in page and "Mark as done" in page
    response = dsl.post(f"/supervision/sessions/{session.id}/acknowledge",
                        data={"comments": "The second referral was made on Monday."})
    assert response.status_code == 302
    page = text(dsl.get(f"/supervision/sessions/{session.id}"))
    assert "Acknowledged 23 November 2026" in page and "The second referral was made on Monday." in page
    assert dsl.get(f"/supervision/sessions/{session.id}/acknowledge").status_code == 302


def test_a_late_record_is_shown_as_late(app, people, make_agreement, plan):
    agreement = make_agreement(people.manager, people.worker)
    session = plan(agreement, date(2026, 11, 18))
    manager = visitor(app, people.manager)
    page = text(manager.get(f"/supervision/sessions/{session.id}/record"))
    assert "Observation of practice" in page
    response = manager.post(f"/supervision/sessions/{session.id}/record", data={
        "held_on": ["18", "11", "2026"], "duration_minutes": "60", "place": "Room 3", "agenda": ["casework"],
        "discussion": "Caseload.", "observation": "y", "observation_notes": "Observed a visit."})
    assert response.status_code == 302
    page = text(manager.get(f"/supervision/sessions/{session.id}"))
    assert "Recorded late" in page and "due to be recorded by 19 November 2026" in page
    assert "Observed a visit." in page
    page = text(manager.get(f"/supervision/agreements/{agreement.id}"))
    assert "Last recorded 18 November 2026" in page and "Due by 18 November 2027" in page


def test_the_supervisors_list_shows_overdue_unsigned_review_and_actions(app, people, make_agreement, record, plan):
    overdue = make_agreement(people.manager, people.worker, starts_on=date(2025, 11, 10))
    record(overdue, date(2026, 9, 29))
    unsigned = make_agreement(people.manager, people.peer, signed="supervisor", starts_on=date(2026, 11, 2))
    plan(unsigned, date(2026, 11, 26))
    page = text(visitor(app, people.manager).get("/supervision"))
    assert "1 person overdue for supervision" in page
    assert "Overdue by 3 weeks" in page and "29 October 2026" in page
    assert "1 agreement not signed by both of you" in page and "Awaiting the supervisee&#39;s signature" in page
    assert "1 agreement due for review" in page and "Review overdue" in page
    assert "26 November 2026 at 14:00" in page
    report = text(visitor(app, people.senior).get("/supervision/report"))
    assert "Assessment" in report and "Wanda Worker" in report and "Overdue by 3 weeks" in report


def test_menu_entry_for_supervisors_and_people_with_an_agreement_only(app, people, make_person, make_agreement):
    foster_carer = make_person("Frances", "Hale", roles=("external_learner",), kind="fostering")
    assert 'href="/supervision"' in text(visitor(app, people.csaws).get("/"))
    assert 'href="/supervision"' not in text(visitor(app, people.dsl).get("/"))
    assert 'href="/supervision"' not in text(visitor(app, foster_carer).get("/"))
    fresh()
    make_agreement(people.csaws, people.dsl, rules.DSL, signed=None)
    assert 'href="/supervision"' in text(visitor(app, people.dsl).get("/"))
    page = text(visitor(app, foster_carer).get("/supervision"))
    assert "You have no supervision agreement in this service" in page
    assert "People you supervise" not in page


def _feed(app, person) -> Calendar:
    feed = services_feed(person)
    response = Visitor(app, "anonymous").get(f"/calendar/feed/{feed.token}.ics")
    assert response.status_code == 200
    return Calendar.from_ical(response.data)


def services_feed(person):
    from lnd.bookings import services as bookings

    fresh()
    feed = bookings.feed_for(person)
    db.session.commit()
    return feed


def _supervision_events(calendar: Calendar) -> list:
    return [e for e in calendar.walk("VEVENT") if str(e.get("uid")).startswith("supervision-")]


def test_planned_sessions_are_in_both_peoples_calendar_feeds(app, people, make_agreement, plan, record):
    agreement = make_agreement(people.csaws, people.dsl, rules.DSL)
    planned = plan(agreement, date(2026, 12, 1), hour=15)
    record(agreement, date(2026, 11, 16))
    for person, other in ((people.csaws, "David Dsl"), (people.dsl, "Sofia Csaws")):
        events = _supervision_events(_feed(app, person))
        assert len(events) == 2
        event = next(e for e in events if e.decoded("dtstart") == at(date(2026, 12, 1), 15))
        assert str(event.get("uid")) == f"supervision-{planned.uid}@example.org"
        assert str(event.get("summary")) == f"Supervision with {other}"
        assert str(event.get("location")) == agreement.usual_place
        assert event.get("dtstart").params["TZID"] == "Europe/London"
        assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(minutes=90)
        assert int(event.get("sequence")) == 0
    # Moving it keeps the UID and raises the SEQUENCE; cancelling takes it out of the feed.
    planned = fresh().get(SupervisionSession, planned.id)
    session_services.reschedule_session(planned, people.csaws, at(date(2026, 12, 2), 10), 60, "The library")
    db.session.commit()
    event = next(e for e in _supervision_events(_feed(app, people.dsl))
                 if str(e.get("uid")) == f"supervision-{planned.uid}@example.org")
    assert (int(event.get("sequence")), str(event.get("location"))) == (1, "The library")
    planned = fresh().get(SupervisionSession, planned.id)
    session_services.cancel_session(planned, people.csaws, "")
    db.session.commit()
    assert len(_supervision_events(_feed(app, people.dsl))) == 1
    # Nobody else's feed has it.
    assert _supervision_events(_feed(app, people.worker)) == []
    assert db.session.scalar(db.select(db.func.count(CalendarFeed.person_id))) == 3


def test_a_training_need_becomes_a_booking_request_through_the_pages(app, people, make_agreement, record,
                                                                      course_with_session):
    course, course_session = course_with_session("line_manager")
    agreement = make_agreement(people.manager, people.worker)
    held = record(agreement, date(2026, 11, 20))
    manager = visitor(app, people.manager)
    url = f"/supervision/sessions/{held.id}/training-needs/new"
    page = text(manager.get(url))
    assert "Choose a course" in page and course.title in page
    page = text(manager.get(f"{url}?course=no-such-course"))
    assert "There is a problem" in page and "Select a course from the offer" in page
    page = text(manager.get(f"{url}?course={course.slug}"))
    assert "agreed already" in page and "Monday 7 December 2026, 09:30 (10 places left)" in page
    response = manager.post(f"{url}?course={course.slug}", data={"course_session": str(course_session.id),
                                                                  "description": "First final hearing"})
    assert response.status_code == 302
    booking = fresh().scalar(db.select(Booking))
    assert (booking.person_id, booking.state) == (people.worker.id, "booked")
    page = text(manager.get(f"/supervision/sessions/{held.id}"))
    assert "agreed by the line manager in supervision: booked" in page


def test_ending_an_agreement_and_cancelling_a_session(app, people, make_agreement, plan):
    agreement = make_agreement(people.csaws, people.dsl, rules.DSL)
    session = plan(agreement)
    csaws = visitor(app, people.csaws)
    assert csaws.post(f"/supervision/sessions/{session.id}/cancel", data={"reason": "Illness"}).status_code == 302
    page = text(csaws.post(f"/supervision/agreements/{agreement.id}/end", data={"reason": ""}))
    assert "Enter why the agreement is ending" in page
    assert csaws.post(f"/supervision/agreements/{agreement.id}/end",
                      data={"reason": "A new supervisor."}).status_code == 302
    page = text(csaws.get(f"/supervision/agreements/{agreement.id}"))
    assert "This agreement ended on 23 November 2026: A new supervisor." in page
    assert "Plan a supervision session" not in page
    assert csaws.get(f"/supervision/agreements/{agreement.id}/sessions/new").status_code == 302


def test_a_recorded_session_cannot_be_recorded_again(app, people, make_agreement, record):
    agreement = make_agreement(people.csaws, people.dsl, rules.DSL)
    held = record(agreement, date(2026, 11, 20))
    csaws = visitor(app, people.csaws)
    response = csaws.get(f"/supervision/sessions/{held.id}/record")
    assert response.status_code == 302
    held = fresh().get(SupervisionSession, held.id)
    assert held.state == HELD and isinstance(held.recorded_at, datetime)
