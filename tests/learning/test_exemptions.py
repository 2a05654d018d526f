"""The OD team records and removes exemptions; both are audited and the reason is shown to the person
and their managers. The course page says who must complete a course, by when, with our defaults."""
from __future__ import annotations

import re

from lnd.compliance.models import Exemption
from lnd.core.models import AuditEvent
from lnd.courses.queries import course_by_slug
from lnd.extensions import db
from tests.core.visitors import Visitor
from tests.learning.test_my_learning import _text


def _record(od, person, slug, reason="Completed the same course with Redcar and Cleveland in March 2026"):
    course = course_by_slug(slug)
    return od.post(f"/people/{person.id}/exemptions/new", data={"course": str(course.id), "reason": reason})


def test_od_records_an_exemption_and_everyone_who_may_see_it_sees_the_reason(app, people):
    od = Visitor(app, "od", people.od).sign_in()
    form = _text(od.get(f"/people/{people.starter.id}/exemptions/new"))
    assert "Record an exemption" in form and "Tri.x – Children’s Services Procedure Manual" in form
    response = _record(od, people.starter, "trix-procedure-manual")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/people/{people.starter.id}/learning")
    db.session.rollback()
    exemption = db.session.scalar(db.select(Exemption).filter_by(person_id=people.starter.id))
    assert exemption.course.slug == "trix-procedure-manual" and exemption.recorded_by_id == people.od.id
    audit = db.session.scalar(db.select(AuditEvent).filter_by(action="exemption_recorded"))
    assert audit.actor_id == people.od.id and "Noah Clarke exempted from Tri.x" in audit.summary

    reason = "Exempt Exempt: Completed the same course with Redcar and Cleveland in March 2026"
    mine = _text(Visitor(app, "starter", people.starter).sign_in().get("/my-learning"))
    assert reason in mine and "0 of 6 completed" not in mine and "1 of 6 completed or exempt" in mine
    managers = _text(Visitor(app, "manager", people.manager).sign_in().get(f"/people/{people.starter.id}/learning"))
    assert reason in managers
    assert "Exemptions" in managers and "Remove exemption" not in managers
    od_page = _text(od.get(f"/people/{people.starter.id}/learning"))
    assert "Remove exemption from Tri.x" in od_page and "by Olivia Dean" in od_page


def test_an_exemption_needs_a_required_course_a_reason_and_only_one_per_course(app, people):
    od = Visitor(app, "od", people.od).sign_in()
    refused = _text(_record(od, people.starter, "trix-procedure-manual", reason="  "))
    assert "Enter the reason, for example the prior learning it rests on" in refused
    refused = _text(_record(od, people.starter, "supervision-skills"))
    assert "Not a valid choice" in refused or "is not required of Noah Clarke" in refused
    assert _record(od, people.starter, "gdpr-training").status_code == 302
    again = _text(_record(od, people.starter, "gdpr-training"))
    assert "Not a valid choice" in again or "already exempt" in again
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(Exemption.id))) == 1


def test_od_removes_an_exemption_and_it_is_audited(app, people):
    od = Visitor(app, "od", people.od).sign_in()
    _record(od, people.starter, "trix-procedure-manual")
    page = od.get(f"/people/{people.starter.id}/learning").get_data(as_text=True)
    action = re.search(r'action="(/exemptions/\d+/remove)"', page).group(1)
    # Only the OD team: the person's manager is refused and nothing changes.
    assert Visitor(app, "manager", people.manager).sign_in().post(action, data={}).status_code == 403
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(Exemption.id))) == 1
    response = od.post(action, data={})
    assert response.status_code == 302
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(Exemption.id))) == 0
    removed = db.session.scalar(db.select(AuditEvent).filter_by(action="exemption_removed"))
    assert removed.actor_id == people.od.id and removed.before["reason"].startswith("Completed the same course")
    mine = _text(Visitor(app, "starter", people.starter).sign_in().get("/my-learning"))
    assert "Exempt:" not in mine
    assert od.post(action, data={}).status_code == 404


def test_only_od_may_record_exemptions(app, people):
    for name in ("manager", "starter"):
        visitor = Visitor(app, name, getattr(people, name)).sign_in()
        assert visitor.get(f"/people/{people.starter.id}/exemptions/new").status_code == 403
        assert _record(visitor, people.starter, "trix-procedure-manual").status_code == 403
    assert Visitor(app, "od", people.od).sign_in().get("/people/999999/exemptions/new").status_code == 404


def test_the_course_page_shows_the_rules_that_make_it_required(app, people):
    visitor = Visitor(app, "starter", people.starter).sign_in()
    trix = _text(visitor.get("/courses/trix-procedure-manual"))
    assert ("Who must complete this course Children's Services induction: Required of everyone in Children's Care "
            "within 4 weeks of starting.") in trix
    court = _text(visitor.get("/courses/court-skills-and-pre-proceedings"))
    assert ("Required of social workers within 3 years of starting (or of moving into the role), and renewed "
            "every 3 years.") in court
    assert "Our default, where the document is silent" in court
    developmental = _text(visitor.get("/courses/supervision-skills"))
    assert "Who must complete this course" not in developmental
