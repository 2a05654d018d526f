"""The OD team gives a course its e-learning platform id on the course edit page; imports match it."""
from __future__ import annotations

import html
import re

import pytest

from lnd.core.models import AuditEvent
from lnd.courses.models import Course

SLUG = "teeswide-bullying-and-cyberbullying"
ACTIVITY = "https://learn.example.org/activity/bullying"


def page_text(response) -> str:
    body = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return re.sub(r"\s+", " ", html.unescape(body))


@pytest.fixture
def od(make_person, login):
    person = make_person("Olu", "Admin", roles=["staff", "od_admin"])
    login(person)
    return person


def course(db, slug: str = SLUG) -> Course:
    return db.session.scalar(db.select(Course).filter_by(slug=slug))


def form_for(item: Course, **changes) -> dict:
    data = {"title": item.title, "section": str(item.section_id), "group": str(item.group_id or ""),
            "summary": item.summary or "A course.", "description": item.description, "provider": item.provider,
            "status": item.status, "delivery_methods": [m.code for m in item.delivery_methods],
            "audiences": [a.code for a in item.audiences] or ["childrens_care"], "parts": str(item.parts),
            "module_number": "", "link_url": item.link_url or "", "default_note": item.default_note,
            "external_id": item.external_id or ""}
    data.update(changes)
    return data


def test_od_gives_a_course_its_platform_id_and_sees_it_on_the_course_page(client, db, offer, od):
    form = client.get(f"/courses/{SLUG}/edit")
    assert "E-learning platform id (optional)" in page_text(form)
    response = client.post(f"/courses/{SLUG}/edit", data=form_for(course(db), external_id=f"  {ACTIVITY} "))
    assert response.status_code == 302
    db.session.expire_all()
    assert course(db).external_id == ACTIVITY
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="course.updated"))
    assert event.before == {"external_id": None} and event.after == {"external_id": ACTIVITY}
    text = page_text(client.get(f"/courses/{SLUG}"))
    assert f"E-learning platform id {ACTIVITY}" in text
    assert f'value="{ACTIVITY}"' in client.get(f"/courses/{SLUG}/edit").get_data(as_text=True)

    # Emptied, the course has no id any more.
    client.post(f"/courses/{SLUG}/edit", data=form_for(course(db), external_id=""))
    db.session.expire_all()
    assert course(db).external_id is None
    assert "xAPI statements need the id" in page_text(client.get(f"/courses/{SLUG}"))


def test_two_courses_cannot_share_a_platform_id(client, db, offer, od):
    other = course(db, "teeswide-mental-capacity-act")
    other.external_id = ACTIVITY
    db.session.commit()
    response = client.post(f"/courses/{SLUG}/edit", data=form_for(course(db), external_id=ACTIVITY))
    text = page_text(response)
    assert response.status_code == 200
    assert "The e-learning platform id is already given to ‘Mental Capacity Act’; each course needs its own" in text
    db.session.expire_all()
    assert course(db).external_id is None


def test_a_platform_id_longer_than_200_characters_is_refused(client, db, offer, od):
    response = client.post(f"/courses/{SLUG}/edit", data=form_for(course(db), external_id="x" * 201))
    assert "The e-learning platform id must be 200 characters or fewer" in page_text(response)


def test_staff_do_not_see_the_platform_id(client, db, offer, make_person, login):
    item = course(db)
    item.external_id = ACTIVITY
    db.session.commit()
    login(make_person(roles=["staff"]))
    text = page_text(client.get(f"/courses/{SLUG}"))
    assert "Bullying and Cyberbullying" in text and ACTIVITY not in text
