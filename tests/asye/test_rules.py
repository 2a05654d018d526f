"""The ASYE's pure rules, as tables of dates: the expected end (pro rata, absences, leap years,
extensions), review due dates and statuses, the minimum evidence, coverage and progress."""
from datetime import date as d
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lnd.asye import rules
from lnd.asye.rules import Absence

FT = Decimal("1.00")


@pytest.mark.parametrize("start, fte, absences, extended_to, end", [
    # Full-time: 12 months on, by the calendar.
    (d(2026, 9, 7), FT, [], None, d(2027, 9, 7)),
    (d(2026, 8, 31), FT, [], None, d(2027, 8, 31)),
    (d(2027, 2, 28), FT, [], None, d(2028, 2, 28)),
    (d(2028, 2, 29), FT, [], None, d(2029, 2, 28)),          # leap day start: the last day of February
    (d(2027, 3, 1), FT, [], None, d(2028, 3, 1)),            # over a leap day: still 12 months
    # Part-time: pro rata.
    (d(2026, 9, 7), Decimal("0.8"), [], None, d(2027, 12, 7)),    # 15 months
    (d(2026, 9, 7), Decimal("0.5"), [], None, d(2028, 9, 7)),     # 24 months
    (d(2026, 9, 7), Decimal("0.6"), [], None, d(2028, 5, 7)),     # 20 months
    (d(2027, 2, 28), Decimal("0.75"), [], None, d(2028, 6, 28)),  # 16 months
    (d(2027, 6, 1), Decimal("0.7"), [], None, d(2028, 11, 6)),    # 17 1/7 months: 17 months + ceil(30/7) days
    (d(2028, 1, 31), Decimal("0.9"), [], None, d(2029, 3, 11)),   # 13 1/3: 28 Feb 2029 + ceil(31/3) days
    # Long absences extend by their length (inclusive), shorter ones do not.
    (d(2026, 9, 7), FT, [Absence(d(2027, 1, 4), d(2027, 2, 14))], None, d(2027, 10, 19)),      # 42 days
    (d(2026, 9, 7), FT, [Absence(d(2027, 1, 4), d(2027, 1, 20))], None, d(2027, 9, 7)),        # 17 days: no
    (d(2026, 9, 7), FT, [Absence(d(2027, 1, 4), d(2027, 1, 30))], None, d(2027, 9, 7)),        # 27 days: no
    (d(2026, 9, 7), FT, [Absence(d(2027, 1, 4), d(2027, 1, 31))], None, d(2027, 10, 5)),       # 28 days: yes
    # Adjoining and overlapping absences count once, merged.
    (d(2026, 9, 7), FT, [Absence(d(2027, 1, 1), d(2027, 1, 20)), Absence(d(2027, 1, 21), d(2027, 2, 9))], None,
     d(2027, 10, 17)),
    (d(2026, 9, 7), FT, [Absence(d(2027, 2, 1), d(2027, 3, 31)), Absence(d(2027, 1, 1), d(2027, 2, 28))], None,
     d(2027, 12, 6)),
    # Before the start: only the part within the programme counts (24 days: too short).
    (d(2026, 9, 7), FT, [Absence(d(2026, 8, 1), d(2026, 9, 30))], None, d(2027, 9, 7)),
    # After the end: does not extend.
    (d(2026, 9, 7), FT, [Absence(d(2027, 10, 1), d(2027, 12, 31))], None, d(2027, 9, 7)),
    # An absence reached only because an earlier one extended the year.
    (d(2026, 9, 7), FT, [Absence(d(2027, 6, 1), d(2027, 8, 31)), Absence(d(2027, 10, 1), d(2027, 10, 31))], None,
     d(2028, 1, 8)),
    # Part-time and a leap-year absence (29 days in February 2028).
    (d(2027, 3, 1), Decimal("0.5"), [Absence(d(2028, 2, 1), d(2028, 2, 29))], None, d(2029, 3, 30)),
    # The moderation panel's extension: later of the two.
    (d(2026, 9, 7), FT, [], d(2027, 12, 7), d(2027, 12, 7)),
    (d(2026, 9, 7), FT, [Absence(d(2027, 1, 4), d(2027, 2, 14))], d(2027, 10, 1), d(2027, 10, 19)),
])
def test_expected_end_date(start, fte, absences, extended_to, end):
    assert rules.expected_end_date(start, fte, absences, extended_to) == end


@pytest.mark.parametrize("start, fte, absences, extended_to, three, six, nine, final", [
    (d(2026, 9, 7), FT, [], None, d(2026, 12, 7), d(2027, 3, 7), d(2027, 6, 7), d(2027, 9, 7)),
    (d(2026, 11, 30), FT, [], None, d(2027, 2, 28), d(2027, 5, 30), d(2027, 8, 30), d(2027, 11, 30)),
    (d(2027, 11, 30), FT, [], None, d(2028, 2, 29), d(2028, 5, 30), d(2028, 8, 30), d(2028, 11, 30)),  # leap
    (d(2026, 8, 31), FT, [], None, d(2026, 11, 30), d(2027, 2, 28), d(2027, 5, 31), d(2027, 8, 31)),
    # 0.8 FTE: reviews at 3.75, 7.5, 11.25 and 15 months.
    (d(2026, 9, 7), Decimal("0.8"), [], None, d(2026, 12, 31), d(2027, 4, 22), d(2027, 8, 15), d(2027, 12, 7)),
    # A 61-day absence in the first quarter moves every review; one in month 7 only the later ones.
    (d(2026, 9, 7), FT, [Absence(d(2026, 10, 1), d(2026, 11, 30))], None,
     d(2027, 2, 6), d(2027, 5, 7), d(2027, 8, 7), d(2027, 11, 7)),
    (d(2026, 9, 7), FT, [Absence(d(2027, 4, 1), d(2027, 5, 31))], None,
     d(2026, 12, 7), d(2027, 3, 7), d(2027, 8, 7), d(2027, 11, 7)),
    # An agreed extension moves the final review only.
    (d(2026, 9, 7), FT, [], d(2027, 12, 1), d(2026, 12, 7), d(2027, 3, 7), d(2027, 6, 7), d(2027, 12, 1)),
])
def test_review_due_dates(start, fte, absences, extended_to, three, six, nine, final):
    assert rules.review_due_dates(start, fte, absences, extended_to) == {
        rules.THREE_MONTH: three, rules.SIX_MONTH: six, rules.NINE_MONTH: nine, rules.FINAL: final}


@pytest.mark.parametrize("due, today, signed, optional, code", [
    (d(2026, 12, 7), d(2026, 11, 22), False, False, "due"),        # 15 days away
    (d(2026, 12, 7), d(2026, 11, 23), False, False, "due_soon"),   # 14 days away
    (d(2026, 12, 7), d(2026, 12, 7), False, False, "due_soon"),    # the day itself
    (d(2026, 12, 7), d(2026, 12, 8), False, False, "overdue"),
    (d(2026, 12, 7), d(2027, 6, 1), True, False, "done"),          # signed: never overdue
    (d(2026, 12, 7), d(2026, 1, 1), True, False, "done"),
    (d(2027, 6, 7), d(2027, 6, 8), False, True, "optional"),       # the 9-month review is optional
    (d(2027, 6, 7), d(2027, 6, 1), False, True, "due_soon"),
    (d(2028, 2, 29), d(2028, 2, 14), False, False, "due"),         # leap year: 15 days
    (d(2028, 2, 29), d(2028, 2, 15), False, False, "due_soon"),
    (d(2028, 2, 29), d(2028, 3, 1), False, False, "overdue"),
    (d(2026, 12, 31), d(2027, 1, 1), False, False, "overdue"),     # over the new year
])
def test_review_status(due, today, signed, optional, code):
    status = rules.review_status(due, signed, today, optional=optional)
    assert status.code == code
    assert status.label   # always said in words, not only by the tag's colour


@pytest.mark.parametrize("kind, held_on, comments, judgement, earlier, missing, refusal", [
    (rules.THREE_MONTH, None, "Fine", rules.ON_TRACK, [], [], "Enter the date the review was held"),
    (rules.THREE_MONTH, d(2026, 12, 9), "Fine", rules.ON_TRACK, [], [], "cannot be signed before the date"),
    (rules.THREE_MONTH, d(2026, 12, 7), "  ", rules.ON_TRACK, [], [], "Enter the assessor’s comments"),
    (rules.THREE_MONTH, d(2026, 12, 7), "Fine", None, [], [], "Select whether the NQSW is on track"),
    (rules.THREE_MONTH, d(2026, 12, 7), "Fine", rules.NOT_ON_TRACK, [], [], None),
    (rules.FINAL, d(2026, 12, 7), "Fine", None, [], [], "Select the assessor’s recommendation"),
    (rules.FINAL, d(2026, 12, 7), "Fine", rules.PASS, ["6-month review"], [], "Sign the 6-month review before"),
    (rules.FINAL, d(2026, 12, 7), "Fine", rules.PASS, [], ["direct observations: 2 of 3"],
     "does not yet have the minimum evidence for a pass: direct observations: 2 of 3"),
    (rules.FINAL, d(2026, 12, 7), "Fine", rules.FAIL, [], ["direct observations: 2 of 3"], None),
    (rules.FINAL, d(2026, 12, 7), "Fine", rules.PASS, [], [], None),
])
def test_review_refusal_to_sign(kind, held_on, comments, judgement, earlier, missing, refusal):
    found = rules.review_refusal_to_sign(kind, held_on=held_on, assessor_comments=comments, judgement=judgement,
                                         today=d(2026, 12, 8), earlier_unsigned=earlier, evidence_missing=missing)
    if refusal is None:
        assert found is None
    else:
        assert refusal in found


def test_the_checklist_counts_each_kind_of_evidence_against_its_minimum():
    items = rules.evidence_checklist(
        {rules.OBSERVATION: 2, rules.FAMILY_FEEDBACK: 3, rules.PROFESSIONAL_FEEDBACK: 4,
         rules.CRITICAL_REFLECTION: 1, rules.SELF_ASSESSMENT: 2},
        {rules.CRITICAL_REFLECTION: {"six_month"}, rules.SELF_ASSESSMENT: {"start", "midway"}})
    summary = [(item.label, item.have, item.need, item.met) for item in items]
    assert summary == [
        ("Direct observations of practice", 2, 3, False),
        ("Feedback from children, young people and families", 3, 3, True),
        ("Feedback from other professionals", 4, 3, True),
        ("Critical reflections at 6 and 12 months", 1, 2, False),
        ("KSS self-assessments at the start, midway and near the end", 2, 3, False),
    ]
    assert items[3].detail == "Still needed: at 12 months"
    assert items[4].detail == "Still needed: near the end"
    assert rules.evidence_missing(items) == [
        "direct observations of practice: 2 of 3", "critical reflections at 6 and 12 months: 1 of 2",
        "kss self-assessments at the start, midway and near the end: 2 of 3"]


def test_an_empty_portfolio_needs_everything_and_a_full_one_nothing():
    assert not any(item.met for item in rules.evidence_checklist({}, {}))
    full = rules.evidence_checklist(
        {rules.OBSERVATION: 3, rules.FAMILY_FEEDBACK: 3, rules.PROFESSIONAL_FEEDBACK: 3},
        {rules.CRITICAL_REFLECTION: {"six_month", "twelve_month"}, rules.SELF_ASSESSMENT: {"start", "midway", "end"}})
    assert all(item.met for item in full) and rules.evidence_missing(full) == []


def test_coverage_marks_statements_without_entries_as_gaps():
    rows = rules.coverage([(2, "KSS 2", "Communication"), (1, "KSS 1", "Relationships"), (3, "KSS 3", "Child Development")],
                          {1: 2, 3: 0}, {3: 1})
    assert [(r.short_name, r.entries, r.modules, r.gap) for r in rows] == [
        ("KSS 1", 2, 0, False), ("KSS 2", 0, 0, True), ("KSS 3", 0, 1, True)]   # a module alone is not evidence


@pytest.mark.parametrize("today, text, percent", [
    (d(2026, 9, 1), "Not started", 0),
    (d(2026, 9, 7), "Month 1 of 12", 0),
    (d(2026, 11, 22), "Month 3 of 12", 20),
    (d(2027, 9, 6), "Month 12 of 12", 99),
    (d(2027, 9, 7), "Programme period ended", 100),
    (d(2028, 1, 1), "Programme period ended", 100),
])
def test_programme_progress(today, text, percent):
    progress = rules.programme_progress(d(2026, 9, 7), d(2027, 9, 7), today)
    assert (progress.text, progress.percent) == (text, percent)


def test_progress_of_a_part_time_year_counts_its_own_months():
    assert rules.programme_progress(d(2026, 9, 7), d(2027, 12, 7), d(2026, 9, 8)).text == "Month 1 of 15"


@pytest.mark.parametrize("pattern, fte, refusal", [
    ("full_time", None, None),
    ("part_time", Decimal("0.8"), None),
    ("part_time", Decimal("0.1"), None),
    ("part_time", None, "Enter the full-time equivalent"),
    ("part_time", Decimal("1.0"), "between 0.1 and 0.99"),
    ("part_time", Decimal("0.05"), "between 0.1 and 0.99"),
    ("", None, "Select the working pattern"),
])
def test_working_pattern(pattern, fte, refusal):
    found = rules.working_pattern_refusal(pattern, fte)
    assert (found is None) if refusal is None else (refusal in found)


@pytest.mark.parametrize("valid_from, valid_until, start, refusal", [
    (None, d(2027, 3, 31), d(2027, 3, 31), None),
    (None, d(2027, 3, 31), d(2027, 4, 1), "apply until 31 March 2027"),
    (d(2027, 4, 1), None, d(2027, 3, 31), "starting on or after 1 April 2027"),
    (d(2027, 4, 1), None, d(2027, 4, 1), None),
])
def test_framework_version_must_be_in_force_on_the_start_date(valid_from, valid_until, start, refusal):
    found = rules.framework_refusal(valid_from, valid_until, start, "The KSS")
    assert (found is None) if refusal is None else (refusal in found)


@pytest.mark.parametrize("starts_on, ends_on, refusal", [
    (d(2027, 1, 4), d(2027, 1, 31), None),
    (d(2027, 1, 4), d(2027, 1, 30), "Only absences of 4 weeks or more"),
    (d(2027, 1, 31), d(2027, 1, 4), "must be the same as or after"),
    (d(2026, 7, 1), d(2026, 8, 1), "ended before the ASYE started"),
    (d(2026, 8, 1), d(2026, 9, 30), "Only absences of 4 weeks or more"),   # 24 days of it within the ASYE
])
def test_absence_refusal(starts_on, ends_on, refusal):
    found = rules.absence_refusal(starts_on, ends_on, d(2026, 9, 7))
    assert (found is None) if refusal is None else (refusal in found)


def test_fractional_months_round_up_to_a_whole_day():
    assert rules.add_fractional_months(d(2026, 1, 31), Fraction(1)) == d(2026, 2, 28)
    # Half of the month from 31 January to 28 February (28 days).
    assert rules.add_fractional_months(d(2026, 1, 31), Fraction(1, 2)) == d(2026, 2, 14)
    assert rules.add_fractional_months(d(2026, 1, 1), Fraction(1, 1000)) == d(2026, 1, 2)


starts = st.dates(min_value=d(2020, 1, 1), max_value=d(2035, 12, 31))
ftes = st.sampled_from([Decimal(x) for x in ("0.1", "0.25", "0.5", "0.6", "0.7", "0.75", "0.8", "0.9", "1")])


@given(starts, ftes, st.lists(st.tuples(st.integers(0, 900), st.integers(0, 200)), max_size=4))
def test_the_year_is_never_shorter_than_twelve_months_and_reviews_come_in_order(start, fte, spans):
    from datetime import timedelta

    absences = [Absence(start + timedelta(days=a), start + timedelta(days=a + n)) for a, n in spans]
    due = rules.review_due_dates(start, fte, absences)
    assert due[rules.FINAL] >= rules.expected_end_date(start, Decimal("1"))
    assert start < due[rules.THREE_MONTH] <= due[rules.SIX_MONTH] <= due[rules.NINE_MONTH] <= due[rules.FINAL]
    # Working less, or being away longer, never brings the end forward.
    assert rules.expected_end_date(start, fte, absences) >= rules.expected_end_date(start, fte)
