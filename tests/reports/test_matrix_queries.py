"""The matrix read model: what a cell says for each status, and export chunks that cover everyone
once, in the page's order, whatever the ties in surname and first name."""
from __future__ import annotations

from datetime import date

import pytest

from lnd.compliance import rules
from lnd.reports import matrix_queries as mq
from tests.reports import _matrix_support
from tests.reports._matrix_support import TODAY

DAY = date(2026, 3, 3)
LATER = date(2026, 12, 4)

org = _matrix_support.org   # the fixture


@pytest.mark.parametrize("status, text, kind", [
    (rules.Status(rules.COMPLETED, due_on=LATER, completed_on=DAY), "Completed 3 Mar 2026", "completed"),
    (rules.Status(rules.COMPLETED, due_on=LATER, completed_on=DAY, expires_on=date(2029, 3, 3)),
     "Completed 3 Mar 2026", "completed"),
    (rules.Status(rules.BOOKED, due_on=LATER, booked_on=DAY), "Booked 3 Mar 2026", "booked"),
    # Booked, but the due date has gone by: it says so and is marked like an overdue course.
    (rules.Status(rules.BOOKED, due_on=DAY, booked_on=LATER, days=5), "Booked 4 Dec 2026 (was due 3 Mar 2026)",
     "overdue"),
    (rules.Status(rules.OVERDUE, due_on=date(2026, 10, 1), days=52), "Overdue (due 1 Oct 2026)", "overdue"),
    (rules.Status(rules.EXPIRED, due_on=DAY, completed_on=date(2023, 3, 3), days=264), "Expired 3 Mar 2026",
     "expired"),
    (rules.Status(rules.DUE_SOON, due_on=LATER, days=12), "Due soon (due 4 Dec 2026)", "due_soon"),
    (rules.Status(rules.DUE, due_on=LATER, days=40), "Due 4 Dec 2026", "due"),
    (rules.Status(rules.EXEMPT, due_on=LATER, reason="Prior learning"), "Exempt", "exempt"),
    (rules.Status(rules.NOT_APPLICABLE, due_on=LATER), "—", "not_applicable"),
    (None, "—", "not_required"),
])
def test_a_cell_says_the_status_and_the_date_that_matters(status, text, kind):
    cell = mq.cell_for(status)
    assert (cell.text, cell.kind) == (text, kind)
    assert cell.css_class == "app-matrix__cell--" + kind.replace("_", "-")


def test_chunks_cover_everyone_once_in_the_pages_order_despite_ties(org, make_person):
    for n in range(5):
        make_person("Sam", "Smith", team="Assessment")
        make_person("Alex", "Smith", team="Assessment")
    stmt = mq.people_query(mq.MatrixFilters(), TODAY)
    everyone = [p.id for p in mq.page_of_people(stmt, 1, 1000)]
    for size in (1, 2, 3, 7, 500):
        chunks = list(mq.people_in_chunks(stmt, size))
        assert [p.id for chunk in chunks for p in chunk] == everyone
        assert all(len(chunk) <= size for chunk in chunks)
    assert len(everyone) == 17
    assert mq.count_people(stmt) == 17


def test_the_columns_are_the_required_courses_by_window_and_by_section(org):
    headings = mq.window_headings()
    assert [h.key for h in headings] == ["childrens-services-induction", "corporate-induction",
                                         "childrens-services-core-training"]
    titles = mq.column_titles(headings)
    assert len(titles) == len(set(titles))
    assert "Section 47, enquiry" in titles   # required of social workers only, still a column
    assert "Permanency" not in titles   # in development: not required until it is available
    assert [h.key for h in mq.window_headings("induction")] == ["childrens-services-induction", "corporate-induction"]
    assert mq.sections_with_windows() == [("induction", "The Induction"), ("core-offer", "The Core Offer")]
    assert mq.header_row(headings)[:6] == mq.PERSON_HEADINGS


def test_filter_names_are_found_whatever_their_case(org):
    assert mq.team_named("assessment") is not None
    assert mq.job_role_named("SOCIAL WORKER") is not None
    assert mq.person_with_email(org.manager.email.upper()) == org.manager.id
    assert mq.team_named("Nowhere") is None
    assert [name for _, name in mq.managers(org.manager.id)] == ["Morgan Manager"]
    assert [name for _, name in mq.managers(org.senior.id)] == ["Morgan Manager", "Sienna Senior"]
