"""Supervision use cases: drafting with the standard wording, signing states, changes withdrawing a
signature, the annual review renewing the agreement, planning and recording (late or on time),
acknowledgement, actions, and training needs that become booking requests."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from lnd.bookings import rules as booking_rules
from lnd.core.models import AuditEvent
from lnd.extensions import db
from lnd.supervision import notifications, rules, services, session_services
from lnd.supervision.models import CANCELLED, HELD, PLANNED
from tests.supervision.conftest import TODAY, at

DETAILS = dict(frequency=rules.MONTHLY, usual_place="Riverside Primary School, the family room",
               starts_on=date(2026, 11, 2))


def _audit(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


# ---------------------------------------------------------------------------------------------
# Agreements
# ---------------------------------------------------------------------------------------------

def test_a_draft_takes_the_standard_wording_for_its_kind_and_is_not_in_force(people):
    agreement = services.draft_agreement(people.csaws, people.dsl, rules.DSL, services.AgreementDetails(**DETAILS),
                                         TODAY)
    assert agreement.state == rules.AWAITING_BOTH and not agreement.in_force
    assert agreement.review_due_on == date(2027, 11, 2)
    assert "Sofia Csaws (CSAWS) provides dedicated one to one supervision to David Dsl" in agreement.purpose
    assert "Riverside Primary School" in agreement.purpose
    assert "- provide challenge and prevent drift" in agreement.purpose
    assert "properly and promptly recorded by CSAWS" in agreement.terms
    assert "{" not in agreement.purpose + agreement.terms
    assert len(_audit("supervision_agreement_drafted")) == 1
    assert [(n.kind, n.to_person_id) for n in notifications.queued()] == [(notifications.TO_SIGN, people.dsl.id)]


@pytest.mark.parametrize("kind, phrase", [
    (rules.PROFESSIONAL, "a minimum of monthly"),
    (rules.ASYE, "weekly for the first 6 weeks, at least fortnightly"),
    (rules.ATTENDANCE, "Children Missing Education"),
])
def test_every_kind_has_its_wording(people, kind, phrase):
    agreement = services.draft_agreement(people.manager, people.worker, kind, services.AgreementDetails(**DETAILS),
                                         TODAY)
    assert phrase in agreement.purpose + agreement.terms or phrase.replace("a minimum of", "never less than") \
        in agreement.purpose + agreement.terms


def test_the_supervisors_own_wording_is_kept(people):
    agreement = services.draft_agreement(people.csaws, people.dsl, rules.DSL, services.AgreementDetails(
        **DETAILS, purpose="Our purpose.", terms="- one\n- two"), TODAY)
    assert (agreement.purpose, agreement.terms) == ("Our purpose.", "- one\n- two")


@pytest.mark.parametrize("change, field, message", [
    ({"frequency": "yearly"}, "frequency", "Select how often supervision is held"),
    ({"usual_place": "  "}, "usual_place", "Enter where supervision is usually held"),
    ({"starts_on": None}, "starts_on", "Enter the date the agreement starts"),
    ({"review_due_on": date(2028, 1, 1)}, "review_due_on",
     "The agreement must be reviewed within 12 months of its start"),
])
def test_drafting_refusals_name_their_field(people, change, field, message):
    with pytest.raises(services.SupervisionError) as refused:
        services.draft_agreement(people.csaws, people.dsl, rules.DSL,
                                 services.AgreementDetails(**{**DETAILS, **change}), TODAY)
    assert (refused.value.field, refused.value.message) == (field, message)


def test_who_can_be_supervised(people, make_person, make_agreement):
    leaver = make_person("Lee", "Leaver", leaving_date=date(2026, 10, 31))
    cases = [(None, "Enter the email address of someone who uses this service"),
             (people.csaws, "You cannot be your own supervisor"),
             (leaver, "Lee Leaver has left, so they cannot be supervised")]
    for supervisee, message in cases:
        with pytest.raises(services.SupervisionError, match=message):
            services.draft_agreement(people.csaws, supervisee, rules.DSL, services.AgreementDetails(**DETAILS), TODAY)
    make_agreement(people.csaws, people.dsl, rules.DSL)
    with pytest.raises(services.SupervisionError, match="already have a current designated safeguarding lead"):
        services.draft_agreement(people.csaws, people.dsl, rules.DSL, services.AgreementDetails(**DETAILS), TODAY)
    # A different kind with the same person is a different agreement.
    services.draft_agreement(people.csaws, people.dsl, rules.ATTENDANCE, services.AgreementDetails(**DETAILS), TODAY)


def test_signing_in_either_order_puts_the_agreement_in_force_once_both_have_signed(people, make_agreement):
    first = make_agreement(people.csaws, people.dsl, rules.DSL, signed=None)
    services.sign_agreement(first, people.dsl, at(TODAY, 9))
    assert first.state == rules.AWAITING_SUPERVISOR and first.supervisee_signed_at == at(TODAY, 9)
    services.sign_agreement(first, people.csaws, at(TODAY, 10))
    assert first.state == rules.IN_FORCE and first.supervisor_signed_at == at(TODAY, 10)
    assert len(_audit("supervision_agreement_in_force")) == 1

    second = make_agreement(people.manager, people.worker, signed=None)
    services.sign_agreement(second, people.manager, at(TODAY, 9))
    assert second.state == rules.AWAITING_SUPERVISEE
    with pytest.raises(services.SupervisionError, match="already signed"):
        services.sign_agreement(second, people.manager, at(TODAY, 9, 5))
    for stranger in (people.senior, people.od, people.peer):
        with pytest.raises(services.SupervisionError, match="Only the supervisor and the supervisee sign"):
            services.sign_agreement(second, stranger, at(TODAY, 9))
    assert second.state == rules.AWAITING_SUPERVISEE


def test_changing_a_half_signed_agreement_withdraws_the_signature(people, make_agreement):
    agreement = make_agreement(people.csaws, people.dsl, rules.DSL, signed="supervisor")
    assert agreement.version == 1
    services.change_agreement(agreement, people.csaws, services.AgreementDetails(
        frequency=rules.FORTNIGHTLY, usual_place=agreement.usual_place, starts_on=agreement.starts_on,
        purpose=agreement.purpose, terms=agreement.terms), TODAY)
    assert agreement.state == rules.AWAITING_BOTH and agreement.version == 2
    assert agreement.frequency == rules.FORTNIGHTLY
    event = _audit("supervision_agreement_changed")[0]
    assert event.before == {"frequency": "monthly", "version": 1} and event.after == {"frequency": "fortnightly",
                                                                                      "version": 2}
    # Saving it unchanged changes nothing.
    services.change_agreement(agreement, people.csaws, services.AgreementDetails(
        frequency=rules.FORTNIGHTLY, usual_place=agreement.usual_place, starts_on=agreement.starts_on,
        review_due_on=agreement.review_due_on, purpose=agreement.purpose, terms=agreement.terms), TODAY)
    assert agreement.version == 2


def test_only_the_supervisor_changes_and_an_agreement_in_force_is_reviewed_instead(people, make_agreement):
    agreement = make_agreement(people.csaws, people.dsl, rules.DSL)
    details = services.AgreementDetails(frequency=rules.MONTHLY, usual_place="Elsewhere",
                                        starts_on=agreement.starts_on)
    with pytest.raises(services.SupervisionError, match="Only the supervisor"):
        services.change_agreement(agreement, people.dsl, details, TODAY)
    with pytest.raises(services.SupervisionError, match="Review it to change it"):
        services.change_agreement(agreement, people.csaws, details, TODAY)


def test_reviewing_renews_the_agreement_to_be_signed_again(people, make_agreement):
    agreement = make_agreement(people.csaws, people.dsl, rules.DSL, starts_on=date(2025, 12, 1))
    assert rules.review_state(agreement.review_due_on, TODAY) == rules.REVIEW_DUE
    services.review_agreement(agreement, people.csaws, services.AgreementDetails(
        frequency=rules.MONTHLY, usual_place="The school's new meeting room"), TODAY)
    assert agreement.last_reviewed_on == TODAY
    assert agreement.review_due_on == date(2027, 11, 23)
    assert agreement.starts_on == date(2025, 12, 1)
    assert agreement.usual_place == "The school's new meeting room"
    assert agreement.state == rules.AWAITING_BOTH and agreement.version == 2
    assert "CSAWS" in agreement.purpose            # empty wording keeps what was there
    services.sign_agreement(agreement, people.dsl, at(TODAY, 12))
    services.sign_agreement(agreement, people.csaws, at(TODAY, 13))
    assert agreement.in_force
    with pytest.raises(services.SupervisionError, match="within 12 months"):
        services.review_agreement(agreement, people.csaws, services.AgreementDetails(
            frequency=rules.MONTHLY, usual_place="x", review_due_on=date(2028, 1, 1)), TODAY)


def test_a_review_needs_an_agreement_in_force(people, make_agreement):
    agreement = make_agreement(people.csaws, people.dsl, rules.DSL, signed="supervisee")
    with pytest.raises(services.SupervisionError, match="Only an agreement in force can be reviewed"):
        services.review_agreement(agreement, people.csaws, services.AgreementDetails(
            frequency=rules.MONTHLY, usual_place="x"), TODAY)


def test_ending_an_agreement_cancels_what_is_planned(people, make_agreement, plan, record):
    agreement = make_agreement(people.csaws, people.dsl, rules.DSL)
    held = record(agreement, date(2026, 11, 16))
    planned = plan(agreement, date(2026, 11, 30))
    with pytest.raises(services.SupervisionError, match="Enter why"):
        services.end_agreement(agreement, people.csaws, TODAY, " ")
    services.end_agreement(agreement, people.csaws, TODAY, "David has moved school.")
    assert agreement.state == rules.ENDED and agreement.ended_on == TODAY
    assert (held.state, planned.state, planned.sequence) == (HELD, CANCELLED, 1)
    with pytest.raises(services.SupervisionError, match="has ended"):
        services.sign_agreement(agreement, people.dsl, at(TODAY, 10))
    with pytest.raises(services.SupervisionError, match="has ended"):
        session_services.plan_session(agreement, people.csaws, at(TODAY, 14), 60, "Room")


# ---------------------------------------------------------------------------------------------
# Sessions and records
# ---------------------------------------------------------------------------------------------

def test_planning_moving_and_cancelling_raise_the_calendar_sequence(people, make_agreement):
    agreement = make_agreement(people.csaws, people.dsl, rules.DSL)
    session = session_services.plan_session(agreement, people.csaws, at(date(2026, 12, 1), 15, 30), 90, "")
    assert (session.state, session.planned_place, session.sequence) == (PLANNED, agreement.usual_place, 0)
    uid = session.uid
    session_services.reschedule_session(session, people.csaws, at(date(2026, 12, 2), 15, 30), 90, "Library")
    assert (session.sequence, session.planned_place, session.uid) == (1, "Library", uid)
    session_services.reschedule_session(session, people.csaws, at(date(2026, 12, 2), 15, 30), 90, "Library")
    assert session.sequence == 1   # nothing changed
    session_services.cancel_session(session, people.csaws, "Snow day")
    assert (session.state, session.sequence, session.cancelled_reason) == (CANCELLED, 2, "Snow day")
    with pytest.raises(services.SupervisionError, match="was cancelled"):
        session_services.record_session(session, people.csaws, session_services.SessionRecord(), at(TODAY, 10))


@pytest.mark.parametrize("minutes, place, field, message", [
    (None, "Room", "minutes", "Enter how long the supervision lasts, in minutes"),
    (5, "Room", "minutes", "The length must be between 15 minutes and 8 hours (480 minutes)"),
    (60, "x" * 301, "place", "The place must be 300 characters or fewer"),
])
def test_planning_refusals(people, make_agreement, minutes, place, field, message):
    agreement = make_agreement(people.csaws, people.dsl, rules.DSL)
    with pytest.raises(services.SupervisionError) as refused:
        session_services.plan_session(agreement, people.csaws, at(TODAY, 14), minutes, place)
    assert (refused.value.field, refused.value.message) == (field, message)
    with pytest.raises(services.SupervisionError, match="Only the supervisor"):
        session_services.plan_session(agreement, people.dsl, at(TODAY, 14), 60, "Room")


@pytest.mark.parametrize("held_on, recorded_at, late", [
    (date(2026, 11, 20), at(date(2026, 11, 23), 17), False),   # Friday, recorded Monday evening
    (date(2026, 11, 19), at(date(2026, 11, 23), 9), True),     # Thursday, recorded Monday
    (date(2026, 11, 23), at(date(2026, 11, 23), 23, 30), False),
])
def test_recording_flags_a_late_record(people, make_agreement, plan, held_on, recorded_at, late):
    agreement = make_agreement(people.csaws, people.dsl, rules.DSL)
    session = plan(agreement, held_on)
    session_services.record_session(session, people.csaws, session_services.SessionRecord(
        held_on=held_on, duration_minutes=75, place="The family room", agenda=["casework", "wellbeing", "standards"],
        discussion="Referrals.", decisions="Refer."), recorded_at)
    assert session.state == HELD and session.recorded_late is late
    assert session.agenda == ["wellbeing", "casework", "standards"]   # in the standards' order
    assert session.recorded_at == recorded_at and session.recorded_by_id == people.csaws.id
    assert session.sequence == 1
    assert [n.kind for n in notifications.queued()][-1] == notifications.TO_READ
    with pytest.raises(services.SupervisionError, match="already been recorded"):
        session_services.record_session(session, people.csaws, session_services.SessionRecord(), recorded_at)


def test_a_record_needs_what_the_rules_ask_and_an_observation_needs_notes(people, make_agreement, plan):
    agreement = make_agreement(people.manager, people.worker)
    session = plan(agreement, date(2026, 11, 20))
    base = dict(held_on=date(2026, 11, 20), duration_minutes=60, place="Room", agenda=["casework"], discussion="x")
    with pytest.raises(services.SupervisionError) as refused:
        session_services.record_session(session, people.manager, session_services.SessionRecord(**{**base, "agenda": []}),
                                at(TODAY, 10))
    assert refused.value.field == "agenda"
    with pytest.raises(services.SupervisionError) as refused:
        session_services.record_session(session, people.manager, session_services.SessionRecord(**base, observation=True),
                                at(TODAY, 10))
    assert refused.value.field == "observation_notes"
    session_services.record_session(session, people.manager, session_services.SessionRecord(
        **base, observation=True, observation_notes="Observed a home visit."), at(TODAY, 10))
    assert session.observation and session.observation_notes == "Observed a home visit."


def test_the_supervisee_acknowledges_the_record_with_comments(people, make_agreement, record):
    agreement = make_agreement(people.csaws, people.dsl, rules.DSL)
    session = record(agreement, date(2026, 11, 20))
    for other in (people.csaws, people.od):
        with pytest.raises(services.SupervisionError, match="Only the supervisee"):
            session_services.acknowledge_record(session, other, "", at(TODAY, 10))
    session_services.acknowledge_record(session, people.dsl, "  I would add the school nurse's view.  ", at(TODAY, 10))
    assert session.acknowledged_at == at(TODAY, 10)
    assert session.supervisee_comments == "I would add the school nurse's view."
    with pytest.raises(services.SupervisionError, match="already acknowledged"):
        session_services.acknowledge_record(session, people.dsl, "", at(TODAY, 11))


def test_a_planned_session_cannot_be_acknowledged_or_given_actions(people, make_agreement, plan):
    agreement = make_agreement(people.csaws, people.dsl, rules.DSL)
    session = plan(agreement)
    with pytest.raises(services.SupervisionError, match="Record the supervision first"):
        session_services.acknowledge_record(session, people.dsl, "", at(TODAY, 10))
    with pytest.raises(services.SupervisionError, match="Record the supervision first"):
        session_services.add_action(session, people.csaws, description="x", owner="supervisee", owner_name="",
                            due_on=TODAY)


def test_actions_have_an_owner_and_a_due_date_and_either_party_marks_them_done(people, make_agreement, record):
    agreement = make_agreement(people.csaws, people.dsl, rules.DSL)
    session = record(agreement, date(2026, 11, 20))
    refusals = [
        (dict(description="", owner="supervisee", owner_name="", due_on=TODAY), "description"),
        (dict(description="x", owner="nobody", owner_name="", due_on=TODAY), "owner"),
        (dict(description="x", owner="other", owner_name="", due_on=TODAY), "owner_name"),
        (dict(description="x", owner="supervisee", owner_name="", due_on=None), "due_on"),
        (dict(description="x", owner="supervisee", owner_name="", due_on=date(2026, 11, 19)), "due_on"),
    ]
    for values, field in refusals:
        with pytest.raises(services.SupervisionError) as refused:
            session_services.add_action(session, people.csaws, **values)
        assert refused.value.field == field
    action = session_services.add_action(session, people.csaws, description="Share the attendance data",
                                 owner="other", owner_name="The head teacher", due_on=date(2026, 12, 4))
    assert action.owner_name == "The head teacher"
    with pytest.raises(services.SupervisionError, match="Only the supervisor and the supervisee"):
        session_services.complete_action(action, people.od, TODAY)
    session_services.complete_action(action, people.dsl, TODAY)
    assert (action.completed_on, action.completed_by_id) == (TODAY, people.dsl.id)
    with pytest.raises(services.SupervisionError, match="already done"):
        session_services.complete_action(action, people.csaws, TODAY)


# ---------------------------------------------------------------------------------------------
# Training needs become booking requests
# ---------------------------------------------------------------------------------------------

def test_a_training_need_agreed_by_the_line_manager_books_the_place(people, make_agreement, record,
                                                                    course_with_session):
    course, course_session = course_with_session("line_manager")
    agreement = make_agreement(people.manager, people.worker)      # the manager supervises their own report
    session = record(agreement, date(2026, 11, 20))
    need = session_services.add_training_need(session, people.manager, course, course_session, "First final hearing",
                                      at(TODAY, 10))
    assert need.pre_agreed
    assert need.booking.person_id == people.worker.id
    assert need.booking.state == booking_rules.BOOKED
    assert need.booking.decided_by_id == people.manager.id
    assert need.booking.decision_reason == "Agreed in supervision."


def test_a_training_need_from_another_supervisor_goes_to_the_line_manager(people, make_agreement, record,
                                                                          course_with_session):
    course, course_session = course_with_session("line_manager")
    agreement = make_agreement(people.csaws, people.worker)        # supervised by someone who is not their manager
    session = record(agreement, date(2026, 11, 20))
    need = session_services.add_training_need(session, people.csaws, course, course_session, "", at(TODAY, 10))
    assert not need.pre_agreed
    assert need.booking.state == booking_rules.AWAITING_APPROVAL


def test_a_full_session_waitlists_even_when_agreed(people, make_agreement, record, course_with_session, make_person):
    course, course_session = course_with_session("line_manager", capacity=1)
    from lnd.bookings import services as bookings

    first = make_person("Fay", "First")
    bookings.approve(bookings.book_place(course_session, first, first, at(TODAY, 8)), people.od, at(TODAY, 8))
    db.session.commit()
    assert course_session.places_left == 0
    agreement = make_agreement(people.manager, people.worker)
    need = session_services.add_training_need(session := record(agreement, date(2026, 11, 20)), people.manager, course,
                                      course_session, "", at(TODAY, 10))
    assert session.is_held and need.booking.state == booking_rules.WAITLISTED


def test_a_training_need_without_a_date_is_noted_and_a_refused_booking_says_why(people, make_agreement, record,
                                                                                course_with_session):
    course, course_session = course_with_session("none")
    agreement = make_agreement(people.manager, people.worker)
    session = record(agreement, date(2026, 11, 20))
    noted = session_services.add_training_need(session, people.manager, course, None, "Later in the year", at(TODAY, 10))
    assert noted.booking is None and noted.course_id == course.id
    session_services.add_training_need(session, people.manager, course, course_session, "", at(TODAY, 10))
    with pytest.raises(services.SupervisionError) as refused:
        session_services.add_training_need(session, people.manager, course, course_session, "", at(TODAY, 10))
    assert refused.value.field == "course_session"
    assert "already have a place" in refused.value.message
    other_course, _ = course_with_session("none")
    with pytest.raises(services.SupervisionError, match="Select one of the course's dates"):
        session_services.add_training_need(session, people.manager, other_course, course_session, "", at(TODAY, 10))
