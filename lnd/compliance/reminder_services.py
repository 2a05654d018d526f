"""Mandatory-training reminders: which messages are due today, and sending one of them.

`plan_messages` reads everyone's required learning in batches of people (a fixed number of
statements per batch), the reminders already sent, and for the digest the manager hierarchy; it
returns the messages with their text, so that sending needs no more reading. `send_message`
claims the message's log rows before sending (see reminder_models); the caller commits after a
successful send and rolls back on mail.MailError (the message is then retried on the next run) or
IntegrityError (another run sent it meanwhile).

Each person gets at most one message a day, listing every item due a reminder that day; each item is
logged on its own so that the rules in lnd.compliance.reminders count them one by one.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app, has_request_context, url_for
from sqlalchemy import func, or_, select
from werkzeug.routing import BuildError

from lnd.compliance import queries, reminders, rules
from lnd.compliance.reminder_models import ReminderDigestLog, ReminderLog
from lnd.core import audit, mail
from lnd.extensions import db
from lnd.people.models import Person

BATCH_SIZE = 500
PERSON = "person"  # a message to a person about their own items (the digest's kind is reminders.DIGEST)
TEMPLATES = {PERSON: "mail/reminders/person.txt", reminders.DIGEST: "mail/reminders/digest.txt"}
# Where the digest points a manager: the team view when there is one, otherwise the home page.
DIGEST_LINK_ENDPOINTS = ("learning.team", "compliance.home")


@dataclass(frozen=True)
class Settings:
    due_soon_days: int = rules.DUE_SOON_DAYS
    digest_weekday: int = 0

    @classmethod
    def from_config(cls, config) -> "Settings":
        """Raises ValueError with a sentence when a setting is not usable."""
        try:
            days = int(config["REMINDER_DUE_SOON_DAYS"])
        except (TypeError, ValueError):
            raise ValueError(f"REMINDER_DUE_SOON_DAYS must be a whole number of days, not "
                             f"‘{config['REMINDER_DUE_SOON_DAYS']}’.") from None
        if days < 0:
            raise ValueError("REMINDER_DUE_SOON_DAYS cannot be negative.")
        return cls(days, reminders.weekday_number(config["REMINDER_DIGEST_WEEKDAY"]))


@dataclass(frozen=True)
class Item:
    """One person's required course with its status, and (for a person's message) the reminder due."""

    person_id: int
    person_name: str
    course_id: int
    course_title: str
    window_title: str
    status: rules.Status
    kind: str = ""       # reminders.DUE_SOON or reminders.OVERDUE
    number: int = 0      # which overdue reminder this is (1 to reminders.OVERDUE_AT_MOST)

    @property
    def due_on(self) -> date:
        return self.status.due_on

    @property
    def line(self) -> str:
        text = f"{self.course_title} ({self.window_title}): {self.status.detail}"
        if self.kind == reminders.OVERDUE:
            text += f" (reminder {self.number} of {reminders.OVERDUE_AT_MOST})"
        return text


@dataclass(frozen=True)
class Message:
    kind: str            # PERSON or reminders.DIGEST
    recipient_id: int
    recipient_name: str
    to: str
    subject: str
    body: str
    items: tuple[Item, ...]


def plan_messages(today: date, settings: Settings, *, batch_size: int = BATCH_SIZE) -> list[Message]:
    """Every message due today, people's reminders first, then the managers' digests."""
    current = list(db.session.scalars(
        select(Person).where(or_(Person.leaving_date.is_(None), Person.leaving_date >= today)).order_by(Person.id)))
    digest_day = reminders.digest_day_this_week(today, settings.digest_weekday)
    is_digest_day = reminders.digest_due(today, settings.digest_weekday)   # for someone not yet sent one
    my_learning = link_to("learning.mine")
    messages: list[Message] = []
    overdue: dict[int, list[Item]] = {}
    for start in range(0, len(current), batch_size):
        batch = current[start:start + batch_size]
        windows = queries.required_learning_for(batch, today)
        sent = _sent_about([p.id for p in batch])
        for person in batch:
            due = []
            for window in windows.get(person.id, []):
                for required in window.items:
                    item = Item(person.id, person.name, required.course.id, required.course.title, window.title,
                                required.status)
                    if is_digest_day and reminders.in_digest(item.status):
                        overdue.setdefault(person.id, []).append(item)
                    previous = sent.get((person.id, item.course_id, item.due_on), [])
                    kind = reminders.reminder_due(item.status, today, previous, due_soon_days=settings.due_soon_days)
                    if kind:
                        due.append(_with_kind(item, kind, previous))
            if due and person.email:
                messages.append(_person_message(person, due, today, my_learning))
    if is_digest_day and overdue:
        messages.extend(_digests(today, digest_day, {p.id: p for p in current}, overdue))
    return messages


def _with_kind(item: Item, kind: str, previous: list[reminders.Sent]) -> Item:
    number = reminders.overdue_number(previous) if kind == reminders.OVERDUE else 0
    return Item(item.person_id, item.person_name, item.course_id, item.course_title, item.window_title,
                item.status, kind, number)


def _sent_about(person_ids: list[int]) -> dict[tuple, list[reminders.Sent]]:
    """The reminders already sent to these people, by item (person, course, due date)."""
    found: dict[tuple, list[reminders.Sent]] = {}
    rows = db.session.execute(select(ReminderLog.person_id, ReminderLog.course_id, ReminderLog.due_on,
                                     ReminderLog.kind, ReminderLog.sent_on)
                              .where(ReminderLog.person_id.in_(person_ids)))
    for person_id, course_id, due_on, kind, sent_on in rows:
        found.setdefault((person_id, course_id, due_on), []).append(reminders.Sent(kind, sent_on))
    return found


def _digests(today: date, digest_day: date, current: dict[int, Person],
             overdue: dict[int, list[Item]]) -> list[Message]:
    """Each manager in post with an e-mail address gets their direct and indirect reports' overdue
    items, unless they have had this week's digest (reminders.digest_due)."""
    manager_of = dict(db.session.execute(select(Person.id, Person.manager_id)).all())  # leavers too: chains pass through them
    last_sent = dict(db.session.execute(
        select(ReminderDigestLog.manager_id, func.max(ReminderDigestLog.sent_on))
        .where(ReminderDigestLog.sent_on >= digest_day).group_by(ReminderDigestLog.manager_id)).all())
    lines: dict[int, list[Item]] = {}
    for person_id, items in overdue.items():
        seen = {person_id}
        manager_id = manager_of.get(person_id)
        while manager_id is not None and manager_id not in seen:
            seen.add(manager_id)
            lines.setdefault(manager_id, []).extend(items)
            manager_id = manager_of.get(manager_id)
    link = next((url for url in map(link_to, DIGEST_LINK_ENDPOINTS) if url), "")
    messages = []
    for manager_id, items in lines.items():
        manager = current.get(manager_id)
        if manager is None or not manager.email or \
                not reminders.digest_due(today, digest_day.weekday(), last_sent.get(manager_id)):
            continue
        messages.append(_digest_message(manager, items, today, link, current))
    return sorted(messages, key=lambda m: (m.recipient_name, m.recipient_id))


# ---------------------------------------------------------------------------------------------
# The messages

def _person_message(person: Person, items: list[Item], today: date, link: str) -> Message:
    items = sorted(items, key=lambda i: (i.kind != reminders.OVERDUE, i.due_on, i.course_title))
    body = _render(PERSON, person=person, today=today, link=link,
                   overdue=[i for i in items if i.kind == reminders.OVERDUE],
                   due_soon=[i for i in items if i.kind == reminders.DUE_SOON])
    return Message(PERSON, person.id, person.name, person.email, person_subject(items), body, tuple(items))


def person_subject(items: list[Item]) -> str:
    """Names the most pressing course and its due date, and how many more there are."""
    first = items[0]
    title, day = first.course_title, rules.long_date(first.due_on)
    if first.status.kind == rules.EXPIRED:
        subject = f"Renewal overdue: {title}, was due by {day}"
    elif first.kind == reminders.OVERDUE:
        subject = f"Overdue: {title}, was due by {day}"
    elif first.status.completed_on:
        subject = f"Renewal due soon: {title}, by {day}"
    else:
        subject = f"Due soon: {title}, by {day}"
    more = len(items) - 1
    if more:
        subject += f" (and {more} more required course{'' if more == 1 else 's'})"
    return subject


def _digest_message(manager: Person, items: list[Item], today: date, link: str,
                    current: dict[int, Person]) -> Message:
    def order(item: Item):
        person = current.get(item.person_id)
        name = (person.last_name, person.first_name) if person else ("", "")
        return name, item.person_id, item.due_on, item.course_title

    items = sorted(items, key=order)
    people: dict[int, list[Item]] = {}
    for item in items:
        people.setdefault(item.person_id, []).append(item)
    body = _render(reminders.DIGEST, manager=manager, today=today, link=link, people=list(people.values()),
                   item_count=len(items))
    return Message(reminders.DIGEST, manager.id, manager.name, manager.email,
                   digest_subject(len(items), len(people), today), body, tuple(items))


def digest_subject(items: int, people: int, today: date) -> str:
    return (f"Your team's overdue required learning, week of {rules.long_date(today)}: "
            f"{items} course{'' if items == 1 else 's'}, {people} {'person' if people == 1 else 'people'}")


def _render(kind: str, **context) -> str:
    config = current_app.config
    template = current_app.jinja_env.get_template(TEMPLATES[kind])
    return template.render(service_name=config["SERVICE_NAME"], organisation_name=config["ORGANISATION_NAME"],
                           overdue_at_most=reminders.OVERDUE_AT_MOST, **context)


def link_to(endpoint: str, **values) -> str:
    """An absolute link for a message sent by a command: from BASE_URL (or SERVER_NAME, or the
    request being served); empty when none is known or the page does not exist."""
    config = current_app.config
    try:
        if has_request_context() or (config.get("SERVER_NAME") and not config.get("BASE_URL")):
            return url_for(endpoint, _external=True, **values)
        if config.get("BASE_URL"):
            with current_app.test_request_context("/", base_url=config["BASE_URL"]):
                return url_for(endpoint, _external=True, **values)
    except BuildError:
        return ""
    return ""


# ---------------------------------------------------------------------------------------------
# Sending

def send_message(message: Message, today: date) -> None:
    """Claim the message's log rows (a second run the same day fails here with IntegrityError),
    send it through mail.send, and audit it. The caller commits, or rolls back on an error."""
    if message.kind == reminders.DIGEST:
        db.session.add(ReminderDigestLog(manager_id=message.recipient_id, sent_on=today, items=len(message.items)))
    else:
        for item in message.items:
            db.session.add(ReminderLog(kind=item.kind, person_id=item.person_id, course_id=item.course_id,
                                       due_on=item.due_on, sent_on=today))
    db.session.flush()
    mail.send(message.to, message.subject, message.body)
    if message.kind == reminders.DIGEST:
        action, after = "training_digest_sent", {"overdue_items": len(message.items),
                                                 "people": sorted({i.person_id for i in message.items})}
    else:
        action, after = "training_reminder_sent", {"items": [
            {"kind": i.kind, "course_id": i.course_id, "due_on": i.due_on} for i in message.items]}
    audit.record(action, "person", message.recipient_id, summary=f"{message.subject} (to {message.to})", after=after)


def dry_run_lines(message: Message) -> list[str]:
    """What `--dry-run` prints for a message: to whom, which kind, each course and its due date."""
    if message.kind == reminders.DIGEST:
        people = len({i.person_id for i in message.items})
        lines = [f"Would send to {message.to} ({message.recipient_name}): weekly digest of {len(message.items)} "
                 f"overdue item{'' if len(message.items) == 1 else 's'} for {people} "
                 f"{'person' if people == 1 else 'people'}"]
        lines += [f"    {i.person_name}: {i.course_title}, due {rules.long_date(i.due_on)}" for i in message.items]
        return lines
    return [f"Would send to {message.to} ({message.recipient_name}): {reminders.KIND_LABELS[i.kind]} — "
            f"{i.course_title}, due {rules.long_date(i.due_on)}"
            + (f" (overdue reminder {i.number} of {reminders.OVERDUE_AT_MOST})" if i.number else "")
            for i in message.items]
