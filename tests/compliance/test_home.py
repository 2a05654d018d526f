"""Each person's home page shows real content for their roles."""
from datetime import date

from lnd.core import clock
from lnd.courses.models import Completion, Course


def test_new_starter_sees_induction_courses_and_due_dates(client, db, offer, make_person, login):
    clock.freeze(date(2026, 11, 22))
    person = make_person("Noah", start_date=date(2026, 11, 9))
    gdpr = db.session.scalar(db.select(Course).filter_by(slug="gdpr-training"))
    db.session.add(Completion(person_id=person.id, course_id=gdpr.id, completed_on=date(2026, 11, 12), source="od_recorded"))
    db.session.commit()
    login(person)
    page = client.get("/").get_data(as_text=True)
    assert "Children’s Services – Induction: complete within 4 weeks of starting, by 7 December 2026" in page
    assert "Corporate induction e-learning: complete within 6 months of starting, by 9 May 2027" in page
    for title in ("LCS/EHM Training", "Tri.x – Children’s Services Procedure Manual", "SEND E Learning",
                  "PREVENT Awareness and PREVENT Referrals"):
        assert title in page
    assert "Completed on 12 November 2026" in page
    assert "1 of 3 completed" in page          # corporate induction e-learning
    assert page.index("4 weeks of starting") < page.index("6 months of starting")  # shortest window first


def test_overdue_induction_says_by_how_long(client, db, offer, make_person, login):
    clock.freeze(date(2026, 11, 22))
    person = make_person(start_date=date(2026, 9, 28))   # 4-week window closed on 26 October
    login(person)
    page = client.get("/").get_data(as_text=True)
    assert "Was due by 26 October 2026 (3 weeks overdue)" in page


def test_external_learner_has_no_required_learning(client, offer, make_person, login):
    carer = make_person("Frances", kind="fostering", organisation="Hale household", roles=["external_learner"])
    login(carer)
    page = client.get("/").get_data(as_text=True)
    assert "Your required learning" not in page
    assert "as a foster carer" in page


def test_manager_sees_team_counts(client, offer, make_person, login):
    clock.freeze(date(2026, 11, 22))
    boss = make_person("Morgan", roles=["staff", "manager"])
    lead = make_person(manager=boss, roles=["staff", "manager"])
    make_person(manager=lead, start_date=date(2026, 10, 1))
    make_person(manager=boss, start_date=date(2020, 1, 1))
    make_person(manager=boss, leaving_date=date(2026, 1, 1))   # a leaver is not counted
    login(boss)
    page = client.get("/").get_data(as_text=True)
    assert "Your team" in page
    import re
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "People you manage (direct and indirect) 3" in text
    assert "Direct reports 2" in text
    assert "In their first 6 months 1" in text


def test_od_sees_the_offer_counts(client, offer, make_person, login):
    od = make_person(roles=["staff", "od_admin"])
    login(od)
    page = client.get("/").get_data(as_text=True)
    assert "Available courses" in page
    assert "Import staff from HR" in page


def test_home_leads_to_my_learning_the_appraisals_and_the_team(client, db, offer, make_person, login):
    clock.freeze(date(2026, 11, 22))
    boss = make_person("Morgan", roles=["staff", "manager"], start_date=date(2026, 10, 5))
    make_person("Sam", manager=boss, start_date=date(2026, 11, 9))
    login(boss)
    page = client.get("/").get_data(as_text=True)
    assert 'href="/my-learning"' in page and "Go to My learning" in page
    assert f'href="/appraisals/people/{boss.id}">Your appraisals' in page
    assert 'href="/my-team"' in page
