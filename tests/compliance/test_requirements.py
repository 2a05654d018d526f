"""The requirement rules from seed/requirements.yaml, applied to people."""
from datetime import date, datetime, timezone
from pathlib import Path
import shutil

import pytest
from sqlalchemy import event

from lnd.bookings.models import Booking, CourseSession
from lnd.compliance import queries, rules
from lnd.compliance.models import Exemption, Requirement
from lnd.compliance.seed import load_requirements
from lnd.courses.models import Completion, Course
from lnd.courses.seed_files import SeedError

TODAY = date(2026, 11, 22)


def _course(db, slug):
    return db.session.scalar(db.select(Course).filter_by(slug=slug))


def _items(person):
    return {item.course.slug: item for window in queries.required_learning(person, TODAY) for item in window.items}


def test_the_seeded_rules(db, offer):
    found = {r.slug: r for r in db.session.scalars(db.select(Requirement))}
    assert set(found) == {"childrens-services-induction", "corporate-induction", "core-offer", "core-offer-social-work"}
    assert str(found["childrens-services-induction"].window) == "4 weeks"
    assert str(found["corporate-induction"].window) == "6 months"
    assert str(found["core-offer"].renewal) == "3 years"
    assert found["core-offer"].starts_on == date(2025, 4, 1)
    assert found["core-offer-social-work"].summary == (
        "Social workers, within 3 years of starting (or of moving into the role); renewed every 3 years")


def test_loading_twice_changes_nothing(app, db, offer):
    again = load_requirements(app.config["SEED_DIR"])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)


def test_a_mistake_in_the_file_names_the_entry(app, db, offer, tmp_path):
    seed = tmp_path / "seed"
    shutil.copytree(app.config["SEED_DIR"], seed)
    text = (seed / "requirements.yaml").read_text().replace("except: [section-47-enquiry", "except: [no-such-course")
    (seed / "requirements.yaml").write_text(text)
    with pytest.raises(SeedError, match="requirement 'core-offer' names unknown course.*no-such-course"):
        load_requirements(seed)


def test_windows_are_listed_shortest_first(db, offer):
    assert [key for key, _ in queries.windows_in_order()] == [
        "childrens-services-induction", "corporate-induction", "childrens-services-core-training"]


def test_a_family_support_worker_has_no_social_work_courses(db, offer, make_person):
    person = make_person(job_role="Family Support Worker", start_date=date(2026, 11, 9))
    items = _items(person)
    assert "analytical-assessments" in items
    assert "section-47-enquiry" not in items and "court-skills-and-pre-proceedings" not in items
    assert "permanency" not in items, "courses in development are not yet required"
    assert items["lcs-ehm-training"].status.due_on == date(2026, 12, 7)
    assert items["gdpr-training"].status.due_on == date(2027, 5, 9)
    assert items["analytical-assessments"].status.due_on == date(2029, 11, 9)


def test_a_social_worker_has_section_47_counted_from_moving_into_the_role(db, offer, make_person):
    person = make_person(job_role="Social Worker", start_date=date(2018, 5, 1))
    person.job_role_since = date(2026, 2, 2)
    db.session.commit()
    items = _items(person)
    assert items["section-47-enquiry"].status.due_on == date(2029, 2, 2)
    assert items["analytical-assessments"].status.due_on == date(2028, 4, 1), "counted from the rule's start"
    assert items["lcs-ehm-training"].status.kind == rules.OVERDUE
    assert items["lcs-ehm-training"].status.due_on == date(2025, 4, 29)


def test_exemptions_completions_and_bookings_show_in_the_statuses(db, offer, make_person):
    person = make_person(start_date=date(2026, 11, 9))
    trix, threshold, gdpr = (_course(db, s) for s in ("trix-procedure-manual", "threshold-training", "gdpr-training"))
    db.session.add(Exemption(person_id=person.id, course_id=threshold.id, reason="Completed at a previous authority"))
    db.session.add(Completion(person_id=person.id, course_id=gdpr.id, completed_on=date(2026, 11, 12), source="import"))
    session = CourseSession(course_id=trix.id, capacity=10, taken=1,
                            starts_at=datetime(2026, 12, 2, 10, tzinfo=timezone.utc),
                            ends_at=datetime(2026, 12, 2, 12, tzinfo=timezone.utc))
    db.session.add(session)
    db.session.flush()
    db.session.add(Booking(session_id=session.id, person_id=person.id, state="booked"))
    db.session.commit()
    items = _items(person)
    assert items["threshold-training"].status.detail == "Exempt: Completed at a previous authority"
    assert items["gdpr-training"].status.kind == rules.COMPLETED
    assert items["trix-procedure-manual"].status.kind == rules.BOOKED
    assert items["trix-procedure-manual"].status.booked_on == date(2026, 12, 2)


def test_a_leaver_has_nothing_outstanding(db, offer, make_person):
    person = make_person(start_date=date(2026, 1, 5), leaving_date=date(2026, 10, 31))
    kinds = {item.status.kind for item in _items(person).values()}
    assert kinds == {rules.NOT_APPLICABLE}


def test_the_course_page_query_names_the_rules(db, offer):
    assert [r.slug for r in queries.requirements_for_course(_course(db, "section-47-enquiry"))] == ["core-offer-social-work"]
    assert [r.slug for r in queries.requirements_for_course(_course(db, "gdpr-training"))] == ["corporate-induction"]
    assert queries.requirements_for_course(_course(db, "supervision-skills")) == []


def _count_statements(db, work) -> int:
    count = 0

    def counter(*_args):
        nonlocal count
        count += 1

    engine = db.engine
    event.listen(engine, "before_cursor_execute", counter)
    try:
        work()
    finally:
        event.remove(engine, "before_cursor_execute", counter)
    return count


def test_the_number_of_statements_does_not_grow_with_the_people(db, offer, make_person):
    from lnd.people.models import Person

    def run():
        people = db.session.scalars(db.select(Person)).all()
        queries.status_rows(people, TODAY)

    for n in range(3):
        make_person(job_role="Social Worker", start_date=date(2026, 1, 5))
    db.session.expire_all()
    few = _count_statements(db, run)
    for n in range(25):
        make_person(job_role="Family Support Worker", start_date=date(2025, 6, 2))
    db.session.expire_all()
    many = _count_statements(db, run)
    assert few == many


def test_the_window_says_when_its_clock_started(db, offer, make_person):
    settled = make_person(start_date=date(2018, 5, 1))
    newcomer = make_person(start_date=date(2026, 11, 9))
    mover = make_person(job_role="Social Worker", start_date=date(2018, 5, 1))
    mover.job_role_since = date(2026, 2, 2)
    db.session.commit()
    induction = queries.required_learning(settled, TODAY)[0]
    assert induction.basis == "Complete within 4 weeks of 1 April 2025, when this requirement began"
    assert queries.required_learning(newcomer, TODAY)[0].basis == "Complete within 4 weeks of starting"
    section_47 = _items(mover)["section-47-enquiry"]
    assert section_47.basis == "Complete within 3 years of moving into the role on 2 February 2026"


def test_my_learning_explains_a_row_counted_from_a_role_change(client, db, offer, make_person, login):
    from lnd.core import clock

    clock.freeze(TODAY)
    mover = make_person(job_role="Social Worker", start_date=date(2018, 5, 1))
    mover.job_role_since = date(2026, 2, 2)
    db.session.commit()
    login(mover)
    page = client.get("/my-learning").get_data(as_text=True)
    assert "Complete within 3 years of 1 April 2025, when this requirement began: due by 1 April 2028." in page
    assert page.count("Complete within 3 years of moving into the role on 2 February 2026") == 2  # S47, court skills


def test_a_rule_must_agree_with_the_window_the_offer_gives(app, db, offer, tmp_path):
    seed = tmp_path / "seed"
    shutil.copytree(app.config["SEED_DIR"], seed)
    text = (seed / "requirements.yaml").read_text().replace("within: 4 weeks", "within: 5 weeks")
    (seed / "requirements.yaml").write_text(text)
    with pytest.raises(SeedError, match="says within 5 weeks, but offer.yaml gives the group "
                                        "'childrens-services-induction' 4 weeks"):
        load_requirements(seed)
