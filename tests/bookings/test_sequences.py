"""Random sequences of booking, approving, declining, cancelling and capacity changes never put
more people in a session than it has places, never leave a place empty while people wait, and
always promote from the waiting list first come, first served."""
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test
from sqlalchemy import select

from lnd.bookings import notifications, rules, services, session_services
from lnd.bookings.models import Booking, CourseSession
from lnd.core import clock
from lnd.extensions import db

PEOPLE = 6


class BookingSequences(RuleBasedStateMachine):
    """Driven through the real services and database; the model is the expected waiting-list order."""

    factories: dict = {}

    @initialize(capacity=st.integers(1, 3))
    def open_session(self, capacity):
        make_course, make_session, make_person = (self.factories[k] for k in ("course", "session", "person"))
        self.session_id = make_session(make_course(authorisation="manager_if_aspiring"), capacity=capacity).id
        self.manager = make_person(roles=["staff", "manager"])
        self.od = make_person(roles=["staff", "od_admin"])
        # Even-numbered people are aspiring managers (their requests need approval); the others are managers.
        self.people = [make_person(manager=self.manager, aspiring_manager=i % 2 == 0,
                                   roles=["staff"] if i % 2 == 0 else ["staff", "manager"]) for i in range(PEOPLE)]
        self.queue: list[int] = []  # person ids in the order they joined the waiting list

    # -- helpers --------------------------------------------------------------------------------

    def _tick(self):
        clock.freeze(clock.now() + timedelta(seconds=1))

    def _session(self):
        return db.session.get(CourseSession, self.session_id)

    def _booking(self, person):
        return db.session.scalar(select(Booking).where(Booking.session_id == self.session_id,
                                                       Booking.person_id == person.id))

    def _done(self, booking=None):
        db.session.commit()
        notifications.discard()
        if booking is not None and booking.state == rules.WAITLISTED:
            self.queue.append(booking.person_id)

    def _refused(self):
        db.session.rollback()
        notifications.discard()

    # -- rules ----------------------------------------------------------------------------------

    @rule(i=st.integers(0, PEOPLE - 1))
    def book(self, i):
        self._tick()
        person = self.people[i]
        try:
            booking = services.book_place(self._session(), person, person, clock.now())
        except services.BookingError:
            self._refused()
        else:
            self._done(booking)

    @rule(i=st.integers(0, PEOPLE - 1))
    def approve(self, i):
        self._tick()
        booking = self._booking(self.people[i])
        if booking is None or booking.state != rules.AWAITING_APPROVAL:
            return
        services.approve(booking, self.manager, clock.now())
        self._done(booking)

    @rule(i=st.integers(0, PEOPLE - 1))
    def decline(self, i):
        self._tick()
        booking = self._booking(self.people[i])
        if booking is None or booking.state != rules.AWAITING_APPROVAL:
            return
        services.decline(booking, self.manager, clock.now(), "Not now")
        self._done()

    @rule(i=st.integers(0, PEOPLE - 1), by_od=st.booleans())
    def cancel(self, i, by_od):
        self._tick()
        person = self.people[i]
        booking = self._booking(person)
        if booking is None or booking.state not in rules.CANCELLABLE_STATES:
            return
        services.cancel(booking, self.od if by_od else person, clock.now(), by_od=by_od, cutoff_working_days=2)
        if person.id in self.queue:
            self.queue.remove(person.id)
        self._done()

    @rule(capacity=st.integers(1, 6))
    def change_capacity(self, capacity):
        self._tick()
        try:
            session_services.change_capacity(self._session(), capacity, self.od, clock.now())
        except services.BookingError:
            self._refused()
        else:
            self._done()

    # -- invariants -----------------------------------------------------------------------------

    @invariant()
    def never_over_capacity(self):
        session = self._session()
        held = db.session.scalars(select(Booking.id).where(Booking.session_id == self.session_id,
                                                           Booking.state.in_(rules.SEAT_STATES))).all()
        assert session.taken == len(held) <= session.capacity

    @invariant()
    def no_empty_place_while_people_wait(self):
        session = self._session()
        waiting = db.session.scalars(select(Booking.id).where(Booking.session_id == self.session_id,
                                                              Booking.state == rules.WAITLISTED)).all()
        if waiting:
            assert session.taken == session.capacity

    @invariant()
    def promoted_first_come_first_served(self):
        if not hasattr(self, "queue"):
            return
        states = dict(db.session.execute(select(Booking.person_id, Booking.state)
                                         .where(Booking.session_id == self.session_id)).all())
        promoted = [pid for pid in self.queue if states.get(pid) == rules.BOOKED]
        assert promoted == self.queue[:len(promoted)], "someone jumped the waiting list"
        self.queue = self.queue[len(promoted):]
        waiting = db.session.scalars(select(Booking.person_id).where(
            Booking.session_id == self.session_id, Booking.state == rules.WAITLISTED)
            .order_by(Booking.waitlisted_at, Booking.id)).all()
        assert list(waiting) == self.queue


@pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")
def test_random_booking_sequences_keep_capacity_and_fifo(make_course, make_session, make_person):
    BookingSequences.factories = {"course": make_course, "session": make_session, "person": make_person}
    run_state_machine_as_test(BookingSequences, settings=settings(
        max_examples=15, stateful_step_count=30, deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]))
