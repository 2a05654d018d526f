"""The registration year and readiness rules, as tables of dates."""
from datetime import date

import pytest

from lnd.cpd import rules


@pytest.mark.parametrize("day, starts, ends", [
    (date(2026, 11, 30), date(2025, 12, 1), date(2026, 11, 30)),   # the last day of a year
    (date(2026, 12, 1), date(2026, 12, 1), date(2027, 11, 30)),    # the first day of the next
    (date(2026, 1, 1), date(2025, 12, 1), date(2026, 11, 30)),
    (date(2025, 12, 31), date(2025, 12, 1), date(2026, 11, 30)),
    (date(2026, 9, 1), date(2025, 12, 1), date(2026, 11, 30)),
    (date(2028, 2, 29), date(2027, 12, 1), date(2028, 11, 30)),    # a leap day
    (date(2024, 2, 29), date(2023, 12, 1), date(2024, 11, 30)),
    (date(2027, 12, 1), date(2027, 12, 1), date(2028, 11, 30)),
])
def test_registration_year_runs_1_december_to_30_november(day, starts, ends):
    year = rules.registration_year(day)
    assert (year.starts_on, year.ends_on) == (starts, ends)
    assert year.contains(day)
    assert year.ending_year == ends.year
    assert year.renewal_opens_on == date(ends.year, 9, 1)


def test_year_label_and_boundaries():
    year = rules.registration_year_ending(2026)
    assert year.label == "1 December 2025 to 30 November 2026"
    assert not year.contains(date(2025, 11, 30))
    assert not year.contains(date(2026, 12, 1))


@pytest.mark.parametrize("today, days_left", [
    (date(2026, 11, 30), 0),
    (date(2026, 11, 29), 1),
    (date(2026, 11, 22), 8),
    (date(2026, 9, 1), 90),
    (date(2026, 12, 1), 364),     # 1 Dec 2026 to 30 Nov 2027, no leap day in between
    (date(2027, 12, 1), 365),     # 1 Dec 2027 to 30 Nov 2028 passes 29 February 2028
    (date(2028, 2, 28), 276),
    (date(2028, 3, 1), 274),
])
def test_days_until_30_november(today, days_left):
    assert rules.readiness([], today).days_left == days_left


@pytest.mark.parametrize("today, is_open", [
    (date(2026, 8, 31), False),
    (date(2026, 9, 1), True),      # renewal opens
    (date(2026, 11, 30), True),    # and closes at the end of 30 November
    (date(2026, 12, 1), False),    # a new year: renewal for it opens next September
    (date(2027, 1, 15), False),
    (date(2028, 9, 1), True),
])
def test_renewal_window_from_1_september_to_30_november(today, is_open):
    assert rules.readiness([], today).renewal_open is is_open


NOV_22 = date(2026, 11, 22)


@pytest.mark.parametrize("records, today, count, peers, ready, kind", [
    ([], NOV_22, 0, 0, False, rules.NOT_READY),
    ([(date(2026, 3, 1), True)], NOV_22, 1, 1, False, rules.NOT_READY),
    ([(date(2026, 3, 1), False), (date(2026, 4, 1), False)], NOV_22, 2, 0, False, rules.NOT_READY),
    ([(date(2026, 3, 1), False), (date(2026, 4, 1), True)], NOV_22, 2, 1, True, rules.READY),
    ([(date(2026, 3, 1), True), (date(2026, 4, 1), True), (date(2026, 5, 1), False)], NOV_22, 3, 2, True, rules.READY),
    # Boundaries: 1 December counts in the year, 30 November before it does not.
    ([(date(2025, 12, 1), True), (date(2026, 11, 22), False)], NOV_22, 2, 1, True, rules.READY),
    ([(date(2025, 11, 30), True), (date(2026, 11, 22), False)], NOV_22, 1, 0, False, rules.NOT_READY),
    # On 1 December last year's records no longer count: the new year starts at nothing.
    ([(date(2026, 3, 1), True), (date(2026, 11, 30), False)], date(2026, 11, 30), 2, 1, True, rules.READY),
    ([(date(2026, 3, 1), True), (date(2026, 11, 30), False)], date(2026, 12, 1), 0, 0, False, rules.IN_PROGRESS),
    # Before renewal opens a person short of the requirement is "not ready yet".
    ([(date(2026, 3, 1), True)], date(2026, 8, 31), 1, 1, False, rules.IN_PROGRESS),
    ([(date(2026, 3, 1), True)], date(2026, 9, 1), 1, 1, False, rules.NOT_READY),
    # A leap day is in the year that ends the following November.
    ([(date(2028, 2, 29), True), (date(2027, 12, 1), False)], date(2028, 10, 1), 2, 1, True, rules.READY),
])
def test_readiness(records, today, count, peers, ready, kind):
    state = rules.readiness(records, today)
    assert (state.records, state.peer_reflections, state.ready, state.kind) == (count, peers, ready, kind)
    assert state.label == rules.LABELS[kind]


@pytest.mark.parametrize("records, peers, needed", [
    (0, 0, "2 more pieces of CPD and a peer reflection on at least one piece"),
    (1, 0, "1 more piece of CPD and a peer reflection on at least one piece"),
    (1, 1, "1 more piece of CPD"),
    (3, 0, "a peer reflection on at least one piece"),
    (2, 1, ""),
])
def test_still_needed(records, peers, needed):
    assert rules.readiness_from_counts(records, peers, NOV_22).still_needed == needed


@pytest.mark.parametrize("today, records, peers, remind", [
    (date(2026, 8, 31), 0, 0, False),     # renewal not open yet
    (date(2026, 9, 1), 0, 0, True),
    (date(2026, 9, 1), 2, 1, False),      # ready
    (date(2026, 11, 30), 1, 1, True),
    (date(2026, 12, 1), 0, 0, False),     # a new year: nothing until next September
])
def test_should_remind_from_1_september_when_not_ready(today, records, peers, remind):
    assert rules.should_remind(rules.readiness_from_counts(records, peers, today)) is remind


def test_deadline_and_summary_texts():
    assert rules.readiness_from_counts(1, 0, date(2026, 11, 30)).deadline_text == \
        "Today, 30 November 2026, is the last day to renew"
    assert rules.readiness_from_counts(1, 0, date(2026, 11, 29)).deadline_text == "1 day until 30 November 2026"
    assert rules.readiness_from_counts(1, 0, NOV_22).summary == "1 piece of CPD recorded, none with a peer reflection"
    assert rules.readiness_from_counts(3, 2, NOV_22).summary == "3 pieces of CPD recorded, 2 with a peer reflection"
