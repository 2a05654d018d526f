"""Reminders from 1 September to registered social workers who are not ready, through SMTP, at most
once per person per day."""
import email
from datetime import date
from email import policy

from lnd.core import clock
from lnd.cpd import services
from lnd.cpd.models import CpdReminder


def _setup(org, make_record, make_person):
    make_record(org.peer, date(2026, 3, 1), peer=True)             # the peer is ready
    make_record(org.peer, date(2026, 4, 1))
    make_record(org.owner, date(2026, 3, 1))                        # the owner has 1, no peer reflection
    make_person("Lena", "Leaver", swe="SW900099", leaving_date=date(2026, 8, 1))
    make_person("Noah", "Nonregistered", job_role="Family Support Worker")


def test_nobody_is_reminded_before_1_september(db, org, make_record, make_person):
    _setup(org, make_record, make_person)
    assert services.readiness_reminders(date(2026, 8, 31)) == []
    assert services.readiness_reminders(date(2026, 12, 1)) == []


def test_from_1_september_everyone_registered_and_not_ready_is_due(db, org, make_record, make_person):
    _setup(org, make_record, make_person)
    due = services.readiness_reminders(date(2026, 9, 1))
    names = [r.person.name for r in due]
    assert "Peter Peer" not in names and "Lena Leaver" not in names and "Noah Nonregistered" not in names
    assert set(names) == {"Morgan Manager", "Olive Owner", "Omar Othermanager", "Sienna Senior", "Uma Unrelated"}
    owner = next(r for r in due if r.person.id == org.owner.id)
    assert (owner.readiness.records, owner.readiness.peer_reflections) == (1, 0)


def test_the_reminder_command_sends_through_smtp_once_a_day(runner, db, org, make_record, make_person, smtp_inbox):
    _setup(org, make_record, make_person)
    clock.freeze(date(2026, 11, 22))

    dry = runner.invoke(args=["cpd", "remind", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Would remind " + org.owner.email in dry.output
    assert "5 reminders would be sent; nothing was sent" in dry.output
    assert smtp_inbox == [] and db.session.scalar(db.select(db.func.count(CpdReminder.id))) == 0

    first = runner.invoke(args=["cpd", "remind"])
    assert first.exit_code == 0, first.output
    assert "5 reminders sent." in first.output
    assert len(smtp_inbox) == 5
    message = next(email.message_from_bytes(m.as_bytes(), policy=policy.default) for m in smtp_inbox
                   if m["To"] == org.owner.email)
    assert " ".join(message["Subject"].split()) == "Your CPD for Social Work England renewal: 8 days until 30 November 2026"
    body = message.get_body(("plain",)).get_content()
    assert "You have 1 piece of CPD recorded, none with a peer reflection." in body
    assert "You still need 1 more piece of CPD and a peer reflection on at least one piece." in body

    second = runner.invoke(args=["cpd", "remind"])
    assert second.exit_code == 0, second.output
    assert "0 reminders sent." in second.output
    assert len(smtp_inbox) == 5                      # nobody twice on the same day
    assert db.session.scalar(db.select(db.func.count(CpdReminder.id))) == 5

    clock.freeze(date(2026, 11, 23))                  # the next day, the same people again
    third = runner.invoke(args=["cpd", "remind"])
    assert "5 reminders sent." in third.output and len(smtp_inbox) == 10


def test_the_command_before_september_sends_nothing(runner, db, org, make_record, make_person, smtp_inbox):
    _setup(org, make_record, make_person)
    clock.freeze(date(2026, 8, 31))
    result = runner.invoke(args=["cpd", "remind"])
    assert result.exit_code == 0
    assert "opens on 1 September 2026: no reminders before then" in result.output
    assert smtp_inbox == []


def test_a_refused_message_is_not_recorded_and_is_retried(app, runner, db, org, make_record, make_person,
                                                          monkeypatch):
    _setup(org, make_record, make_person)
    clock.freeze(date(2026, 9, 1))
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", 9)   # nothing listens on the discard port
    result = runner.invoke(args=["cpd", "remind"])
    assert result.exit_code != 0
    assert "could not be sent" in result.output
    assert db.session.scalar(db.select(db.func.count(CpdReminder.id))) == 0
    assert len(services.readiness_reminders(date(2026, 9, 1))) == 5
