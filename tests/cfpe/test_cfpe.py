"""The Centre for Practice Excellence commitments: new starters to contact, and career consultations."""
from datetime import date

import pytest
from sqlalchemy import select

from lnd.cfpe import rules
from lnd.cfpe.models import CareerConsultation, NewStarterContact
from lnd.core import clock
from lnd.core.models import AuditEvent
from lnd.extensions import db
from tests.core.visitors import Visitor as _Visitor

TODAY = date(2026, 11, 22)


class Visitor(_Visitor):
    def open(self, method, url, **kwargs):
        db.session.rollback()
        response = super().open(method, url, **kwargs)
        db.session.rollback()
        return response


@pytest.fixture(autouse=True)
def fixed_clock(db):
    clock.freeze(TODAY)
    yield
    clock.freeze(None)


@pytest.fixture
def people(make_person):
    from types import SimpleNamespace

    od = make_person("Olivia", "Dean", roles=["staff", "od_admin"])
    manager = make_person("Morgan", "Ellis", roles=["staff", "manager"], start_date=date(2019, 1, 14))
    return SimpleNamespace(
        od=od, manager=manager,
        noah=make_person("Noah", "Clarke", manager=manager, start_date=date(2026, 11, 9)),
        tariq=make_person("Tariq", "Malik", start_date=date(2026, 10, 19)),
        coming=make_person("Cara", "Coming", start_date=date(2026, 12, 14)),
        sam=make_person("Sam", "Okafor", manager=manager, start_date=date(2021, 6, 1)),
        early=make_person("Eddie", "Early", start_date=date(2026, 8, 21)),
        school=make_person("Sally", "School", roles=["external_learner"], kind="school", start_date=date(2026, 11, 2)),
        leaver=make_person("Lee", "Left", start_date=date(2026, 9, 1), leaving_date=date(2026, 11, 1)),
    )


@pytest.mark.parametrize("start, expected", [
    (date(2026, 8, 22), True),     # exactly 3 months ago
    (date(2026, 8, 21), False),
    (date(2026, 11, 22), True),
    (date(2026, 12, 20), True),    # 4 weeks ahead
    (date(2026, 12, 21), False),
    (None, False),
])
def test_who_is_a_new_starter(start, expected):
    assert rules.is_new_starter(start, TODAY) is expected


def test_new_starter_window_at_a_month_end():
    assert rules.new_starter_window(date(2026, 5, 31)) == (date(2026, 2, 28), date(2026, 6, 28))


@pytest.mark.parametrize("current, new, problem", [
    (rules.REQUESTED, rules.ARRANGED, None),
    (rules.REQUESTED, rules.COMPLETED, None),
    (rules.ARRANGED, rules.COMPLETED, None),
    (rules.ARRANGED, rules.ARRANGED, None),   # re-arranged: a new note
    (rules.ARRANGED, rules.REQUESTED, "A consultation that is arranged cannot be marked as requested"),
    (rules.COMPLETED, rules.ARRANGED, "This consultation has been completed, so it cannot be changed"),
    (rules.REQUESTED, "lost", "Select the status of the consultation"),
])
def test_status_changes(current, new, problem):
    assert rules.status_change_problem(current, new) == problem


def test_od_sees_new_starters_and_marks_one_contacted(app, people):
    od = Visitor(app, "od", people.od).sign_in()
    page = od.get("/centre-for-practice-excellence/").get_data(as_text=True)
    to_contact = page.split("New starters to contact")[1].split("New starters contacted")[0]
    assert [name for name in ("Noah Clarke", "Tariq Malik", "Cara Coming") if name in to_contact] == [
        "Noah Clarke", "Tariq Malik", "Cara Coming"]
    assert to_contact.index("Tariq Malik") < to_contact.index("Noah Clarke") < to_contact.index("Cara Coming")
    assert "(not started yet)" in to_contact
    for absent in ("Sam Okafor", "Eddie Early", "Sally School", "Lee Left"):
        assert absent not in page, absent
    url = f"/centre-for-practice-excellence/new-starters/{people.noah.id}/contact"
    form = od.get(url).get_data(as_text=True)
    assert "Date of the contact" in form and "Note (optional)" in form and "Save contact" in form
    response = od.post(url, data={"contacted_on": ["", "", ""], "note": ""})
    assert "Enter the date of the contact" in response.get_data(as_text=True)
    response = od.post(url, data={"contacted_on": ["20", "11", "2026"], "note": "Phoned; keen on ABE later."})
    assert response.status_code == 302
    page = od.get("/centre-for-practice-excellence/").get_data(as_text=True)
    to_contact, contacted = page.split("New starters to contact")[1].split("New starters contacted", 1)
    assert "Noah Clarke" not in to_contact
    assert "Noah Clarke" in contacted and "20 November 2026" in contacted and "Olivia Dean" in contacted
    assert "Phoned; keen on ABE later." in contacted
    contact = db.session.scalar(select(NewStarterContact))
    assert (contact.person_id, contact.contacted_by_id) == (people.noah.id, people.od.id)
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.entity_id == str(people.noah.id))) == \
        "new_starter_contacted"
    again = od.post(url, data={"contacted_on": ["21", "11", "2026"], "note": "Again"}).get_data(as_text=True)
    assert "Contact was recorded on 20 November 2026 by Olivia Dean" in again
    assert db.session.scalar(select(db.func.count()).select_from(NewStarterContact)) == 1


def test_two_od_staff_recording_the_same_contact_at_once(app, people, make_person, monkeypatch):
    """Both opened the form before either saved: the second save meets the first's row (unique
    person_id) and is told so, not shown an error page."""
    from lnd.cfpe import queries, services

    other = make_person("Priya", "Shah", roles=["staff", "od_admin"])
    db.session.add(NewStarterContact(person_id=people.noah.id, contacted_on=date(2026, 11, 20),
                                     contacted_by_id=other.id, note="Phoned first"))
    db.session.commit()
    od = Visitor(app, "od", people.od).sign_in()
    url = f"/centre-for-practice-excellence/new-starters/{people.noah.id}/contact"
    with monkeypatch.context() as before_the_other_saved:   # what each read before either saved
        before_the_other_saved.setattr(queries, "contact_of", lambda person_id: None)
        before_the_other_saved.setattr(services, "contact_recorded", lambda person_id: False)
        response = od.post(url, data={"contacted_on": ["21", "11", "2026"], "note": "Phoned too"})
    assert response.status_code == 302 and response.headers["Location"].endswith(url)
    page = od.get(url).get_data(as_text=True)
    assert "Contact with Noah Clarke has already been recorded" in page
    assert "Contact was recorded on 20 November 2026 by Priya Shah. Note: Phoned first" in page
    contacts = db.session.execute(select(NewStarterContact.contacted_by_id, NewStarterContact.note)).all()
    assert contacts == [(other.id, "Phoned first")]
    assert db.session.scalar(select(db.func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "new_starter_contacted")) == 0


def test_a_contact_recorded_since_the_form_was_opened_is_said_the_same_way(app, people, make_person, monkeypatch):
    from lnd.cfpe import queries

    other = make_person("Priya", "Shah", roles=["staff", "od_admin"])
    db.session.add(NewStarterContact(person_id=people.noah.id, contacted_on=date(2026, 11, 20),
                                     contacted_by_id=other.id))
    db.session.commit()
    od = Visitor(app, "od", people.od).sign_in()
    url = f"/centre-for-practice-excellence/new-starters/{people.noah.id}/contact"
    with monkeypatch.context() as opened_before:
        opened_before.setattr(queries, "contact_of", lambda person_id: None)
        response = od.post(url, data={"contacted_on": ["21", "11", "2026"], "note": ""})
    assert response.status_code == 302
    assert "Contact with Noah Clarke has already been recorded" in od.get(url).get_data(as_text=True)
    assert db.session.scalar(select(db.func.count()).select_from(NewStarterContact)) == 1


def test_a_person_asks_for_a_consultation_and_od_arranges_then_completes_it(app, people):
    sam = Visitor(app, "sam", people.sam).sign_in()
    page = sam.get("/centre-for-practice-excellence/career-consultations/mine").get_data(as_text=True)
    assert "You have not asked for a career consultation" in page and "Ask for a career consultation" in page
    new = "/centre-for-practice-excellence/career-consultations/new"
    errors = sam.post(new, data={"topic": "", "contact_detail": ""}).get_data(as_text=True)
    assert "There is a problem" in errors
    assert "Enter what you would like to talk about" in errors and "Select how you would like us to contact you" in errors
    phone = sam.post(new, data={"topic": "x", "contact_preference": "phone"}).get_data(as_text=True)
    assert "Enter the phone number to call you on" in phone
    response = sam.post(new, data={"topic": "Becoming a practice educator", "contact_preference": "teams"})
    assert response.status_code == 302
    item = db.session.scalar(select(CareerConsultation))
    od = Visitor(app, "od", people.od).sign_in()
    queue = od.get("/centre-for-practice-excellence/career-consultations").get_data(as_text=True)
    assert "Sam Okafor" in queue and "Becoming a practice educator" in queue and "Requested" in queue
    assert "1 open request" in od.get("/centre-for-practice-excellence/").get_data(as_text=True)
    update = f"/centre-for-practice-excellence/career-consultations/{item.id}/update"
    assert "Enter a note" in od.post(update, data={"status": "arranged", "note": ""}).get_data(as_text=True)
    assert od.post(update, data={"status": "arranged", "note": "Teams call on 1 December at 10:00"}).status_code == 302
    mine = sam.get(f"/centre-for-practice-excellence/career-consultations/{item.id}").get_data(as_text=True)
    assert "Arranged" in mine and "Teams call on 1 December at 10:00" in mine and "Olivia Dean" in mine
    assert od.post(update, data={"status": "completed", "note": "Talked through PE stage 1."}).status_code == 302
    queue = od.get("/centre-for-practice-excellence/career-consultations").get_data(as_text=True)
    assert "There are no open requests" in queue and "Completed (the latest 25)" in queue
    refused = od.post(update, data={"status": "arranged", "note": "again"}).get_data(as_text=True)
    assert "cannot be changed" in refused
    actions = list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.entity_type == "career_consultation")
                                      .order_by(AuditEvent.id)))
    assert actions == ["career_consultation_requested", "career_consultation_arranged",
                       "career_consultation_completed"]
    listing = sam.get("/centre-for-practice-excellence/career-consultations/mine").get_data(as_text=True)
    assert "Completed" in listing


def test_a_consultation_is_seen_by_the_person_and_od_only(app, people):
    sam = Visitor(app, "sam", people.sam).sign_in()
    sam.post("/centre-for-practice-excellence/career-consultations/new",
             data={"topic": "Moving on", "contact_preference": "email"})
    item_id = db.session.scalar(select(CareerConsultation.id))
    url = f"/centre-for-practice-excellence/career-consultations/{item_id}"
    assert Visitor(app, "manager", people.manager).sign_in().get(url).status_code == 404
    assert Visitor(app, "noah", people.noah).sign_in().get(url).status_code == 404
    assert Visitor(app, "od", people.od).sign_in().get(url).status_code == 200
    assert Visitor(app, "sam", people.sam).sign_in().get(url + "/update").status_code == 403
    assert Visitor(app, "sam", people.sam).sign_in().get("/centre-for-practice-excellence/").status_code == 403
