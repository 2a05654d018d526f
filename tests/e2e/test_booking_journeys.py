"""Booking journeys, with axe-core on every page visited. The server's date and time are fixed at
22 November 2026, 09:00 (LND_TODAY). The demo organisation has no sessions, so each journey starts
with the OD team (Olivia Dean) adding the session it needs, through the pages.

Demo people: Sam Okafor (social worker), Aisha Begum (senior social worker, aspiring manager) and
Leah Morris (social worker), all managed by Morgan Ellis in the Assessment team.
"""
from __future__ import annotations

import re
from datetime import date

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from tests.e2e.helpers import check_accessibility, sign_in, sign_out

pytestmark = pytest.mark.e2e

OD = "od.admin@example.org"


def _go(page, url: str) -> None:
    page.goto(url)
    check_accessibility(page)


def _click(page, locator) -> None:
    with page.expect_navigation():
        locator.click()
    check_accessibility(page)


def _add_session(page, course_slug: str, day: date, *, start: str = "09:30", end: str = "12:30",
                 capacity: int = 12, venue: str = "Middlesbrough House, Room 2") -> None:
    """As the OD team: open the course, add a session, and land on the session's page."""
    sign_in(page, OD)
    _go(page, f"/courses/{course_slug}")
    _click(page, page.get_by_role("link", name=re.compile(r"^Add a session")))
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a session")
    when = page.get_by_role("group", name="Date", exact=True)
    when.get_by_label("Day").fill(str(day.day))
    when.get_by_label("Month").fill(str(day.month))
    when.get_by_label("Year").fill(str(day.year))
    page.get_by_label("Start time").fill(start)
    page.get_by_label("End time").fill(end)
    page.get_by_label("Venue").fill(venue)
    page.get_by_label("Number of places").fill(str(capacity))
    page.get_by_label("Facilitator", exact=True).fill("Helen Carter")
    _click(page, page.get_by_role("button", name="Save session"))
    expect(page.get_by_text("has been added. Staff can now book it.")).to_be_visible()
    sign_out(page)


def test_a_social_worker_books_a_seminar_and_downloads_the_invite(page):
    _add_session(page, "analytical-assessments", date(2026, 12, 3), capacity=2)

    sign_in(page, "social.worker@example.org")
    _go(page, "/courses/analytical-assessments")
    sessions = page.get_by_role("table", name="Upcoming sessions of Analytical Assessments")
    expect(sessions).to_contain_text("Thursday 3 December 2026, 09:30 to 12:30")
    expect(sessions).to_contain_text("2 places left")
    _click(page, sessions.get_by_role("link", name=re.compile(r"^Book a place")))

    expect(page.get_by_role("heading", level=1)).to_have_text("Analytical Assessments")
    _click(page, page.get_by_role("button", name="Confirm and book"))
    expect(page.get_by_text("Your place is booked. We have emailed you a calendar invitation.")).to_be_visible()
    expect(page.get_by_text("You can cancel this place yourself until 1 December 2026.")).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the calendar invitation (.ics)").click()
    invite = Calendar.from_ical(open(download.value.path(), "rb").read())
    assert str(invite["METHOD"]) == "REQUEST"
    (event,) = invite.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Analytical Assessments"
    assert str(event["LOCATION"]) == "Middlesbrough House, Room 2"
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert str(event["ATTENDEE"]) == "mailto:social.worker@example.org"

    _go(page, "/bookings")
    upcoming = page.get_by_role("table", name="Coming up")
    expect(upcoming).to_contain_text("Analytical Assessments")
    expect(upcoming).to_contain_text("Booked")
    _click(page, page.get_by_role("link", name="Add your booked sessions to Outlook or another calendar"))
    _click(page, page.get_by_role("button", name="Create your calendar address"))
    expect(page.get_by_label("Your calendar address")).to_have_value(re.compile(r"/calendar/feed/.+\.ics$"))


def test_an_aspiring_manager_requests_a_managers_course_and_the_manager_approves(page):
    _add_session(page, "absence-management", date(2026, 12, 8))

    sign_in(page, "aspiring.manager@example.org")
    _go(page, "/courses/absence-management")
    _click(page, page.get_by_role("link", name=re.compile(r"^Book a place")))
    expect(page.get_by_text("Aspiring managers need their manager’s authorisation")).to_be_visible()
    _click(page, page.get_by_role("button", name="Send request to my manager"))
    expect(page.get_by_text("Your request has been sent to your manager for approval.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Awaiting approval")
    sign_out(page)

    sign_in(page, "manager@example.org")
    _click(page, page.get_by_role("link", name="Approvals", exact=True))
    queue = page.get_by_role("table", name="Requests waiting for your decision, oldest first")
    expect(queue).to_contain_text("Absence Management")
    expect(queue).to_contain_text("required courses completed")
    _click(page, queue.get_by_role("link", name=re.compile(r"^Aisha Begum")))
    expect(page.get_by_role("heading", level=1)).to_have_text("Absence Management")
    expect(page.locator("main")).to_contain_text("Mandatory training")

    # Declining needs a reason: the error summary says so, and the page is still accessible.
    page.get_by_label("No, decline it").check()
    _click(page, page.get_by_role("button", name="Save decision"))
    expect(page.get_by_role("alert")).to_contain_text("Enter the reason for declining the request")

    page.get_by_label("Yes, approve it").check()
    page.get_by_label("Reason").fill("Agreed in supervision on 20 November")
    _click(page, page.get_by_role("button", name="Save decision"))
    expect(page.get_by_text("The request from Aisha Begum was approved and the place is booked.")).to_be_visible()
    expect(page.get_by_text("There are no requests waiting for your decision.")).to_be_visible()
    sign_out(page)

    sign_in(page, "aspiring.manager@example.org")
    _go(page, "/bookings")
    upcoming = page.get_by_role("table", name="Coming up")
    expect(upcoming).to_contain_text("Absence Management")
    expect(upcoming).to_contain_text("Booked")


def test_od_creates_a_session_marks_attendance_and_the_person_gives_feedback(page):
    # A session later this morning (the server's clock stands at 09:00 on 22 November 2026).
    _add_session(page, "graded-care-profile", date(2026, 11, 22), start="10:00", end="12:00")

    sign_in(page, "leah.morris@example.org")
    _go(page, "/courses/graded-care-profile")
    _click(page, page.get_by_role("link", name=re.compile(r"^Book a place")))
    _click(page, page.get_by_role("button", name="Confirm and book"))
    expect(page.get_by_text("Your place is booked.")).to_be_visible()
    sign_out(page)

    sign_in(page, OD)
    _click(page, page.get_by_role("link", name="Sessions", exact=True))
    _click(page, page.get_by_role("link", name="Graded Care Profile"))
    people = page.get_by_role("table", name=re.compile(r"^Booked"))
    expect(people).to_contain_text("Leah Morris")
    _click(page, page.get_by_role("link", name="Printable sign-in sheet"))
    expect(page.get_by_role("table")).to_contain_text("Leah Morris")
    page.go_back()
    check_accessibility(page)
    _click(page, page.get_by_role("link", name="Mark the register"))
    page.get_by_label("Leah Morris").check()
    _click(page, page.get_by_role("button", name="Save the register"))
    expect(page.get_by_text("Register saved for part 1: 1 present, 0 absent.")).to_be_visible()
    expect(page.get_by_role("table", name=re.compile(r"^Booked"))).to_contain_text("Attended")
    sign_out(page)

    sign_in(page, "leah.morris@example.org")
    banner = page.get_by_role("region", name="Feedback")
    expect(banner).to_contain_text("Tell us what you thought of this session")
    _click(page, banner.get_by_role("link", name=re.compile(r"^Graded Care Profile")))
    expect(page.get_by_role("heading", level=1)).to_have_text("Give feedback")
    page.get_by_role("group", name="How useful was the session for your work?").get_by_label("Very good").check()
    page.get_by_role("group", name="How well was it delivered?").get_by_label("Good", exact=True).check()
    page.get_by_label("What will you do differently in your practice?").fill(
        "Use the Graded Care Profile in every neglect assessment")
    _click(page, page.get_by_role("button", name="Send feedback"))
    expect(page.get_by_text("Thank you. Your feedback has been sent to the OD team.")).to_be_visible()
    _go(page, "/")
    expect(page.get_by_role("region", name="Feedback")).to_have_count(0)
    sign_out(page)

    sign_in(page, OD)
    _go(page, "/courses/graded-care-profile")
    _click(page, page.get_by_role("link", name="Feedback on this course"))
    expect(page.locator("main")).to_contain_text("Use the Graded Care Profile in every neglect assessment")
    expect(page.locator("main")).to_contain_text("Very good")
