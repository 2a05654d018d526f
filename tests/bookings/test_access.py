"""Every new route that takes an id, tried by the wrong person: unrelated staff, the manager of
another team and someone not signed in get 403, 404 or the sign-in page; the right people get in."""
import io
from datetime import date

import pytest
from werkzeug.datastructures import FileStorage

from lnd.bookings import notifications, record_services, services
from lnd.core import clock
from lnd.courses.models import Completion
from lnd.extensions import db

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def world(make_course, make_session, make_person, od):
    """A team with its manager, a member of staff with a booking and a certificate, another team."""
    manager = make_person("Morgan", roles=["staff", "manager"], team="Assessment")
    owner = make_person("Sam", manager=manager, team="Assessment")
    other_manager = make_person("Hannah", roles=["staff", "manager"], team="Children in Need")
    stranger = make_person("Tom", manager=other_manager, team="Children in Need")
    facilitator = make_person("Fay", team="Assessment")
    course = make_course("Permanency", authorisation="line_manager")
    session = make_session(course, facilitator_email=facilitator.email)
    booking = services.book_place(session, owner, owner, clock.now())
    elearning = make_course("Prevent", method="e_learning")
    completion = record_services.record_done(
        elearning, owner, date(2026, 11, 20), clock.today(),
        certificate=FileStorage(io.BytesIO(PDF), filename="certificate.pdf"))
    db.session.commit()
    notifications.discard()
    return {
        "manager": manager, "owner": owner, "other_manager": other_manager, "stranger": stranger,
        "facilitator": facilitator, "od": od, "booking": booking.id, "session": session.id,
        "part": session.parts[0].id, "course": course.slug, "completion": completion.id,
    }


ROUTES = [
    ("GET", "/bookings/{booking}"),
    ("GET", "/bookings/{booking}/cancel"),
    ("POST", "/bookings/{booking}/cancel"),
    ("GET", "/bookings/{booking}/invite.ics"),
    ("GET", "/bookings/{booking}/feedback"),
    ("GET", "/approvals/{booking}"),
    ("POST", "/approvals/{booking}"),
    ("GET", "/sessions/{session}/edit"),
    ("POST", "/sessions/{session}/edit"),
    ("GET", "/sessions/{session}/capacity"),
    ("POST", "/sessions/{session}/capacity"),
    ("GET", "/sessions/{session}/cancel"),
    ("POST", "/sessions/{session}/cancel"),
    ("GET", "/sessions/{session}/register/{part}"),
    ("POST", "/sessions/{session}/register/{part}"),
    ("GET", "/sessions/{session}/sign-in-sheet"),
    ("GET", "/sessions/{session}/feedback"),
    ("GET", "/sessions/new/{course}"),
    ("GET", "/sessions/course/{course}/feedback"),
    ("GET", "/learning/records/{completion}/certificate"),
    ("POST", "/learning/records/{completion}/verify"),
]


def _try(client, login, person, method, url):
    if person is not None:
        login(person)
    response = client.open(url, method=method, data={"decision": "approve", "capacity": "99",
                                                     "reason": "Wrong person", "present": []})
    if person is not None:
        client.post("/logout")
    return response


@pytest.mark.parametrize("method, template", ROUTES)
@pytest.mark.parametrize("who", ["stranger", "other_manager", None])
def test_wrong_people_are_kept_out(client, login, world, method, template, who):
    url = template.format(**world)
    response = _try(client, login, world[who] if who else None, method, url)
    if who is None:
        assert response.status_code == 302 and "/login" in response.headers["Location"], (url, response.status_code)
    else:
        assert response.status_code in (403, 404), (who, method, url, response.status_code)
    assert db.session.get(Completion, world["completion"]).verified_at is None


@pytest.mark.parametrize("who, url, status", [
    ("owner", "/bookings/{booking}", 200),
    ("manager", "/bookings/{booking}", 200),          # a manager sees their report's booking
    ("od", "/bookings/{booking}", 200),
    ("manager", "/bookings/{booking}/cancel", 403),   # … but cannot cancel it
    ("manager", "/bookings/{booking}/feedback", 404),  # feedback is the person's own
    ("od", "/bookings/{booking}/feedback", 404),
    ("owner", "/approvals/{booking}", 403),           # nobody decides their own request
    ("manager", "/approvals/{booking}", 200),
    ("od", "/approvals/{booking}", 200),
    ("facilitator", "/sessions/{session}/sign-in-sheet", 200),
    ("facilitator", "/sessions/{session}/register/{part}", 200),
    ("facilitator", "/sessions/{session}/edit", 403),
    ("owner", "/learning/records/{completion}/certificate", 200),
    ("manager", "/learning/records/{completion}/certificate", 200),
    ("od", "/learning/records/{completion}/certificate", 200),
])
def test_the_right_people_get_in(client, login, world, who, url, status):
    response = _try(client, login, world[who], "GET", url.format(**world))
    assert response.status_code == status


def test_session_pages_are_open_to_staff_but_not_the_people_on_them(client, login, world):
    login(world["stranger"])
    page = client.get(f"/sessions/{world['session']}").get_data(as_text=True)
    assert "Permanency" in page and "Sam" not in page and "Register" not in page
    client.post("/logout")
    login(world["facilitator"])
    assert "Sam" in client.get(f"/sessions/{world['session']}").get_data(as_text=True)


def test_a_register_part_of_another_session_is_not_found(client, login, world, make_session, make_course):
    other = make_session(make_course(), facilitator_email=world["facilitator"].email)
    login(world["od"])
    assert client.get(f"/sessions/{world['session']}/register/{other.parts[0].id}").status_code == 404


def test_anonymous_pages_that_need_no_id_still_need_sign_in(client, world):
    for url in ("/bookings", "/approvals", "/sessions", "/calendar", "/learning/records",
                f"/sessions/{world['session']}", f"/sessions/{world['session']}/book", "/learning/prevent/record"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
