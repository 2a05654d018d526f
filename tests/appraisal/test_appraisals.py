"""Recording an appraisal and reading it back: what the pages say, the pre-approved courses, the
mandatory-training snapshot kept as it was, and who may see and record."""
from datetime import date

from sqlalchemy import func, select

from lnd.bookings import rules as booking_rules
from lnd.bookings import services as booking_services
from lnd.bookings.models import Booking, CourseSession, PreApproval, SessionPart
from lnd.compliance.appraisal_models import Appraisal
from lnd.core import clock
from lnd.core.models import AuditEvent
from lnd.courses import queries as course_queries
from lnd.courses.models import Completion
from lnd.extensions import db
from tests.core.visitors import Visitor as _Visitor

ABE = "achieving-best-evidence"


def form_data(course_ids=(), **changes):
    data = {"held_on": ["20", "11", "2026"], "achievements": "Led the Smith family assessment.",
            "development_needs": "Court skills.", "goals": "Complete ABE training.",
            "course_ids": [str(i) for i in course_ids]}
    data.update(changes)
    return data


class Visitor(_Visitor):
    """A separate browser; the test's own session sees what each request committed."""

    def open(self, method, url, **kwargs):
        db.session.rollback()
        response = super().open(method, url, **kwargs)
        db.session.rollback()
        return response


def text(response):
    return response.get_data(as_text=True)


def test_the_manager_records_an_appraisal_with_an_agreed_developmental_course(app, team):
    abe = course_queries.course_by_slug(ABE)
    manager = Visitor(app, "manager", team.manager).sign_in()
    page = text(manager.get(f"/appraisals/people/{team.sam.id}/new"))
    for label in ("Date of the appraisal", "Achievements in the past 12 months", "Development needs",
                  "Goals for the coming year", "Developmental Offer courses agreed (optional)",
                  "Achieving Best Evidence", "Save appraisal", "Mandatory training today"):
        assert label in page, label
    response = manager.post(f"/appraisals/people/{team.sam.id}/new", data=form_data([abe.id]))
    assert response.status_code == 302
    appraisal = db.session.scalar(select(Appraisal))
    assert response.headers["Location"].endswith(f"/appraisals/{appraisal.id}")
    assert appraisal.held_on == date(2026, 11, 20) and appraisal.appraiser_id == team.manager.id
    assert appraisal.snapshot_on == date(2026, 11, 22)
    titles = [w["title"] for w in appraisal.training_snapshot["windows"]]
    assert titles and all(w["items"] for w in appraisal.training_snapshot["windows"])
    agreed = db.session.scalar(select(PreApproval))
    assert (agreed.person_id, agreed.course_id, agreed.appraisal_id, agreed.agreed_by_id, agreed.source) == (
        team.sam.id, abe.id, appraisal.id, team.manager.id, "appraisal")
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "appraisal_recorded")) == 1
    page = text(manager.get(f"/appraisals/{appraisal.id}"))
    for words in ("Appraisal of 20 November 2026", "Led the Smith family assessment.", "Court skills.",
                  "Complete ABE training.", "Morgan Ellis", "Achieving Best Evidence",
                  "Achieving Best Evidence</a> – pre-approved until 19 November 2027, still to be booked",
                  "Mandatory training on 22 November 2026", titles[0], "Overdue"):
        assert words in page, words
    clock.freeze(date(2027, 11, 20))    # 12 months after the appraisal, unused: the agreement has lapsed
    page = text(manager.get(f"/appraisals/{appraisal.id}"))
    assert "Achieving Best Evidence</a> – pre-approval ended on 19 November 2027 without being used" in page


def test_the_agreed_course_is_booked_without_a_request_and_the_history_says_why(app, team):
    abe = course_queries.course_by_slug(ABE)
    start = clock.now().replace(hour=10) + (date(2026, 12, 7) - date(2026, 11, 22))
    end = start.replace(hour=13)
    session = CourseSession(course=abe, capacity=10, taken=0, starts_at=start, ends_at=end,
                            parts=[SessionPart(position=1, starts_at=start, ends_at=end, venue="Room 1")])
    db.session.add(session)
    db.session.commit()
    Visitor(app, "manager", team.manager).sign_in().post(f"/appraisals/people/{team.sam.id}/new",
                                                          data=form_data([abe.id]))
    booking = booking_services.book_place(db.session.get(CourseSession, session.id), team.sam, team.sam, clock.now())
    db.session.commit()
    assert booking.state == booking_rules.BOOKED
    assert booking.events[-1].reason == "Agreed at appraisal on 20 November 2026 by Morgan Ellis."
    appraisal = db.session.scalar(select(Appraisal))
    page = text(Visitor(app, "sam", team.sam).sign_in().get(f"/appraisals/{appraisal.id}"))
    assert "Your appraisal" in page and "pre-approval used for a booking" in page
    assert db.session.scalar(select(Booking.decision_reason)).startswith("Agreed at appraisal")


def test_the_snapshot_is_kept_as_it_was_when_records_change(app, team):
    manager = Visitor(app, "manager", team.manager).sign_in()
    manager.post(f"/appraisals/people/{team.sam.id}/new", data=form_data())
    appraisal = db.session.scalar(select(Appraisal))
    manager.get(f"/appraisals/{appraisal.id}")   # shows the "saved" banner once
    before = text(manager.get(f"/appraisals/{appraisal.id}"))
    first = appraisal.training_snapshot["windows"][0]["items"][0]
    assert first["kind"] == "overdue" and first["completed_on"] is None
    course = course_queries.course_by_slug(first["course_slug"])
    db.session.add(Completion(person_id=team.sam.id, course_id=course.id, completed_on=date(2026, 11, 21),
                              source="od_recorded"))
    db.session.commit()
    clock.freeze(date(2027, 2, 1))
    assert text(manager.get(f"/appraisals/{appraisal.id}")) == before
    assert text(manager.get(f"/appraisals/{appraisal.id}/print")).count("21 November 2026") == 0


def test_missing_answers_are_listed_at_the_top_and_by_each_field(app, team):
    manager = Visitor(app, "manager", team.manager).sign_in()
    response = manager.post(f"/appraisals/people/{team.sam.id}/new",
                            data={"held_on": ["", "", ""], "achievements": "", "development_needs": "", "goals": ""})
    page = text(response)
    assert response.status_code == 200 and "There is a problem" in page
    for message in ("Enter the date of the appraisal", "Enter their achievements in the past 12 months",
                    "Enter their development needs", "Enter their goals for the coming year"):
        assert page.count(message) == 2, message
    page = text(manager.post(f"/appraisals/people/{team.sam.id}/new",
                             data=form_data(held_on=["1", "12", "2026"])))
    assert "The date of the appraisal must be today or in the past" in page
    page = text(manager.post(f"/appraisals/people/{team.sam.id}/new",
                             data=form_data([course_queries.course_by_slug("life-story-work").id])))
    assert "Choose courses from the Developmental Offer list" in page
    assert db.session.scalar(select(func.count()).select_from(Appraisal)) == 0


def test_who_sees_and_who_records(app, team):
    manager = Visitor(app, "manager", team.manager).sign_in()
    manager.post(f"/appraisals/people/{team.sam.id}/new", data=form_data())
    appraisal_id = db.session.scalar(select(Appraisal.id))
    pages = [f"/appraisals/people/{team.sam.id}", f"/appraisals/{appraisal_id}", f"/appraisals/{appraisal_id}/print"]
    for name in ("sam", "manager", "senior", "od"):
        visitor = Visitor(app, name, getattr(team, name)).sign_in()
        assert all(visitor.get(url).status_code == 200 for url in pages), name
    for name in ("peer", "other"):
        visitor = Visitor(app, name, getattr(team, name)).sign_in()
        assert all(visitor.get(url).status_code == 404 for url in pages), name
    new = f"/appraisals/people/{team.sam.id}/new"
    assert Visitor(app, "senior", team.senior).sign_in().get(new).status_code == 200
    assert Visitor(app, "sam", team.sam).sign_in().get(new).status_code == 403
    assert Visitor(app, "od", team.od).sign_in().get(new).status_code == 403
    assert Visitor(app, "peer", team.peer).sign_in().get(new).status_code == 404
    page = text(Visitor(app, "sam", team.sam).sign_in().get(f"/appraisals/people/{team.sam.id}"))
    assert "Your appraisals" in page and "Record an appraisal" not in page and "20 November 2026" in page


def test_the_managers_list_puts_overdue_first_with_dates(app, team):
    manager = Visitor(app, "manager", team.manager).sign_in()
    manager.post(f"/appraisals/people/{team.peer.id}/new", data=form_data(held_on=["1", "12", "2025"]))
    page = text(manager.get("/appraisals/"))
    assert "<strong>1</strong> overdue and <strong>1</strong> due soon, of 3 people" in page
    table = page[page.index("<tbody"):]
    order = [table.index(name) for name in ("Sam Okafor", "Peter Peer", "Noah Clarke")]
    assert order == sorted(order)
    assert "1 June 2022" in page and "1 December 2025" in page and "1 December 2026" in page
    assert "9 November 2027" in page
    assert "Graham Wilson" not in page and "Hannah Price" not in page
    overdue_only = text(manager.get("/appraisals/?status=overdue"))
    assert "Sam Okafor" in overdue_only and "Noah Clarke" not in overdue_only
    od_page = text(Visitor(app, "od", team.od).sign_in().get("/appraisals/"))
    assert "Hannah Price" in od_page and "Graham Wilson" in od_page and "Record appraisal" not in od_page
    assert Visitor(app, "sam", team.sam).sign_in().get("/appraisals/").status_code == 403


def test_od_sees_everyone_a_page_at_a_time(app, team, make_person, monkeypatch):
    from lnd.compliance import appraisal_queries

    monkeypatch.setattr(appraisal_queries, "PER_PAGE", 3)
    od = Visitor(app, "od", team.od).sign_in()
    first, second = (text(od.get(url)).split("<tbody")[1].split("</tbody>")[0]
                     for url in ("/appraisals/", "/appraisals/?page=2"))
    names = ["Sam Okafor", "Noah Clarke", "Peter Peer", "Graham Wilson", "Morgan Ellis", "Hannah Price", "Olivia Dean"]
    on_first = {n for n in names if n in first}
    on_second = {n for n in names if n in second}
    assert len(on_first) == 3 and len(on_second) == 3 and on_first.isdisjoint(on_second)
    assert "Sam Okafor" in on_first   # overdue longest, so on the first page
    assert 'rel="next"' in text(od.get("/appraisals/"))
