"""Invites and the private feed, parsed back with icalendar: a stable UID per booking, SEQUENCE raised
on every change, METHOD:REQUEST with an ORGANIZER, METHOD:CANCEL when cancelled, Europe/London."""
from datetime import timedelta

from icalendar import Calendar

from lnd.bookings import calendar, notifications, services, session_services
from lnd.bookings.models import Booking
from lnd.core import clock
from lnd.extensions import db
from tests.bookings.conftest import SESSION_DAY, at


def parse(data: bytes) -> Calendar:
    return Calendar.from_ical(data)


def events(cal: Calendar):
    return [c for c in cal.walk("VEVENT")]


def test_invite_for_a_booked_place(client, make_course, make_session, make_person, login):
    session = make_session(make_course("Permanency"), venue="Middlesbrough House, Room 2")
    person = make_person("Sam", "Okafor")
    booking = services.book_place(session, person, person, clock.now())
    db.session.commit()
    login(person)
    response = client.get(f"/bookings/{booking.id}/invite.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert "method=REQUEST" in response.headers["Content-Type"]
    assert "attachment" in response.headers["Content-Disposition"]
    cal = parse(response.data)
    assert str(cal["METHOD"]) == "REQUEST"
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/London"]
    (event,) = events(cal)
    assert str(event["UID"]).startswith(f"booking-{booking.uid}@")
    assert str(event["SUMMARY"]) == "Permanency"
    assert str(event["LOCATION"]) == "Middlesbrough House, Room 2"
    assert str(event["ORGANIZER"]).startswith("mailto:")
    assert str(event["ATTENDEE"]) == f"mailto:{person.email}"
    start = event.decoded("DTSTART")
    assert start.tzinfo is not None and start == at(SESSION_DAY, 9, 30)
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert str(event["STATUS"]) == "CONFIRMED"


def test_uid_stays_and_sequence_rises_through_change_and_cancellation(app, make_course, make_session, make_person,
                                                                      od):
    session = make_session(make_course(), joining_url="https://teams.example.org/meet/1", venue="")
    person = make_person()
    booking = services.book_place(session, person, person, clock.now())
    db.session.commit()
    first = events(parse(calendar.invite(booking, clock.now())))[0]
    assert str(first["LOCATION"]) == "Online"
    assert "https://teams.example.org/meet/1" in str(first["DESCRIPTION"])
    assert str(first["URL"]) == "https://teams.example.org/meet/1"

    details = session_services.SessionDetails(booking_closes_on=None, facilitator="Jo", parts=[
        session_services.PartDetails(at(SESSION_DAY, 13), at(SESSION_DAY, 15), "", "https://teams.example.org/meet/2")])
    session_services.update_session(session, details, od, clock.now())
    db.session.commit()
    booking = db.session.get(Booking, booking.id)
    changed = events(parse(calendar.invite(booking, clock.now())))[0]
    assert changed["UID"] == first["UID"]
    assert changed["SEQUENCE"] > first["SEQUENCE"]
    assert changed.decoded("DTSTART") == at(SESSION_DAY, 13)

    services.cancel(booking, person, clock.now(), by_od=False, cutoff_working_days=2)
    db.session.commit()
    cancelled_cal = parse(calendar.invite(booking, clock.now()))
    assert str(cancelled_cal["METHOD"]) == "CANCEL"
    cancelled = events(cancelled_cal)[0]
    assert cancelled["UID"] == first["UID"]
    assert cancelled["SEQUENCE"] > changed["SEQUENCE"]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    notifications.discard()


def test_a_session_in_two_parts_gives_two_events_with_stable_uids(app, make_course, make_session, make_person):
    session = make_session(make_course("Court Skills & Pre Proceedings", parts=2))
    person = make_person()
    booking = services.book_place(session, person, person, clock.now())
    db.session.commit()
    first, second = events(parse(calendar.invite(booking, clock.now())))
    assert str(first["SUMMARY"]) == "Court Skills & Pre Proceedings (part 1 of 2)"
    assert str(second["SUMMARY"]) == "Court Skills & Pre Proceedings (part 2 of 2)"
    assert str(first["UID"]) != str(second["UID"])
    again = events(parse(calendar.invite(booking, clock.now() + timedelta(hours=1))))
    assert [str(e["UID"]) for e in again] == [str(first["UID"]), str(second["UID"])]
    notifications.discard()


def test_summer_sessions_are_in_british_summer_time(app, make_course, make_session, make_person):
    from datetime import date

    session = make_session(make_course(), day=date(2027, 6, 14))
    person = make_person()
    booking = services.book_place(session, person, person, clock.now())
    db.session.commit()
    event = events(parse(calendar.invite(booking, clock.now())))[0]
    assert event.decoded("DTSTART").utcoffset() == timedelta(hours=1)
    assert "DTSTART;TZID=Europe/London:20270614T093000" in calendar.invite(booking, clock.now()).decode()
    notifications.discard()


def test_private_feed_needs_no_sign_in_and_can_be_reset(client, make_course, make_session, make_person, login):
    person = make_person()
    booked = make_session(make_course("Permanency"))
    waiting = make_session(make_course("AIM3"), capacity=1, day=SESSION_DAY + timedelta(days=1))
    services.book_place(booked, person, person, clock.now())
    services.book_place(waiting, make_person(), make_person(), clock.now())
    services.book_place(waiting, person, person, clock.now())  # full: waiting list, not in the feed
    db.session.commit()
    notifications.discard()
    login(person)
    assert b"Create your calendar address" in client.get("/calendar").data
    client.post("/calendar/reset")
    page = client.get("/calendar").get_data(as_text=True)
    feed_url = page.split('id="feed-url" type="text" value="')[1].split('"')[0]
    path = feed_url.split("localhost", 1)[1]
    client.post("/logout")

    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    cal = parse(response.data)
    assert "METHOD" not in cal
    assert [str(e["SUMMARY"]) for e in events(cal)] == ["Permanency"]
    assert "Europe/London" in [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")]

    login(person)
    client.post("/calendar/reset")
    client.post("/logout")
    assert client.get(path).status_code == 404
    assert client.get("/calendar/feed/not-a-real-token.ics").status_code == 404
