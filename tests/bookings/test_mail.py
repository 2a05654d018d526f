"""Booking mail goes through a real SMTP server (aiosmtpd on loopback): what it received."""
import email
from email import policy

from icalendar import Calendar
from sqlalchemy import select

from lnd.bookings.models import Booking
from lnd.extensions import db


def received(inbox):
    return [email.message_from_bytes(m.as_bytes(), policy=policy.default) for m in inbox.messages]


def invite_of(message):
    parts = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    if not parts:
        return None
    assert parts[0].get_param("method") in ("REQUEST", "CANCEL")
    return Calendar.from_ical(parts[0].get_payload(decode=True))


def test_booking_waitlist_cancellation_and_promotion_mail(client, inbox, make_course, make_session, make_person,
                                                          login):
    session = make_session(make_course("Permanency"), capacity=1)
    sam, leah = make_person("Sam", "Okafor"), make_person("Leah", "Morris")
    login(sam)
    client.post(f"/sessions/{session.id}/book")
    client.post("/logout")
    login(leah)
    client.post(f"/sessions/{session.id}/book")
    client.post("/logout")
    booking = db.session.scalar(select(Booking).where(Booking.person_id == sam.id))
    login(sam)
    client.post(f"/bookings/{booking.id}/cancel", data={"reason": "Court hearing that day"})

    messages = received(inbox)
    summary = [(m["To"], m["Subject"]) for m in messages]
    assert summary == [
        (sam.email, "Place confirmed: Permanency"),
        (leah.email, "On the waiting list: Permanency"),
        (leah.email, "You have a place: Permanency"),
        (sam.email, "Cancelled: Permanency"),
    ]
    confirmation, waitlist, promotion, cancellation = messages
    request = invite_of(confirmation)
    assert str(request["METHOD"]) == "REQUEST"
    assert "7 December 2026, 09:30 to 12:30" in confirmation.get_body(("plain",)).get_content()
    assert invite_of(waitlist) is None
    assert str(invite_of(promotion)["METHOD"]) == "REQUEST"
    cancel = invite_of(cancellation)
    assert str(cancel["METHOD"]) == "CANCEL"
    first_event = request.walk("VEVENT")[0]
    cancel_event = cancel.walk("VEVENT")[0]
    assert cancel_event["UID"] == first_event["UID"]
    assert cancel_event["SEQUENCE"] > first_event["SEQUENCE"]
    assert "Court hearing that day" in cancellation.get_body(("plain",)).get_content()


def test_approval_request_and_decision_mail(client, inbox, make_course, make_session, make_person, login):
    session = make_session(make_course("Achieving Best Evidence", authorisation="line_manager"))
    manager = make_person("Morgan", "Ellis", roles=["staff", "manager"])
    person = make_person("Aisha", "Begum", manager=manager)
    login(person)
    client.post(f"/sessions/{session.id}/book")
    client.post("/logout")
    booking = db.session.scalar(select(Booking).where(Booking.person_id == person.id))
    login(manager)
    client.post(f"/approvals/{booking.id}", data={"decision": "approve", "reason": "Agreed in supervision"})

    request_mail, decision = received(inbox)
    assert request_mail["To"] == manager.email
    assert request_mail["Subject"] == "Approval needed: Aisha Begum – Achieving Best Evidence"
    assert f"/approvals/{booking.id}" in request_mail.get_body(("plain",)).get_content()
    assert decision["To"] == person.email
    assert decision["Subject"] == "Place confirmed: Achieving Best Evidence"
    assert "Your manager approved your request" in decision.get_body(("plain",)).get_content()
    assert str(invite_of(decision)["METHOD"]) == "REQUEST"


def test_declined_and_session_change_and_cancellation_mail(client, inbox, make_course, make_session, make_person,
                                                           login, od):
    session = make_session(make_course("Age Assessments", authorisation="line_manager"), capacity=5)
    manager = make_person(roles=["staff", "manager"])
    asker = make_person(manager=manager)
    login(asker)
    client.post(f"/sessions/{session.id}/book")
    client.post("/logout")
    booking = db.session.scalar(select(Booking).where(Booking.person_id == asker.id))
    login(manager)
    client.post(f"/approvals/{booking.id}", data={"decision": "decline", "reason": "Please do Permanency first."})
    client.post("/logout")
    declined = received(inbox)[-1]
    assert declined["Subject"] == "Request declined: Age Assessments"
    assert "Please do Permanency first." in declined.get_body(("plain",)).get_content()

    open_course = make_course("Permanency")
    other = make_session(open_course, capacity=5)
    attendee = make_person()
    login(attendee)
    client.post(f"/sessions/{other.id}/book")
    client.post("/logout")
    login(od)
    client.post(f"/sessions/{other.id}/edit", data={
        "parts-0-day": ["7", "12", "2026"], "parts-0-start_time": "13:00", "parts-0-end_time": "16:00",
        "parts-0-venue": "Middlesbrough House, Room 9", "facilitator": "Jo Facilitator"})
    client.post(f"/sessions/{other.id}/cancel", data={"reason": "The trainer is unwell."})
    changed, cancelled = received(inbox)[-2:]
    assert changed["Subject"] == "Session changed: Permanency"
    assert "Room 9" in changed.get_body(("plain",)).get_content()
    change_event = invite_of(changed).walk("VEVENT")[0]
    assert change_event.decoded("DTSTART").hour == 13
    assert cancelled["Subject"] == "Cancelled: Permanency"
    assert "The trainer is unwell." in cancelled.get_body(("plain",)).get_content()
    cancel_event = invite_of(cancelled).walk("VEVENT")[0]
    assert cancel_event["UID"] == change_event["UID"] and cancel_event["SEQUENCE"] > change_event["SEQUENCE"]
