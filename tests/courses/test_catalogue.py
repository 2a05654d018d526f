"""The catalogue as staff and the OD team see it: the offer, sections, search, course pages."""
from __future__ import annotations

import html
import re
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from lnd.courses.models import (
    ACTIVE, IN_DEVELOPMENT, RETIRED, Audience, Course, CourseGroup, DeliveryMethod, Section,
)
from lnd.courses.queries import text_blocks


def page_text(response) -> str:
    """The page as a reader sees it: tags removed, entities decoded, spaces collapsed."""
    body = response.get_data(as_text=True)
    body = re.sub(r"<[^>]+>", " ", body)
    return re.sub(r"\s+", " ", html.unescape(body))


def results_count(response) -> int:
    match = re.search(r'id="results-count">(\d+) courses?<', response.get_data(as_text=True))
    assert match, "no results count on the page"
    return int(match.group(1))


def result_titles(response) -> list[str]:
    body = response.get_data(as_text=True)
    titles = re.findall(r'<h3[^>]*>\s*<a class="govuk-link" href="/courses/[^"]+">([^<]+)</a>', body)
    return [html.unescape(t) for t in titles]


@pytest.fixture
def staff(make_person, login):
    person = make_person("Sam", "Staff")
    login(person)
    return person


@pytest.fixture
def od(make_person, login):
    person = make_person("Olu", "Admin", roles=["staff", "od_admin"])
    login(person)
    return person


def live_course_count(db) -> int:
    return db.session.scalar(
        db.select(db.func.count(Course.id)).join(Section, Course.section_id == Section.id)
        .where(Course.status != RETIRED, Section.retired.is_(False)))


# ---------------------------------------------------------------------------------------------
# The offer and its sections
# ---------------------------------------------------------------------------------------------

def test_offer_lists_each_section_with_purpose_and_groups(client, offer, staff):
    response = client.get("/offer")
    assert response.status_code == 200
    text = page_text(response)
    for title in ("The Induction", "The Core Offer", "The Developmental Offer", "The ASYE Programme",
                  "Multi Agency Training Offer", "The Learning and Development Course Library"):
        assert title in text
    assert "complete your induction within 6 months of your start date" in text
    assert "Children’s Services – Induction" in text
    body = response.get_data(as_text=True)
    assert 'href="/offer/developmental-offer"' in body
    assert 'href="/offer/induction#group-childrens-services-induction"' in body


def test_developmental_offer_colours_are_written_as_words(client, offer, staff):
    text = page_text(client.get("/offer"))
    assert "Specific Developmental Opportunities for Social Workers Blue list" in text
    assert "Middlesbrough Managers Orange list" in text


def test_section_page_groups_courses_with_window_and_authorisation(client, offer, staff):
    text = page_text(client.get("/offer/induction"))
    assert "Corporate induction e-learning" in text and "Children’s Services – Induction" in text
    assert "Complete within 6 months" in text and "Complete within 4 weeks" in text
    assert "No authorisation needed" in text
    order = [text.index(words)
             for words in ("GDPR Training", "Children’s Services – Induction", "LCS/EHM Training")]
    assert order == sorted(order)

    developmental = page_text(client.get("/offer/developmental-offer"))
    assert "Agreed with your line manager in supervision or appraisal" in developmental
    assert "Aspiring managers need their manager's authorisation" in developmental
    assert "Achieving Best Evidence" in developmental and "Supervision Skills" in developmental


def test_in_development_course_is_tagged_in_the_section_list(client, offer, staff):
    text = page_text(client.get("/offer/core-offer"))
    assert "Permanency In development" in text


def test_unknown_section_is_404(client, offer, staff):
    assert client.get("/offer/no-such-section").status_code == 404


# ---------------------------------------------------------------------------------------------
# Search and filters
# ---------------------------------------------------------------------------------------------

def test_all_live_courses_are_counted(client, db, offer, staff):
    response = client.get("/courses")
    assert response.status_code == 200
    assert results_count(response) == live_course_count(db)
    assert f"{live_course_count(db)} courses" in page_text(response)


def test_filter_by_section(client, db, offer, staff):
    response = client.get("/courses?section=asye-programme")
    titles = result_titles(response)
    in_section = set(db.session.scalars(
        db.select(Course.title).join(Section, Course.section_id == Section.id).where(Section.slug == "asye-programme")))
    assert set(titles) == in_section
    assert results_count(response) == len(titles)
    assert sum(t.startswith("Module ") for t in titles) == 11
    assert "The ASYE Induction" in titles and "GDPR Training" not in titles


def test_filter_by_delivery_method(client, offer, staff):
    response = client.get("/courses?method=video")
    titles = result_titles(response)
    assert "Practice Standards" in titles and "Threshold Training" in titles
    assert "GDPR Training" not in titles
    assert results_count(response) == len(titles)


def test_filter_by_audience(client, offer, staff):
    response = client.get("/courses?audience=foster_carers")
    titles = result_titles(response)
    assert "Safeguarding Children - Level 1" in titles and "Mental Capacity Act" in titles
    assert "Analytical Assessments" not in titles and "GDPR Training" not in titles
    assert result_titles(client.get("/courses?audience=nqsw&q=graaaaces")) == ["Module 4 – KSS 3: Child Development"]


def test_filters_combine(client, db, offer, staff):
    response = client.get("/courses?section=induction&method=e_learning")
    titles = result_titles(response)
    assert set(titles) == {"GDPR Training", "PREVENT Awareness and PREVENT Referrals",
                           "Mental Health and Wellbeing Awareness", "LCS/EHM Training", "SEND E Learning"}


def test_text_search_finds_trix_case_insensitively(client, offer, staff):
    for query in ("Tri.x", "tri.x", "TRI.X"):
        response = client.get("/courses", query_string={"q": query})
        assert result_titles(response) == ["Tri.x – Children’s Services Procedure Manual"], query
        assert "1 course" in page_text(response)


def test_text_search_finds_a_word_only_in_a_description(client, offer, staff):
    # "GRAAAACES" appears only in the objectives of ASYE module 4.
    response = client.get("/courses?q=graaaaces")
    assert result_titles(response) == ["Module 4 – KSS 3: Child Development"]


def test_text_search_needs_every_word(client, offer, staff):
    both = result_titles(client.get("/courses?q=procedure+manual"))
    assert both == ["Tri.x – Children’s Services Procedure Manual"]
    assert result_titles(client.get("/courses?q=procedure+zebra")) == []


def test_straight_apostrophe_matches_curly(client, offer, staff):
    titles = result_titles(client.get("/courses", query_string={"q": "children's services procedure"}))
    assert titles == ["Tri.x – Children’s Services Procedure Manual"]


def test_like_wildcards_in_search_are_literal(client, offer, staff):
    assert results_count(client.get("/courses?q=%25")) == 0
    assert results_count(client.get("/courses?q=_")) == 0


def test_no_results_says_so(client, offer, staff):
    response = client.get("/courses?q=xylophone")
    assert results_count(response) == 0
    assert "No courses match your search" in page_text(response)


def test_search_pages_through_results(client, db, offer, staff):
    total = live_course_count(db)
    first = client.get("/courses")
    second = client.get("/courses?page=2")
    assert len(result_titles(first)) == 25
    assert set(result_titles(first)).isdisjoint(result_titles(second)) or total <= 25
    assert "Showing 26 to 50" in page_text(second)


def test_search_by_standard_lists_courses_mapped_to_it(client, db, offer, staff):
    course = db.session.scalar(db.select(Course).filter_by(slug="asye-module-4"))
    standard = course.standards[0]
    response = client.get(f"/courses?standard={standard.id}")
    assert "Module 4 – KSS 3: Child Development" in result_titles(response)
    assert f"Courses mapped to {standard.short_name}" in page_text(response)


# ---------------------------------------------------------------------------------------------
# The course page
# ---------------------------------------------------------------------------------------------

def test_course_page_shows_description_as_paragraphs_and_bullets(client, offer, staff):
    response = client.get("/courses/trix-procedure-manual")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<h1 class=\"govuk-heading-l\">Tri.x – Children’s Services Procedure Manual</h1>" in body
    assert '<ul class="govuk-list govuk-list--bullet">' in body
    assert "<li>Familiarise you with the online procedures manual, how to access it and use it, saving to " \
           "Favourites and adding a desktop icon.</li>" in body
    assert '<p class="govuk-body">This training will help you to understand how to navigate' in body
    text = page_text(response)
    assert "Seminar" in text and "Middlesbrough Council" in text and "All Children's Care staff" in text
    assert "Complete within 4 weeks" in text


def test_numbered_list_in_description(client, offer, staff):
    body = client.get("/courses/court-skills-and-pre-proceedings").get_data(as_text=True)
    assert '<ol class="govuk-list govuk-list--number">' in body
    assert "<li>Effective Pre-Proceedings</li>" in body
    assert "Delivered over 2 workshops" in page_text(client.get("/courses/court-skills-and-pre-proceedings"))


def test_in_development_course_is_not_bookable(client, offer, staff):
    response = client.get("/courses/permanency")
    assert response.status_code == 200
    text = page_text(response)
    assert "In development" in text
    assert "not yet bookable" in text
    assert "govuk-inset-text" in response.get_data(as_text=True)
    assert "To be confirmed" in text  # no delivery method yet


def test_available_course_has_no_in_development_notice(client, offer, staff):
    text = page_text(client.get("/courses/trix-procedure-manual"))
    assert "not yet bookable" not in text and "In development" not in text


def test_default_note_is_shown_as_how_the_course_is_applied(client, offer, staff):
    text = page_text(client.get("/courses/lcs-ehm-training"))
    assert "How this course is applied" in text
    assert "either one completes it" in text
    assert "E-Learning or Seminar" in text


def test_asye_module_links_its_kss_standard(client, db, offer, staff):
    course = db.session.scalar(db.select(Course).filter_by(slug="asye-module-4"))
    standard = course.standards[0]
    response = client.get("/courses/asye-module-4")
    body = response.get_data(as_text=True)
    assert f'href="/courses?standard={standard.id}"' in body
    text = page_text(response)
    assert "KSS 3: Child Development" in text
    assert "knowledge and skills statements for child and family practitioners" in text
    assert "Module 4" in text


def test_group_rule_shown_on_developmental_course(client, offer, staff):
    text = page_text(client.get("/courses/achieving-best-evidence"))
    assert "Agreed with your line manager in supervision or appraisal" in text
    assert "Blue list" in text


def test_staff_do_not_see_od_controls(client, offer, staff):
    body = client.get("/courses/trix-procedure-manual").get_data(as_text=True)
    assert "/courses/trix-procedure-manual/edit" not in body
    assert "Manage this course" not in body
    assert "Add a course" not in client.get("/offer").get_data(as_text=True)


def test_unknown_course_is_404(client, offer, staff):
    assert client.get("/courses/no-such-course").status_code == 404


def test_course_text_is_escaped(client, db, offer, staff):
    course = db.session.scalar(db.select(Course).filter_by(slug="permanency"))
    course.description = "Intro <script>alert(1)</script>\n- <b>bold</b> item"
    course.default_note = "<img src=x onerror=alert(1)>"
    db.session.commit()
    body = client.get("/courses/permanency").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<li>&lt;b&gt;bold&lt;/b&gt; item</li>" in body
    assert "<img src=x" not in body


# ---------------------------------------------------------------------------------------------
# Retired courses and sections
# ---------------------------------------------------------------------------------------------

def _retire(db, slug):
    course = db.session.scalar(db.select(Course).filter_by(slug=slug))
    course.status = RETIRED
    db.session.commit()
    return course


def test_retired_course_is_404_for_staff(client, db, offer, staff):
    _retire(db, "neglect")
    assert client.get("/courses/neglect").status_code == 404


def test_retired_course_is_visible_to_od_with_a_tag(client, db, offer, od):
    _retire(db, "neglect")
    response = client.get("/courses/neglect")
    assert response.status_code == 200
    text = page_text(response)
    assert "Retired" in text and "Reinstate" in text


def test_retired_course_is_hidden_from_search_and_lists(client, db, offer, staff):
    _retire(db, "neglect")
    assert "Neglect" not in result_titles(client.get("/courses?section=core-offer"))
    assert "Neglect" not in result_titles(client.get("/courses?section=core-offer&retired=1"))
    assert ">Neglect<" not in client.get("/offer/core-offer").get_data(as_text=True)


def test_od_can_include_retired_courses_in_search(client, db, offer, od):
    _retire(db, "neglect")
    assert "Neglect" not in result_titles(client.get("/courses?section=core-offer"))
    response = client.get("/courses?section=core-offer&retired=1")
    assert "Neglect" in result_titles(response)
    assert "Neglect Retired" in page_text(response)


def test_retired_section_hides_its_courses_from_staff(client, db, offer, staff):
    section = db.session.scalar(db.select(Section).filter_by(slug="multi-agency"))
    section.retired = True
    db.session.commit()
    assert client.get("/offer/multi-agency").status_code == 404
    assert client.get("/courses/multi-agency-my-family-plan-training").status_code == 404
    assert "Multi Agency Training Offer" not in page_text(client.get("/offer"))
    assert results_count(client.get("/courses?q=my+family+plan")) == 0


def test_anonymous_visitors_are_sent_to_sign_in(client, offer):
    for url in ("/offer", "/offer/induction", "/courses", "/courses/trix-procedure-manual"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url


# ---------------------------------------------------------------------------------------------
# Set-based: the number of statements does not grow with the number of courses
# ---------------------------------------------------------------------------------------------

@contextmanager
def count_statements(db):
    """Every statement sent to the database inside the block, starting from a fresh session (as a
    new request would) so that nothing already loaded hides a statement. The tests share one
    application context, so the signed-in person cached by Flask-Login is dropped too."""
    from flask import g

    db.session.remove()
    g.pop("_login_user", None)
    statements: list[str] = []

    def before_cursor_execute(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before_cursor_execute)


def _catalogue(db, n: int) -> None:
    """n courses, each with two delivery methods and two audiences, in one section and group."""
    methods = [DeliveryMethod(code="e_learning", label="E-Learning", position=1),
               DeliveryMethod(code="seminar", label="Seminar", has_sessions=True, position=2)]
    audiences = [Audience(code="childrens_care", label="All Children's Care staff", position=1),
                 Audience(code="social_workers", label="Social workers", position=2)]
    section = Section(slug="core", title="The Core Offer", purpose="Core learning.", position=1)
    group = CourseGroup(slug="core-training", title="Core Training", section=section, window_amount=3,
                        window_unit="years")
    db.session.add_all([*methods, *audiences, section, group])
    _add_courses(db, section, group, methods, audiences, 0, n)


def _add_courses(db, section, group, methods, audiences, start: int, n: int) -> None:
    for i in range(start, start + n):
        db.session.add(Course(slug=f"course-{i}", title=f"Course {i}", section=section, group=group,
                              summary="A summary.", description="About safeguarding.", position=i,
                              status=IN_DEVELOPMENT if i % 7 == 0 else ACTIVE,
                              delivery_methods=methods, audiences=audiences))
    db.session.commit()


def _grow_to_60(db) -> None:
    section = db.session.scalar(db.select(Section))
    group = db.session.scalar(db.select(CourseGroup))
    methods = list(db.session.scalars(db.select(DeliveryMethod)))
    audiences = list(db.session.scalars(db.select(Audience)))
    _add_courses(db, section, group, methods, audiences, 10, 50)


@pytest.mark.parametrize("url", [
    "/courses",
    "/courses?q=safeguarding&method=seminar&audience=social_workers&section=core",
    "/offer",
    "/offer/core",
])
def test_list_pages_issue_the_same_statements_for_10_and_60_courses(client, db, staff, url):
    _catalogue(db, 10)
    client.get(url)  # warm up anything cached once per process
    with count_statements(db) as with_10:
        response = client.get(url)
    assert response.status_code == 200
    _grow_to_60(db)
    with count_statements(db) as with_60:
        response = client.get(url)
    assert response.status_code == 200
    assert len(with_10) == len(with_60), "\n".join(with_60)
    if url.startswith("/courses"):
        assert results_count(response) == 60


def test_od_search_with_retired_issues_the_same_statements(client, db, od):
    _catalogue(db, 10)
    client.get("/courses?retired=1")
    with count_statements(db) as with_10:
        client.get("/courses?retired=1")
    _grow_to_60(db)
    with count_statements(db) as with_60:
        client.get("/courses?retired=1")
    assert len(with_10) == len(with_60)


# ---------------------------------------------------------------------------------------------
# Text of the offer as paragraphs and lists
# ---------------------------------------------------------------------------------------------

def test_text_blocks_paragraphs_and_bullets():
    text = "First paragraph.\n\nIn addition it will:\n- one\n- two\n\nLast."
    assert text_blocks(text) == [
        {"kind": "p", "text": "First paragraph."},
        {"kind": "label", "text": "In addition it will:"},
        {"kind": "ul", "items": ["one", "two"], "start": 1},
        {"kind": "p", "text": "Last."},
    ]


@pytest.mark.parametrize("marker", ["- ", "· ", "• ", "* "])
def test_text_blocks_bullet_markers(marker):
    assert text_blocks(f"{marker}a\n{marker}b") == [{"kind": "ul", "items": ["a", "b"], "start": 1}]


def test_text_blocks_numbered_list_and_windows_line_endings():
    assert text_blocks("Focus on:\r\n1. Law\r\n2. Pre-proceedings\r\n") == [
        {"kind": "label", "text": "Focus on:"},
        {"kind": "ol", "items": ["Law", "Pre-proceedings"], "start": 1},
    ]


def test_text_blocks_blank_line_separates_lists():
    blocks = text_blocks("- a\n\n- b")
    assert [b["kind"] for b in blocks] == ["ul", "ul"]


def test_text_blocks_leave_hyphenated_words_and_long_colon_lines_alone():
    long_line = "This sentence is long enough that it is not a heading, even though it ends:"
    assert text_blocks("-5 degrees\n" + long_line) == [
        {"kind": "p", "text": "-5 degrees"}, {"kind": "p", "text": long_line}]


@pytest.mark.parametrize("empty", [None, "", "  \n\n "])
def test_text_blocks_empty(empty):
    assert text_blocks(empty) == []
