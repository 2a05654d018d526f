"""Keeping CPD records: from a completed course in one click, the form's errors, changes, My CPD,
the printable page and the CSV laid out like the Social Work England form, and the home page."""
import csv
import io
import re
from datetime import date

from lnd.core import clock
from lnd.core.models import AuditEvent
from lnd.courses.models import Completion, Course
from lnd.cpd.models import CpdRecord

TODAY = date(2026, 11, 22)


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def _complete(db, person, slug: str, on: date) -> Completion:
    course = db.session.scalar(db.select(Course).filter_by(slug=slug))
    completion = Completion(person_id=person.id, course_id=course.id, completed_on=on, source="attendance")
    db.session.add(completion)
    db.session.commit()
    return completion


def _form(**overrides) -> dict:
    data = {
        "activity_type": "course", "title": "Analytical Assessments", "activity_date": ["14", "3", "2026"],
        "hours": "3", "description": "The Core Offer seminar on analytical assessments.",
        "learning": "Hypotheses, and testing them against what the child says.",
        "impact": "My assessments now say what life is like for the child.",
        "peer_name": "", "peer_role": "", "peer_discussed_on": ["", "", ""], "peer_learning": "",
    }
    data.update(overrides)
    return data


PEER = {"peer_name": "Morgan Ellis", "peer_role": "manager_supervisor", "peer_discussed_on": ["20", "3", "2026"],
        "peer_learning": "We agreed to use hypotheses in group supervision."}


def test_a_completed_core_course_becomes_a_cpd_record_in_one_click(client, db, offer, make_person, login):
    clock.freeze(TODAY)
    sam = make_person("Sam", "Okafor", swe="SW100004", start_date=date(2021, 6, 1), job_role="Social Worker")
    completion = _complete(db, sam, "analytical-assessments", date(2026, 3, 14))
    login(sam)

    home = client.get("/").get_data(as_text=True)
    assert "Completed on 14 March 2026" in home
    link = re.search(r'href="([^"]+)">Record<span class="govuk-visually-hidden"> Analytical Assessments</span> as CPD',
                     home)
    assert link, "the home page offers to record the completed course as CPD"
    url = link.group(1).replace("&amp;", "&")

    form = client.get(url)
    assert form.status_code == 200
    page = form.get_data(as_text=True)
    assert 'value="Analytical Assessments"' in page
    assert 'name="activity_date" type="text" value="14"' in page or 'value="14"' in page
    assert "From your completion of Analytical Assessments on 14 March 2026" in page

    response = client.post(url, data=_form(**PEER))
    assert response.status_code == 302
    record = db.session.scalar(db.select(CpdRecord))
    assert record.completion_id == completion.id
    assert record.has_peer_reflection and record.peer_role == "manager_supervisor"
    assert record.activity_date == date(2026, 3, 14) and str(record.hours) == "3.00"
    assert db.session.scalar(db.select(AuditEvent).filter_by(action="cpd_recorded")).entity_id == str(record.id)

    # The same completion again leads to the record already made, not a second one.
    again = client.get(url)
    assert again.status_code == 302 and again.headers["Location"].endswith(f"/cpd/records/{record.id}")
    assert db.session.scalar(db.select(db.func.count(CpdRecord.id))) == 1

    # One more piece without a peer reflection: ready for renewal.
    client.post("/cpd/records/new", data=_form(title="Reading on neglect", activity_type="reading",
                                               activity_date=["1", "10", "2026"]))
    home = _text(client.get("/"))
    assert "Your CPD for Social Work England renewal" in home
    assert "Ready for renewal" in home
    assert "2 pieces of CPD recorded, 1 with a peer reflection" in home
    assert "8 days until 30 November 2026" in home


def test_someone_elses_completion_cannot_start_a_record(client, db, offer, make_person, login):
    clock.freeze(TODAY)
    sam, other = make_person("Sam"), make_person("Other")
    theirs = _complete(db, other, "analytical-assessments", date(2026, 3, 14))
    login(sam)
    assert client.get(f"/cpd/records/new?completion={theirs.id}").status_code == 404
    course_id = theirs.course_id
    assert client.get(f"/cpd/records/new?course={course_id}&completed_on=2026-03-14").status_code == 404
    assert client.get(f"/cpd/records/new?course={course_id}&completed_on=not-a-date").status_code == 404
    assert client.post(f"/cpd/records/new?completion={theirs.id}", data=_form()).status_code == 404
    assert db.session.scalar(db.select(db.func.count(CpdRecord.id))) == 0


def test_missing_answers_are_listed_in_an_error_summary(client, db, make_person, login):
    clock.freeze(TODAY)
    login(make_person(swe="SW1"))
    response = client.post("/cpd/records/new", data={"activity_date": ["", "", ""]})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Error: Record CPD" in page
    assert "govuk-error-summary" in page
    for message in ("Select the type of CPD activity", "Enter a title for the CPD",
                    "Enter the date of the CPD activity",
                    "Enter a description of the activity and why it is relevant to you",
                    "Enter what you learnt from the activity",
                    "Enter the impact on your practice and on the people you work with"):
        assert message in page
    assert 'href="#activity_type"' in page
    assert db.session.scalar(db.select(db.func.count(CpdRecord.id))) == 0


def test_a_started_peer_reflection_needs_who_their_role_and_what_was_learnt(client, db, make_person, login):
    clock.freeze(TODAY)
    login(make_person())
    page = client.post("/cpd/records/new", data=_form(peer_discussed_on=["1", "4", "2026"])).get_data(as_text=True)
    assert "Enter the name of the peer you discussed the CPD with" in page
    assert "Select who the peer is" in page
    assert "Enter what you learnt from discussing the CPD with your peer" in page
    assert db.session.scalar(db.select(db.func.count(CpdRecord.id))) == 0


def test_dates_must_be_real_and_not_in_the_future(client, db, make_person, login):
    clock.freeze(TODAY)
    login(make_person())
    page = client.post("/cpd/records/new", data=_form(activity_date=["31", "2", "2026"])).get_data(as_text=True)
    assert "The date of the CPD activity must be a real date" in page
    page = client.post("/cpd/records/new", data=_form(activity_date=["", "2", "2026"])).get_data(as_text=True)
    assert "The date of the CPD activity must include a day" in page
    page = client.post("/cpd/records/new", data=_form(activity_date=["23", "11", "2026"])).get_data(as_text=True)
    assert "The date of the CPD activity must be today or in the past" in page
    page = client.post("/cpd/records/new", data=_form(hours="three")).get_data(as_text=True)
    assert "Enter the hours as a number, like 3 or 1.5" in page
    page = client.post("/cpd/records/new", data=_form(activity_date=["2"])).get_data(as_text=True)  # a broken form
    assert "The date of the CPD activity must include a month and a year" in page
    assert db.session.scalar(db.select(db.func.count(CpdRecord.id))) == 0


def test_the_owner_changes_and_deletes_a_record(client, db, make_person, make_record, login):
    clock.freeze(TODAY)
    owner = make_person()
    record = make_record(owner, date(2026, 5, 1))
    login(owner)
    form = client.get(f"/cpd/records/{record.id}/edit").get_data(as_text=True)
    assert 'value="Reading on neglect"' in form
    response = client.post(f"/cpd/records/{record.id}/edit", data=_form(title="Neglect: the briefing", **PEER))
    assert response.status_code == 302
    db.session.refresh(record)
    assert record.title == "Neglect: the briefing" and record.has_peer_reflection
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="cpd_updated"))
    assert event.before["title"] == "Reading on neglect" and event.after["title"] == "Neglect: the briefing"

    assert "Are you sure you want to delete this CPD record?" in client.get(f"/cpd/records/{record.id}/delete").get_data(as_text=True)
    assert client.post(f"/cpd/records/{record.id}/delete").status_code == 302
    assert db.session.scalar(db.select(db.func.count(CpdRecord.id))) == 0
    assert db.session.scalar(db.select(AuditEvent).filter_by(action="cpd_deleted")) is not None


def test_my_cpd_shows_the_year_and_learning_not_yet_recorded(client, db, offer, make_person, make_record, login):
    clock.freeze(TODAY)
    sam = make_person("Sam", "Okafor", swe="SW100004")
    make_record(sam, date(2026, 2, 1), peer=True, title="This year’s reading")
    make_record(sam, date(2025, 11, 30), title="Last year’s reading")
    _complete(db, sam, "neglect", date(2026, 2, 12))
    login(sam)
    page = _text(client.get("/cpd"))
    assert "My CPD" in page and "1 December 2025 to 30 November 2026" in page
    assert "This year’s reading" in page and "Last year’s reading" not in page
    assert "Not ready for renewal" in page and "1 more piece of CPD" in page
    assert "Learning you could record as CPD" in page and "Neglect, completed on 12 February 2026" in page
    last_year = _text(client.get("/cpd?year=2025"))
    assert "1 December 2024 to 30 November 2025" in last_year
    assert "Last year’s reading" in last_year and "This year’s reading" not in last_year
    assert "Ready for renewal" not in last_year


def test_people_who_are_not_social_workers_keep_cpd_without_readiness(client, db, make_person, login):
    clock.freeze(TODAY)
    noah = make_person("Noah", job_role="Family Support Worker")
    login(noah)
    assert "Your CPD for Social Work England renewal" not in client.get("/").get_data(as_text=True)
    page = _text(client.get("/cpd"))
    assert "Readiness for Social Work England renewal only applies to registered social workers" in page
    assert client.post("/cpd/records/new", data=_form()).status_code == 302
    assert "Analytical Assessments" in _text(client.get("/cpd"))


def test_printable_page_and_csv_follow_the_social_work_england_form(client, db, offer, make_person, make_record,
                                                                      login):
    clock.freeze(TODAY)
    sam = make_person("Sam", "Okafor", swe="SW100004", employee_number="D1004")
    completion = _complete(db, sam, "analytical-assessments", date(2026, 3, 14))
    make_record(sam, date(2026, 3, 14), peer=True, title="Analytical Assessments", completion=completion)
    formula = make_record(sam, date(2026, 6, 1), title="=HYPERLINK(\"http://evil\")")
    formula.hours = 1.5
    db.session.commit()
    make_record(sam, date(2025, 6, 1), title="Another year")
    login(sam)

    page = _text(client.get(f"/cpd/people/{sam.id}/print?year=2026"))
    assert "CPD for the registration year 1 December 2025 to 30 November 2026" in page
    assert "CPD 1 of 2: Analytical Assessments" in page
    order = ["Title of CPD", "Date of CPD", "Type of CPD", "Description of the activity and why it is relevant to you",
             "What you learnt from the activity", "The impact on your practice and on the people you work with",
             "Peer reflection: who you discussed it with", "Peer reflection: their role",
             "Peer reflection: what you learnt from discussing it with a peer"]
    positions = [page.index(label) for label in order]
    assert positions == sorted(positions)
    assert "My line manager or supervisor" in page
    assert "Another year" not in page

    response = client.get(f"/cpd/people/{sam.id}/cpd.csv?year=2026")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="cpd-d1004-2025-2026.csv"'
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:9] == ["Name", "Social Work England registration number", "CPD number", "Title of CPD",
                           "Date of CPD", "Type of CPD",
                           "Description of the activity and why it is relevant to you",
                           "What you learnt from the activity",
                           "The impact on your practice and on the people you work with"]
    assert rows[0][-3:] == ["Hours", "Linked course", "Evidence files"]
    assert len(rows) == 3
    first = dict(zip(rows[0], rows[1]))
    assert first["Name"] == "Sam Okafor" and first["CPD number"] == "1"
    assert first["Date of CPD"] == "14 March 2026" and first["Type of CPD"] == "Reading, research, a podcast or a video"
    assert first["Peer reflection: who you discussed it with"] == "Morgan Manager"
    assert first["Peer reflection: their role"] == "My line manager or supervisor"
    assert first["Linked course"] == "Analytical Assessments, completed on 14 March 2026"
    second = dict(zip(rows[0], rows[2]))
    assert second["Title of CPD"] == "'=HYPERLINK(\"http://evil\")"     # never run as a formula
    assert second["Hours"] == "1.5"
    assert second["Peer reflection: who you discussed it with"] == ""


def test_an_attended_session_fills_in_the_hours(client, db, offer, make_person, login):
    from datetime import datetime, timezone

    from lnd.bookings.models import Attendance, Booking, CourseSession, SessionPart
    from lnd.bookings.rules import ATTENDED

    clock.freeze(TODAY)
    sam = make_person("Sam")
    completion = _complete(db, sam, "analytical-assessments", date(2026, 3, 21))
    utc = timezone.utc
    session = CourseSession(course_id=completion.course_id, capacity=10, taken=1,
                            starts_at=datetime(2026, 3, 14, 9, 30, tzinfo=utc), ends_at=datetime(2026, 3, 21, 16, 0, tzinfo=utc))
    session.parts = [SessionPart(position=1, starts_at=datetime(2026, 3, 14, 9, 30, tzinfo=utc),
                                 ends_at=datetime(2026, 3, 14, 12, 30, tzinfo=utc)),
                     SessionPart(position=2, starts_at=datetime(2026, 3, 21, 13, 0, tzinfo=utc),
                                 ends_at=datetime(2026, 3, 21, 16, 0, tzinfo=utc)),
                     SessionPart(position=3, starts_at=datetime(2026, 3, 21, 9, 0, tzinfo=utc),
                                 ends_at=datetime(2026, 3, 21, 10, 30, tzinfo=utc))]
    db.session.add(session)
    db.session.flush()
    booking = Booking(session_id=session.id, person_id=sam.id, state=ATTENDED, completion_id=completion.id)
    db.session.add(booking)
    db.session.flush()
    db.session.add_all([Attendance(booking_id=booking.id, part_id=session.parts[0].id, present=True),
                        Attendance(booking_id=booking.id, part_id=session.parts[2].id, present=False)])
    db.session.commit()
    login(sam)
    page = client.get(f"/cpd/records/new?completion={completion.id}").get_data(as_text=True)
    assert re.search(r'name="hours"[^>]*value="6"', page), "3 hours present + 3 hours unmarked; the missed part not counted"
