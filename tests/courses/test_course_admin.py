"""The OD team runs the catalogue: adding, changing, retiring and reinstating courses and sections."""
from __future__ import annotations

import html
import re

import pytest

from lnd.core.models import AuditEvent
from lnd.courses.models import ACTIVE, IN_DEVELOPMENT, RETIRED, Course, CourseGroup, DeliveryMethod, Section
from lnd.courses.services import CatalogueError, SectionDetails, create_section, slugify, unique_slug


def page_text(response) -> str:
    body = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return re.sub(r"\s+", " ", html.unescape(body))


@pytest.fixture
def od(make_person, login):
    person = make_person("Olu", "Admin", roles=["staff", "od_admin"])
    login(person)
    return person


def section_id(db, slug: str) -> int:
    return db.session.scalar(db.select(Section.id).filter_by(slug=slug))


def group_id(db, slug: str) -> int:
    return db.session.scalar(db.select(CourseGroup.id).filter_by(slug=slug))


def course_form(db, **changes) -> dict:
    data = {
        "title": "Trauma-Informed Practice",
        "section": str(section_id(db, "core-offer")),
        "group": str(group_id(db, "childrens-services-core-training")),
        "summary": "Understanding how trauma shapes children's behaviour.",
        "description": "A day on trauma-informed practice.\n\nYou will:\n- learn the theory\n- practise the tools",
        "provider": "Middlesbrough Council",
        "status": "active",
        "delivery_methods": ["seminar", "e_learning"],
        "audiences": ["childrens_care"],
        "parts": "2",
        "module_number": "",
        "link_url": "",
        "default_note": "Either delivery method completes it.",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def audit_rows(db, action: str) -> list[AuditEvent]:
    """Audit rows written by a person (the seed loader writes its own, with no actor)."""
    return list(db.session.scalars(db.select(AuditEvent).filter_by(action=action)
                                   .where(AuditEvent.actor_id.is_not(None)).order_by(AuditEvent.id)))


# ---------------------------------------------------------------------------------------------
# Creating courses
# ---------------------------------------------------------------------------------------------

def test_od_creates_a_course(client, db, offer, od):
    form = client.get("/courses/new")
    assert form.status_code == 200 and "Add a course" in page_text(form)

    response = client.post("/courses/new", data=course_form(db))
    assert response.status_code == 302
    assert response.headers["Location"] == "/courses/trauma-informed-practice"

    course = db.session.scalar(db.select(Course).filter_by(slug="trauma-informed-practice"))
    assert course.from_seed is False
    assert course.title == "Trauma-Informed Practice"
    assert course.status == ACTIVE and course.parts == 2
    assert course.group.slug == "childrens-services-core-training"
    assert sorted(m.code for m in course.delivery_methods) == ["e_learning", "seminar"]
    assert [a.code for a in course.audiences] == ["childrens_care"]

    [event] = audit_rows(db, "course.created")
    assert event.actor_id == od.id and event.entity_type == "course" and event.entity_id == str(course.id)
    assert event.after["title"] == "Trauma-Informed Practice"

    page = client.get("/courses/trauma-informed-practice", follow_redirects=True)
    text = page_text(page)
    assert "Trauma-Informed Practice" in text
    assert "has been added to the offer" in text
    assert "Delivered over 2 workshops" in text
    assert "<li>practise the tools</li>" in page.get_data(as_text=True)
    assert "How this course is applied Either delivery method completes it." in text


def test_new_course_appears_in_its_section_and_search(client, db, offer, od, make_person, login):
    client.post("/courses/new", data=course_form(db))
    staff = make_person("Sam", "Staff")
    client.post("/logout")
    login(staff)
    assert "Trauma-Informed Practice" in page_text(client.get("/offer/core-offer"))
    assert "Trauma-Informed Practice" in page_text(client.get("/courses?q=trauma"))


def test_in_development_course_created_in_the_ui(client, db, offer, od):
    client.post("/courses/new", data=course_form(db, status="in_development", delivery_methods=[]))
    course = db.session.scalar(db.select(Course).filter_by(slug="trauma-informed-practice"))
    assert course.status == IN_DEVELOPMENT and course.delivery_methods == []
    assert "not yet bookable" in page_text(client.get("/courses/trauma-informed-practice"))


def test_slugs_are_unique(client, db, offer, od):
    # "Neglect" is already a seed course slug.
    client.post("/courses/new", data=course_form(db, title="Neglect"))
    client.post("/courses/new", data=course_form(db, title="Neglect!"))
    slugs = sorted(db.session.scalars(db.select(Course.slug).where(Course.slug.like("neglect%"))))
    assert slugs == ["neglect", "neglect-2", "neglect-3"]
    assert client.get("/courses/neglect-3").status_code == 200


def test_a_course_called_new_does_not_hide_the_add_page(client, db, offer, od):
    response = client.post("/courses/new", data=course_form(db, title="New"))
    assert response.headers["Location"] == "/courses/new-2"
    assert "Add a course" in page_text(client.get("/courses/new"))


def test_slugify():
    assert slugify("Tri.x – Children’s Services Procedure Manual") == "tri-x-childrens-services-procedure-manual"
    assert slugify("Recruitment & Selection") == "recruitment-selection"
    assert slugify("Émigré café") == "emigre-cafe"
    assert slugify("!!!") == ""


def test_unique_slug_falls_back_when_the_title_has_no_letters(db):
    assert unique_slug(Section, "!!!", "section") == "section"


@pytest.mark.parametrize("changes, field, message", [
    ({"title": ""}, "title", "Enter the course title"),
    ({"title": "x" * 201}, "title", "The course title must be 200 characters or fewer"),
    ({"section": ""}, "section", "Choose the section of the offer the course belongs to"),
    ({"summary": ""}, "summary", "Enter a short summary of the course"),
    ({"audiences": None}, "audiences", "Choose who the course is for"),
    ({"parts": "two"}, "parts", "Enter the number of parts as a whole number, like 2"),
    ({"parts": "0"}, "parts", "The number of parts must be between 1 and 50"),
    ({"status": None}, "status", "Choose whether the course is available or in development"),
    ({"status": "retired"}, "status", "Choose whether the course is available or in development"),
    ({"delivery_methods": ["carrier_pigeon"]}, "delivery_methods", "Choose from the options on the page"),
    ({"link_url": "javascript:alert(1)"}, "link_url", "Enter a web address starting with https://"),
    ({"link_url": "ftp://example.org/x"}, "link_url", "Enter a web address starting with https://"),
])
def test_bad_input_is_explained_and_nothing_is_saved(client, db, offer, od, changes, field, message):
    before = db.session.scalar(db.select(db.func.count(Course.id)))
    response = client.post("/courses/new", data=course_form(db, **changes))
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "There is a problem" in body                    # the error summary
    assert f'href="#{field}"' in body                      # links to the field
    assert message in html.unescape(body)
    assert "govuk-error-message" in body                   # and the message beside the field
    assert "<title>Error: " in body
    assert db.session.scalar(db.select(db.func.count(Course.id))) == before
    assert audit_rows(db, "course.created") == []


def test_group_must_belong_to_the_section(client, db, offer, od):
    response = client.post("/courses/new", data=course_form(
        db, section=str(section_id(db, "induction")), group=str(group_id(db, "middlesbrough-managers"))))
    assert response.status_code == 200
    text = page_text(response)
    assert "There is a problem" in text
    assert "choose a group of the same section, or no group" in text
    assert db.session.scalar(db.select(Course).filter_by(title="Trauma-Informed Practice")) is None


def test_a_course_cannot_be_added_to_a_retired_section(client, db, offer, od):
    section = db.session.scalar(db.select(Section).filter_by(slug="multi-agency"))
    section.retired = True
    db.session.commit()
    response = client.post("/courses/new", data=course_form(db, section=str(section.id), group=""))
    assert "Choose from the list" in page_text(response)  # not offered on the form at all
    assert db.session.scalar(db.select(Course).filter_by(title="Trauma-Informed Practice")) is None


def test_add_course_from_a_section_preselects_it(client, db, offer, od):
    body = client.get("/courses/new?section=induction").get_data(as_text=True)
    assert f'<option value="{section_id(db, "induction")}" selected>' in body


# ---------------------------------------------------------------------------------------------
# Editing courses
# ---------------------------------------------------------------------------------------------

def test_od_edits_a_course(client, db, offer, od):
    course = db.session.scalar(db.select(Course).filter_by(slug="permanency"))
    form = client.get("/courses/permanency/edit")
    assert form.status_code == 200
    body = form.get_data(as_text=True)
    assert 'value="Permanency"' in body
    assert "comes from the offer file" in body

    data = course_form(db, title="Permanency Planning", status="active", delivery_methods=["seminar"],
                       group=str(course.group_id), section=str(course.section_id),
                       summary=course.summary, description=course.description)
    response = client.post("/courses/permanency/edit", data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == "/courses/permanency"  # the address does not change

    db.session.refresh(course)
    assert course.title == "Permanency Planning" and course.status == ACTIVE
    [event] = audit_rows(db, "course.updated")
    assert event.actor_id == od.id and event.entity_id == str(course.id)
    assert event.before["title"] == "Permanency" and event.after["title"] == "Permanency Planning"
    assert event.before["status"] == IN_DEVELOPMENT and event.after["status"] == ACTIVE
    assert "summary" not in event.after  # only what changed

    text = page_text(client.get("/courses/permanency"))
    assert "Permanency Planning" in text and "not yet bookable" not in text


def test_saving_without_changes_writes_no_audit_row(client, db, offer, od):
    course = db.session.scalar(db.select(Course).filter_by(slug="trix-procedure-manual"))
    data = course_form(db, title=course.title, summary=course.summary, description=course.description,
                       provider=course.provider, section=str(course.section_id), group=str(course.group_id),
                       delivery_methods=[m.code for m in course.delivery_methods],
                       audiences=[a.code for a in course.audiences], parts="1", default_note=course.default_note)
    response = client.post("/courses/trix-procedure-manual/edit", data=data, follow_redirects=True)
    assert "Nothing was changed" in page_text(response)
    assert audit_rows(db, "course.updated") == []


def test_editing_with_bad_input_changes_nothing(client, db, offer, od):
    response = client.post("/courses/permanency/edit", data=course_form(db, title=""))
    assert response.status_code == 200 and "Enter the course title" in page_text(response)
    assert db.session.scalar(db.select(Course.title).filter_by(slug="permanency")) == "Permanency"


def test_edit_unknown_course_is_404(client, offer, od):
    assert client.get("/courses/nope/edit").status_code == 404
    assert client.post("/courses/nope/retire").status_code == 404


# ---------------------------------------------------------------------------------------------
# Retiring and reinstating courses
# ---------------------------------------------------------------------------------------------

def test_od_retires_and_reinstates_a_course(client, db, offer, od, make_person):
    confirm = client.get("/courses/neglect/retire")
    assert confirm.status_code == 200
    assert "Are you sure you want to retire this course?" in page_text(confirm)

    response = client.post("/courses/neglect/retire")
    assert response.status_code == 302
    course = db.session.scalar(db.select(Course).filter_by(slug="neglect"))
    assert course.status == RETIRED
    [event] = audit_rows(db, "course.retired")
    assert event.actor_id == od.id and event.before == {"status": ACTIVE} and event.after == {"status": RETIRED}

    text = page_text(client.get("/courses/neglect"))
    assert "Retired" in text and "Reinstate the course as" in text

    response = client.post("/courses/neglect/reinstate", data={"status": "in_development"})
    assert response.status_code == 302
    db.session.refresh(course)
    assert course.status == IN_DEVELOPMENT
    [event] = audit_rows(db, "course.reinstated")
    assert event.after == {"status": IN_DEVELOPMENT}


def test_retired_course_is_404_for_staff_after_retiring(client, db, offer, od, make_person, login):
    client.post("/courses/neglect/retire")
    client.post("/logout")
    login(make_person("Sam", "Staff"))
    assert client.get("/courses/neglect").status_code == 404


def test_retiring_twice_is_explained(client, db, offer, od):
    client.post("/courses/neglect/retire")
    response = client.post("/courses/neglect/retire", follow_redirects=True)
    assert "is already retired" in page_text(response)
    assert len(audit_rows(db, "course.retired")) == 1


def test_reinstating_needs_a_status(client, db, offer, od):
    client.post("/courses/neglect/retire")
    response = client.post("/courses/neglect/reinstate", data={})
    assert response.status_code == 200
    assert "There is a problem" in page_text(response)
    assert db.session.scalar(db.select(Course.status).filter_by(slug="neglect")) == RETIRED


def test_editing_a_retired_course_keeps_it_retired(client, db, offer, od):
    client.post("/courses/neglect/retire")
    course = db.session.scalar(db.select(Course).filter_by(slug="neglect"))
    body = client.get("/courses/neglect/edit").get_data(as_text=True)
    assert "This course is retired" in body and 'name="status"' not in body
    data = course_form(db, title="Neglect (old)", status=None, section=str(course.section_id),
                       group=str(course.group_id))
    assert client.post("/courses/neglect/edit", data=data).status_code == 302
    db.session.refresh(course)
    assert course.title == "Neglect (old)" and course.status == RETIRED


# ---------------------------------------------------------------------------------------------
# Sections
# ---------------------------------------------------------------------------------------------

def test_od_creates_and_edits_a_section(client, db, offer, od):
    assert client.get("/offer/new").status_code == 200
    response = client.post("/offer/new", data={"title": "Practice Week", "purpose": "A week of practice learning.",
                                               "description": "Talks.\n\n- Monday\n- Tuesday"})
    assert response.status_code == 302 and response.headers["Location"] == "/offer/practice-week"
    section = db.session.scalar(db.select(Section).filter_by(slug="practice-week"))
    assert section.position == 7  # after the six sections of the offer
    [event] = audit_rows(db, "section.created")
    assert event.actor_id == od.id and event.after["title"] == "Practice Week"
    assert "Practice Week" in page_text(client.get("/offer"))
    assert "<li>Monday</li>" in client.get("/offer/practice-week").get_data(as_text=True)

    response = client.post("/offer/practice-week/edit", data={"title": "Practice Fortnight",
                                                              "purpose": "Two weeks.", "description": ""})
    assert response.status_code == 302 and response.headers["Location"] == "/offer/practice-week"
    [event] = audit_rows(db, "section.updated")
    assert event.before["title"] == "Practice Week" and event.after["title"] == "Practice Fortnight"
    assert "Practice Fortnight" in page_text(client.get("/offer/practice-week"))


def test_section_form_errors(client, db, offer, od):
    response = client.post("/offer/new", data={"title": "", "purpose": ""})
    assert response.status_code == 200
    text = page_text(response)
    assert "There is a problem" in text
    assert "Enter the section title" in text and "Enter the purpose of the section" in text
    assert audit_rows(db, "section.created") == []


def test_od_retires_and_reinstates_a_section(client, db, offer, od, make_person, login):
    confirm = page_text(client.get("/offer/multi-agency/retire"))
    assert "Are you sure you want to retire this section?" in confirm
    assert "its 4 courses" in confirm

    assert client.post("/offer/multi-agency/retire").status_code == 302
    assert db.session.scalar(db.select(Section.retired).filter_by(slug="multi-agency")) is True
    assert len(audit_rows(db, "section.retired")) == 1
    assert "Retired" in page_text(client.get("/offer"))  # OD still sees it, tagged

    client.post("/logout")
    login(make_person("Sam", "Staff"))
    assert client.get("/offer/multi-agency").status_code == 404
    client.post("/logout")
    login(od)

    assert client.post("/offer/multi-agency/reinstate").status_code == 302
    assert db.session.scalar(db.select(Section.retired).filter_by(slug="multi-agency")) is False
    assert len(audit_rows(db, "section.reinstated")) == 1


def test_reinstating_a_course_in_a_retired_section_is_refused(client, db, offer, od):
    client.post("/courses/multi-agency-send-e-learning/retire")
    client.post("/offer/multi-agency/retire")
    response = client.post("/courses/multi-agency-send-e-learning/reinstate", data={"status": "active"})
    assert "reinstate the section first" in page_text(response)
    assert db.session.scalar(db.select(Course.status).filter_by(slug="multi-agency-send-e-learning")) == RETIRED


def test_services_take_the_actor_and_leave_the_commit(db, make_person):
    actor = make_person(roles=["od_admin"])
    section = create_section(SectionDetails(title="Hot Topics", purpose="Short sessions."), actor)
    assert section.id is not None and section.slug == "hot-topics"
    db.session.rollback()  # nothing was committed by the service
    assert db.session.scalar(db.select(Section).filter_by(slug="hot-topics")) is None
    with pytest.raises(CatalogueError) as error:
        create_section(SectionDetails(title="  ", purpose="x"), actor)
    assert error.value.message == "Enter the section title" and error.value.field == "title"


# ---------------------------------------------------------------------------------------------
# Nobody but the OD team
# ---------------------------------------------------------------------------------------------

OD_PAGES = [
    ("GET", "/courses/new"), ("POST", "/courses/new"),
    ("GET", "/courses/neglect/edit"), ("POST", "/courses/neglect/edit"),
    ("GET", "/courses/neglect/retire"), ("POST", "/courses/neglect/retire"),
    ("POST", "/courses/neglect/reinstate"),
    ("GET", "/offer/new"), ("POST", "/offer/new"),
    ("GET", "/offer/induction/edit"), ("POST", "/offer/induction/edit"),
    ("GET", "/offer/induction/retire"), ("POST", "/offer/induction/retire"),
    ("POST", "/offer/induction/reinstate"),
]


@pytest.mark.parametrize("roles", [["staff"], ["staff", "manager"], ["asye_assessor", "supervisor"],
                                   ["external_learner"]])
def test_everyone_else_gets_403_on_every_od_page(client, db, offer, make_person, login, roles):
    login(make_person(roles=roles))
    before = (db.session.scalar(db.select(db.func.count(Course.id))),
              db.session.scalar(db.select(db.func.count(Section.id))))
    for method, url in OD_PAGES:
        response = client.open(url, method=method, data=course_form(db) if method == "POST" else None)
        assert response.status_code == 403, (method, url)
    assert db.session.scalar(db.select(Course.status).filter_by(slug="neglect")) == ACTIVE
    assert db.session.scalar(db.select(Section.retired).filter_by(slug="induction")) is False
    assert (db.session.scalar(db.select(db.func.count(Course.id))),
            db.session.scalar(db.select(db.func.count(Section.id)))) == before
    assert db.session.scalar(db.select(db.func.count(AuditEvent.id)).where(
        AuditEvent.entity_type.in_(["course", "section"]), AuditEvent.actor_id.is_not(None))) == 0


def test_signed_out_visitors_are_sent_to_sign_in(client, db, offer):
    for method, url in OD_PAGES:
        response = client.open(url, method=method)
        assert response.status_code == 302 and "/login" in response.headers["Location"], (method, url)


def test_od_pages_are_declared_od_only(app):
    from lnd.core.auth import policy_of

    for endpoint in ("new_course", "edit_course", "retire_course", "reinstate_course",
                     "new_section", "edit_section", "retire_section", "reinstate_section"):
        policy = policy_of(app.view_functions[f"courses.{endpoint}"])
        assert policy is not None and policy.roles == frozenset({"od_admin"}), endpoint


def test_edit_form_offers_every_delivery_method(client, db, offer, od):
    body = client.get("/courses/new").get_data(as_text=True)
    for method in db.session.scalars(db.select(DeliveryMethod)):
        assert f'value="{method.code}"' in body
