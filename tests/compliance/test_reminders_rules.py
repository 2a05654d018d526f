"""Which reminder one item is due on a day, given the reminders already sent: tables of dates."""
from datetime import date, timedelta

import pytest

from lnd.compliance import reminders, rules
from lnd.compliance.reminders import DUE_SOON, OVERDUE, Sent

DUE_ON = date(2026, 12, 7)


def day(offset: int) -> date:
    """A day counted from the due date: -14 is two weeks before, 1 the first day overdue."""
    return DUE_ON + timedelta(days=offset)


def status_on(today: date, due_on: date = DUE_ON) -> rules.Status:
    return rules.requirement_status(due_on, None, today)


def simulate(run_days, *, runs_a_day: int = 1, due_soon_days: int = rules.DUE_SOON_DAYS):
    """Run the job on each of `run_days` (offsets), feeding back what it sends; returns the sends."""
    sent: list[Sent] = []
    for offset in run_days:
        for _ in range(runs_a_day):
            kind = reminders.reminder_due(status_on(day(offset)), day(offset), sent, due_soon_days=due_soon_days)
            if kind:
                sent.append(Sent(kind, day(offset)))
    return [((s.sent_on - DUE_ON).days, s.kind) for s in sent]


@pytest.mark.parametrize("offset, sent, expected", [
    (-30, [], None),
    (-15, [], None),                                   # 15 days before: not yet
    (-14, [], DUE_SOON),                               # exactly 14 days before
    (-13, [(DUE_SOON, -14)], None),                    # only one "due soon" per item
    (-14, [(DUE_SOON, -14)], None),                    # run twice the same day
    (-10, [], DUE_SOON),                               # the job did not run on day -14: sent late, once
    (0, [], DUE_SOON),                                 # on the due date itself
    (1, [], OVERDUE),                                  # the first day overdue
    (1, [(DUE_SOON, -14)], OVERDUE),
    (1, [(OVERDUE, 1)], None),                         # run twice on day 1
    (7, [(OVERDUE, 1)], None),                         # six days after the last: not yet
    (8, [(OVERDUE, 1)], OVERDUE),                      # a week after the last
    (22, [(OVERDUE, 1), (OVERDUE, 8), (OVERDUE, 15)], OVERDUE),
    (29, [(OVERDUE, 1), (OVERDUE, 8), (OVERDUE, 15), (OVERDUE, 22)], None),   # at most 4
    (400, [(OVERDUE, 1), (OVERDUE, 8), (OVERDUE, 15), (OVERDUE, 22)], None),
    (100, [], OVERDUE),                                # long overdue and never reminded
    (10, [(OVERDUE, 4)], None),                        # missed days: still a week after the last one sent
    (11, [(OVERDUE, 4)], OVERDUE),
])
def test_reminder_due(offset, sent, expected):
    previous = [Sent(kind, day(at)) for kind, at in sent]
    assert reminders.reminder_due(status_on(day(offset)), day(offset), previous) == expected


def test_daily_runs_send_due_soon_once_then_overdue_on_days_1_8_15_22_and_never_again():
    assert simulate(range(-40, 120)) == [(-14, DUE_SOON), (1, OVERDUE), (8, OVERDUE), (15, OVERDUE), (22, OVERDUE)]


def test_running_twice_a_day_sends_nothing_more():
    assert simulate(range(-40, 120), runs_a_day=2) == simulate(range(-40, 120))


@pytest.mark.parametrize("run_days, expected", [
    # the job did not run for 3 days after the due date
    ([d for d in range(-20, 60) if d not in (1, 2, 3)],
     [(-14, DUE_SOON), (4, OVERDUE), (11, OVERDUE), (18, OVERDUE), (25, OVERDUE)]),
    # the job did not run from 14 to 3 days before the due date
    ([d for d in range(-20, 30) if not -14 <= d <= -3], [(-2, DUE_SOON), (1, OVERDUE), (8, OVERDUE),
                                                          (15, OVERDUE), (22, OVERDUE)]),
    # the job runs only every third day
    (range(-21, 60, 3), [(-12, DUE_SOON), (3, OVERDUE), (12, OVERDUE), (21, OVERDUE), (30, OVERDUE)]),
    # the job runs only every ten days
    (range(-20, 100, 10), [(-10, DUE_SOON), (10, OVERDUE), (20, OVERDUE), (30, OVERDUE), (40, OVERDUE)]),
])
def test_missed_days_still_at_most_one_overdue_reminder_a_week(run_days, expected):
    sends = simulate(run_days)
    assert sends == expected
    overdue_days = [at for at, kind in sends if kind == OVERDUE]
    assert all(b - a >= reminders.OVERDUE_EVERY_DAYS for a, b in zip(overdue_days, overdue_days[1:]))


@pytest.mark.parametrize("due_soon_days, offset, expected", [
    (21, -22, None),
    (21, -21, DUE_SOON),     # the status still says "due" (14 days), the setting says remind now
    (7, -8, None),           # the status says "due soon", the setting says not yet
    (7, -7, DUE_SOON),
    (0, -1, None),
    (0, 0, DUE_SOON),
])
def test_the_due_soon_setting(due_soon_days, offset, expected):
    assert reminders.reminder_due(status_on(day(offset)), day(offset), due_soon_days=due_soon_days) == expected


TODAY = date(2026, 11, 23)


@pytest.mark.parametrize("status, expected", [
    (rules.Status(rules.COMPLETED, due_on=TODAY + timedelta(days=5), completed_on=date(2026, 11, 1)), None),
    (rules.Status(rules.COMPLETED, due_on=TODAY - timedelta(days=5), completed_on=date(2026, 11, 20)), None),
    (rules.Status(rules.EXEMPT, due_on=TODAY - timedelta(days=5), reason="Prior learning"), None),
    (rules.Status(rules.NOT_APPLICABLE, due_on=TODAY - timedelta(days=5)), None),
    (rules.Status(rules.DUE, due_on=TODAY + timedelta(days=30), days=30), None),
    # booked on a future session: not reminded as due soon…
    (rules.Status(rules.BOOKED, due_on=TODAY + timedelta(days=5), days=-5, booked_on=TODAY + timedelta(days=3)), None),
    # …nor as overdue while the booking stands (it is in the manager's digest instead)
    (rules.Status(rules.BOOKED, due_on=TODAY - timedelta(days=5), days=5, booked_on=TODAY + timedelta(days=3)), None),
    (rules.Status(rules.OVERDUE, due_on=TODAY - timedelta(days=5), days=5), OVERDUE),
    (rules.Status(rules.EXPIRED, due_on=TODAY - timedelta(days=2), days=2, completed_on=date(2023, 11, 21)), OVERDUE),
    (rules.Status(rules.DUE_SOON, due_on=TODAY + timedelta(days=10), days=10, completed_on=date(2023, 12, 3)),
     DUE_SOON),   # a renewal coming up
    (rules.Status(rules.OVERDUE, due_on=None), None),
])
def test_what_is_chased(status, expected):
    assert reminders.reminder_due(status, TODAY) == expected


@pytest.mark.parametrize("status, in_digest", [
    (rules.Status(rules.OVERDUE, due_on=TODAY - timedelta(days=5), days=5), True),
    (rules.Status(rules.EXPIRED, due_on=TODAY - timedelta(days=2), days=2), True),
    (rules.Status(rules.BOOKED, due_on=TODAY - timedelta(days=5), days=5, booked_on=TODAY + timedelta(days=3)), True),
    (rules.Status(rules.BOOKED, due_on=TODAY + timedelta(days=5), days=-5, booked_on=TODAY + timedelta(days=3)), False),
    (rules.Status(rules.DUE_SOON, due_on=TODAY + timedelta(days=5), days=5), False),
    (rules.Status(rules.EXEMPT, due_on=TODAY - timedelta(days=5)), False),
    (rules.Status(rules.NOT_APPLICABLE, due_on=TODAY - timedelta(days=5)), False),
])
def test_what_goes_in_the_managers_digest(status, in_digest):
    assert reminders.in_digest(status) is in_digest


MON, TUE, WED, THU, FRI, SAT, SUN = (date(2026, 11, 23) + timedelta(days=n) for n in range(7))


@pytest.mark.parametrize("today, weekday, last_sent_on, expected", [
    (MON, 0, None, True),                       # the digest day, none sent yet
    (MON, 0, MON, False),                       # already sent today
    (MON, 0, MON - timedelta(days=7), True),    # last week's does not count
    (TUE, 0, MON, False),                       # sent on Monday: not again this week
    (TUE, 0, MON - timedelta(days=7), True),    # Monday's run was missed: Tuesday catches up
    (TUE, 0, None, True),
    (SUN, 0, TUE, False),                       # caught up on Tuesday: nothing more this week
    (SUN, 0, MON - timedelta(days=1), True),    # the whole week missed until Sunday
    (MON + timedelta(days=7), 0, TUE, True),    # the next Monday: a new week
    (WED, 4, None, False),                      # digests on Fridays: not before Friday
    (FRI, 4, None, True),
    (SAT, 4, FRI, False),
    (SAT, 4, THU - timedelta(days=7), True),    # Friday missed
    (MON, 6, SUN - timedelta(days=7), False),   # Sunday digests: Monday is before this week's Sunday
    (date(2024, 2, 27), 0, None, True),         # a leap-year Tuesday after a missed Monday
])
def test_the_digest_is_due_once_a_week_on_or_after_the_digest_day(today, weekday, last_sent_on, expected):
    assert reminders.digest_due(today, weekday, last_sent_on) is expected


@pytest.mark.parametrize("today, weekday, day", [
    (MON, 0, MON), (SUN, 0, MON), (TUE, 4, FRI), (SUN, 6, SUN), (MON, 6, SUN),
])
def test_this_weeks_digest_day(today, weekday, day):
    assert reminders.digest_day_this_week(today, weekday) == day


@pytest.mark.parametrize("name, number", [
    ("Monday", 0), ("monday", 0), (" MON ", 0), ("Wednesday", 2), ("fri", 4), ("Sunday", 6), (3, 3),
])
def test_weekday_number(name, number):
    assert reminders.weekday_number(name) == number


@pytest.mark.parametrize("name", ["", "mo", "Funday", "8", 7])
def test_weekday_number_refuses_what_is_not_a_day(name):
    with pytest.raises(ValueError, match="is not a day of the week"):
        reminders.weekday_number(name)


def test_overdue_number_counts_overdue_reminders_only():
    sent = [Sent(DUE_SOON, day(-14)), Sent(OVERDUE, day(1)), Sent(OVERDUE, day(8))]
    assert reminders.overdue_number(sent) == 3
    assert reminders.overdue_number([]) == 1
