"""`flask --app lnd reminders send`: due soon, overdue and the managers' weekly digest, through a real
SMTP server on loopback, never twice for the same item and day."""
from __future__ import annotations

import email
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email import policy

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import IntegrityError

from lnd.bookings import session_services
from lnd.bookings.models import Booking
from lnd.compliance import reminder_services
from lnd.compliance.models import Exemption
from lnd.compliance.reminder_models import ReminderDigestLog, ReminderLog
from lnd.core import clock
from lnd.core.models import AuditEvent
from lnd.courses.models import Completion, Course

MONDAY = date(2026, 11, 23)
INDUCTION = {"LCS/EHM Training", "Practice Standards", "CC Inform Introduction and Registration",
             "Tri.x – Children’s Services Procedure Manual", "Threshold Training", "SEND E Learning"}
BASE_URL = "https://learning.example.org"


@dataclass
class Team:
    sienna: object   # senior manager
    morgan: object   # manages noah, olive, nemo, lena
    omar: object     # manages uma
    lenny: object    # a manager who has left; una still reports to him
    noah: object     # started 9 November: induction due 7 December (due soon); SEND done
    olive: object    # started 12 October: induction was due 9 November; exempt from one, booked on one
    nemo: object     # like olive, without an e-mail address
    lena: object     # like olive, left on 20 November
    uma: object
    una: object


def course(db, title: str) -> Course:
    return db.session.scalar(select(Course).where(Course.title == title))


@pytest.fixture
def team(db, offer, make_person, app, monkeypatch) -> Team:
    monkeypatch.setitem(app.config, "BASE_URL", BASE_URL)
    manager = ("staff", "manager")
    sienna = make_person("Sienna", "Senior", roles=manager, start_date=None)
    morgan = make_person("Morgan", "Manager", roles=manager, manager=sienna, start_date=None)
    omar = make_person("Omar", "Othermanager", roles=manager, start_date=None)
    lenny = make_person("Lenny", "Leftmanager", roles=manager, manager=sienna, start_date=None,
                        leaving_date=date(2026, 11, 1))
    started = date(2026, 10, 12)
    noah = make_person("Noah", "Newstarter", manager=morgan, start_date=date(2026, 11, 9))
    olive = make_person("Olive", "Overdue", manager=morgan, start_date=started)
    nemo = make_person("Nemo", "Nomail", manager=morgan, start_date=started)
    nemo.email = ""
    lena = make_person("Lena", "Leaver", manager=morgan, start_date=started, leaving_date=date(2026, 11, 20))
    uma = make_person("Uma", "Unrelated", manager=omar, start_date=started)
    una = make_person("Una", "Underleaver", manager=lenny, start_date=started)
    od = make_person("Odette", "Admin", roles=("staff", "od_admin"), start_date=None)

    db.session.add(Completion(person_id=noah.id, course_id=course(db, "SEND E Learning").id,
                              completed_on=date(2026, 11, 12), source="od_recorded"))
    db.session.add(Exemption(person_id=olive.id, course_id=course(db, "Threshold Training").id,
                             reason="Prior learning", recorded_by_id=od.id))
    start = datetime(2026, 12, 3, 9, 30, tzinfo=clock.LONDON)
    session = session_services.create_session(
        course(db, "Tri.x – Children’s Services Procedure Manual"),
        session_services.SessionDetails(None, capacity=20, parts=[
            session_services.PartDetails(start, start + timedelta(hours=3), "Middlesbrough House")]), od)
    session.taken = 1
    db.session.add(Booking(session_id=session.id, person_id=olive.id, state="booked"))
    db.session.commit()
    return Team(sienna, morgan, omar, lenny, noah, olive, nemo, lena, uma, una)


def plan(day: date = MONDAY, **settings):
    return reminder_services.plan_messages(day, reminder_services.Settings(**settings))


def parsed(inbox):
    return [email.message_from_bytes(m.as_bytes(), policy=policy.default) for m in inbox]


def to(messages, person):
    return [m for m in messages if m["To"] == person.email]


def body(message) -> str:
    return message.get_body(("plain",)).get_content()


def subject(message) -> str:
    return " ".join(message["Subject"].split())


def test_who_is_due_what_on_a_monday(team):
    messages = plan()
    by_recipient = {m.recipient_name: m for m in messages}
    assert set(by_recipient) == {"Noah Newstarter", "Olive Overdue", "Uma Unrelated", "Una Underleaver",
                                 "Morgan Manager", "Sienna Senior", "Omar Othermanager"}
    noah = by_recipient["Noah Newstarter"]
    assert {(i.kind, i.course_title, i.due_on) for i in noah.items} == \
        {("due_soon", title, date(2026, 12, 7)) for title in INDUCTION - {"SEND E Learning"}}
    olive = by_recipient["Olive Overdue"]   # not the exempt course, not the booked one
    assert {(i.kind, i.course_title) for i in olive.items} == \
        {("overdue", t) for t in INDUCTION - {"Threshold Training", "Tri.x – Children’s Services Procedure Manual"}}
    assert all(i.number == 1 for i in olive.items)

    morgan = by_recipient["Morgan Manager"]  # the booked item is overdue too: the manager sees it
    assert {(i.person_name, i.course_title) for i in morgan.items} == \
        {("Olive Overdue", t) for t in INDUCTION - {"Threshold Training"}} | {("Nemo Nomail", t) for t in INDUCTION}
    sienna = by_recipient["Sienna Senior"]   # indirect reports, also through a manager who has left
    assert {i.person_name for i in sienna.items} == {"Olive Overdue", "Nemo Nomail", "Una Underleaver"}
    assert {i.person_name for i in by_recipient["Omar Othermanager"].items} == {"Uma Unrelated"}


def test_the_digest_weekday_is_a_setting(team):
    tuesday = MONDAY + timedelta(days=1)
    assert not [m for m in plan(MONDAY, digest_weekday=1) if m.kind == "digest"]   # before Tuesday
    digests = [m.recipient_name for m in plan(tuesday, digest_weekday=1) if m.kind == "digest"]
    assert sorted(digests) == ["Morgan Manager", "Omar Othermanager", "Sienna Senior"]


def test_a_missed_digest_day_is_caught_up_once_that_week(team, db, smtp_server):
    tuesday, wednesday = MONDAY + timedelta(days=1), MONDAY + timedelta(days=2)
    # nothing ran on Monday: Tuesday's run sends the digests
    catch_up = [m for m in plan(tuesday) if m.kind == "digest"]
    assert sorted(m.recipient_name for m in catch_up) == ["Morgan Manager", "Omar Othermanager", "Sienna Senior"]
    for message in catch_up[:2]:
        reminder_services.send_message(message, tuesday)
        db.session.commit()
    # Wednesday: only the one not sent on Tuesday (its mail was refused, say)
    assert [m.recipient_name for m in plan(wednesday) if m.kind == "digest"] == [catch_up[2].recipient_name]
    reminder_services.send_message(catch_up[2], wednesday)
    db.session.commit()
    assert not [m for m in plan(wednesday + timedelta(days=4)) if m.kind == "digest"]   # Sunday: none again
    assert len([m for m in plan(MONDAY + timedelta(weeks=1)) if m.kind == "digest"]) == 3   # a new week


def test_the_due_soon_setting(team):
    three_weeks_before = date(2026, 11, 16)
    assert "Noah Newstarter" not in [m.recipient_name for m in plan(three_weeks_before)]
    assert "Noah Newstarter" in [m.recipient_name for m in plan(three_weeks_before, due_soon_days=21)]


def test_the_command_sends_through_smtp_once_a_day(team, runner, db, smtp_server):
    clock.freeze(MONDAY)
    dry = runner.invoke(args=["reminders", "send", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert (f"Would send to {team.olive.email} (Olive Overdue): overdue — LCS/EHM Training, due 9 November 2026 "
            "(overdue reminder 1 of 4)") in dry.output
    assert f"Would send to {team.noah.email} (Noah Newstarter): due soon — Practice Standards, due 7 December 2026" \
        in dry.output
    assert f"Would send to {team.morgan.email} (Morgan Manager): weekly digest of 11 overdue items for 2 people" \
        in dry.output
    assert "    Nemo Nomail: SEND E Learning, due 9 November 2026" in dry.output
    assert "Dry run: 7 messages would be sent; nothing was sent or recorded." in dry.output
    assert smtp_server.messages == []
    assert db.session.scalar(select(func.count(ReminderLog.id))) == 0

    first = runner.invoke(args=["reminders", "send"])
    assert first.exit_code == 0, first.output
    assert "7 messages sent." in first.output
    inbox = parsed(smtp_server.messages)
    assert len(inbox) == 7
    assert not to(inbox, team.lena) and not to(inbox, team.lenny) and not [m for m in inbox if not m["To"]]

    [olive] = to(inbox, team.olive)
    assert subject(olive) == "Overdue: CC Inform Introduction and Registration, was due by 9 November 2026 " \
                             "(and 3 more required courses)"
    text = body(olive)
    assert text.startswith("Dear Olive,\n\nThese 4 required courses are overdue:")
    assert "- LCS/EHM Training (Children’s Services – Induction): Was due by 9 November 2026 (2 weeks overdue) " \
           "(reminder 1 of 4)" in text
    assert "Threshold Training" not in text and "Tri.x" not in text
    assert f"on My learning: {BASE_URL}/my-learning" in text

    [noah] = to(inbox, team.noah)
    assert subject(noah) == "Due soon: CC Inform Introduction and Registration, by 7 December 2026 " \
                            "(and 4 more required courses)"
    assert "- Practice Standards (Children’s Services – Induction): Due by 7 December 2026" in body(noah)

    [morgan] = to(inbox, team.morgan)
    assert subject(morgan) == "Your team's overdue required learning, week of 23 November 2026: 11 courses, 2 people"
    text = body(morgan)
    assert "on 23 November 2026: 11 courses for 2 people." in text
    assert "Nemo Nomail\n- CC Inform Introduction and Registration" in text
    assert "- Tri.x – Children’s Services Procedure Manual (Children’s Services – Induction): Booked on a session " \
           "on 3 December 2026; was due by 9 November 2026 (2 weeks overdue)" in text
    assert "Lena" not in text and "Noah" not in text
    assert text.index("Nemo Nomail") < text.index("Olive Overdue")

    assert db.session.scalar(select(func.count(ReminderLog.id))) == 5 + 4 + 6 + 6
    assert db.session.scalar(select(func.count(ReminderDigestLog.id))) == 3
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action.like("training_%_sent"))) == 7

    again = runner.invoke(args=["reminders", "send"])
    assert again.exit_code == 0, again.output
    assert "0 messages sent." in again.output
    assert len(smtp_server.messages) == 7


def test_overdue_weekly_at_most_four_times_and_digests_only_on_mondays(team, runner, smtp_server):
    sent_on = {}
    day = MONDAY
    while day <= date(2027, 1, 11):             # the job runs every day for seven weeks
        clock.freeze(day)
        before = len(smtp_server.messages)
        result = runner.invoke(args=["reminders", "send"])
        assert result.exit_code == 0, result.output
        sent_on[day] = parsed(smtp_server.messages[before:])
        if day.weekday() != 0:
            assert ("Managers' weekly digests go on Mondays (or the next run that week if none ran on the "
                    "Monday): none due today.") in result.output
        day += timedelta(days=1)

    def days_mentioning(person, text):
        return [d for d, messages in sent_on.items() if any(text in body(m) for m in to(messages, person))]

    assert days_mentioning(team.olive, "LCS/EHM Training") == [
        date(2026, 11, 23), date(2026, 11, 30), date(2026, 12, 7), date(2026, 12, 14)]
    last = to(sent_on[date(2026, 12, 14)], team.olive)[0]
    assert "LCS/EHM Training (Children’s Services – Induction): Was due by 9 November 2026 (5 weeks overdue) " \
           "(reminder 4 of 4)" in body(last)
    # booked on 3 December: not chased until the session has passed without a completion
    assert days_mentioning(team.olive, "Tri.x") == [
        date(2026, 12, 4), date(2026, 12, 11), date(2026, 12, 18), date(2026, 12, 25)]
    # due soon once, then overdue from the day after the due date (7 December)
    assert days_mentioning(team.noah, "Practice Standards") == [
        date(2026, 11, 23), date(2026, 12, 8), date(2026, 12, 15), date(2026, 12, 22), date(2026, 12, 29)]
    morgan_days = [d for d, messages in sent_on.items() if to(messages, team.morgan)]
    assert morgan_days == [MONDAY + timedelta(weeks=n) for n in range(8)]   # every Monday, overdue or not chased


def test_a_refused_message_is_not_recorded_and_is_retried(team, app, runner, db, monkeypatch):
    clock.freeze(MONDAY)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", 9)   # nothing listens on the discard port
    result = runner.invoke(args=["reminders", "send"])
    assert result.exit_code != 0
    assert "7 messages could not be sent; run the command again to retry them." in result.output
    assert db.session.scalar(select(func.count(ReminderLog.id))) == 0
    assert db.session.scalar(select(func.count(ReminderDigestLog.id))) == 0
    assert len(plan()) == 7


def test_a_message_claimed_by_another_run_is_not_sent_again(team, db, smtp_server):
    first, second = plan(), plan()          # two runs read before either sends
    for message in first:
        reminder_services.send_message(message, MONDAY)
        db.session.commit()
    for message in second:
        with pytest.raises(IntegrityError):
            reminder_services.send_message(message, MONDAY)
        db.session.rollback()
    assert len(smtp_server.messages) == 7


def test_without_a_base_url_the_message_says_where_to_go(team, app, monkeypatch, runner, smtp_server):
    monkeypatch.setitem(app.config, "BASE_URL", "")
    clock.freeze(MONDAY)
    runner.invoke(args=["reminders", "send"])
    [noah] = to(parsed(smtp_server.messages), team.noah)
    assert "Sign in to Children's Care Learning and Development and choose My learning" in body(noah)


def test_a_skipped_monday_run_sends_the_digests_on_tuesday_through_the_command(team, runner, smtp_server):
    days = [MONDAY + timedelta(days=n) for n in range(1, 9)]   # Tuesday to the next Tuesday; Monday missed
    digests_on = {}
    for day in days:
        clock.freeze(day)
        before = len(smtp_server.messages)
        result = runner.invoke(args=["reminders", "send"])
        assert result.exit_code == 0, result.output
        digests_on[day] = sorted(m["To"] for m in smtp_server.messages[before:]
                                 if "overdue required learning, week of" in m["Subject"])
    managers = sorted(p.email for p in (team.sienna, team.morgan, team.omar))
    assert digests_on == {day: managers if day in (days[0], days[6]) else [] for day in days}


def test_the_app_starts_with_a_bad_due_soon_setting_and_the_command_says_what_is_wrong(
        team, app, monkeypatch, runner):
    from lnd.config import Config

    monkeypatch.setenv("REMINDER_DUE_SOON_DAYS", "two weeks")
    config = Config()                                   # start-up does not fail
    monkeypatch.setitem(app.config, "REMINDER_DUE_SOON_DAYS", config.REMINDER_DUE_SOON_DAYS)
    result = runner.invoke(args=["reminders", "send"])
    assert result.exit_code != 0
    assert "Error: REMINDER_DUE_SOON_DAYS must be a whole number of days, not ‘two weeks’." in result.output
    assert "Traceback" not in result.output
    monkeypatch.setitem(app.config, "REMINDER_DUE_SOON_DAYS", "-3")
    result = runner.invoke(args=["reminders", "send", "--dry-run"])
    assert result.exit_code != 0 and "REMINDER_DUE_SOON_DAYS cannot be negative." in result.output
    monkeypatch.setenv("REMINDER_DUE_SOON_DAYS", "21")
    monkeypatch.setitem(app.config, "REMINDER_DUE_SOON_DAYS", Config().REMINDER_DUE_SOON_DAYS)
    assert reminder_services.Settings.from_config(app.config).due_soon_days == 21


def test_a_bad_weekday_setting_is_reported(team, app, monkeypatch, runner):
    monkeypatch.setitem(app.config, "REMINDER_DIGEST_WEEKDAY", "Funday")
    result = runner.invoke(args=["reminders", "send", "--dry-run"])
    assert result.exit_code != 0
    assert "‘Funday’ is not a day of the week" in result.output


@contextmanager
def counting(db):
    statements = []

    def _count(conn, cursor, statement, parameters, context, executemany):
        if statement.split(None, 1)[0].upper() not in ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", _count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", _count)


def _more_staff(make_person, manager, count):
    for _ in range(count):
        make_person("Extra", manager=manager, start_date=date(2026, 10, 12))


def test_the_same_number_of_statements_for_few_and_many_people(team, db, make_person):
    db.session.expire_all()
    with counting(db) as few:
        assert len(plan()) == 7
    _more_staff(make_person, team.omar, 30)
    db.session.expire_all()
    with counting(db) as many:
        assert len(plan()) == 7 + 30
    assert len(many) == len(few)
    db.session.expire_all()
    with counting(db) as batched:    # in batches of 10 people: a fixed number more for each batch
        assert len(reminder_services.plan_messages(MONDAY, reminder_services.Settings(), batch_size=10)) == 37
    with counting(db) as one_batch:
        reminder_services.plan_messages(MONDAY, reminder_services.Settings(), batch_size=1000)
    assert len(batched) > len(one_batch)
