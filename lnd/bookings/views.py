"""Pages for booking: my bookings, booking a place, cancelling, invites, feedback, approvals and the
private calendar feed. The OD team's session pages are in session_views, recorded learning in
record_views (same blueprint)."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from lnd.bookings import calendar, notifications, preapproval, queries, rules, services
from lnd.bookings.forms import CancelBookingForm, ConfirmForm, DecisionForm, FeedbackForm
from lnd.bookings.models import BOOKING_STATES, RATINGS
from lnd.bookings.record_services import can_self_record
from lnd.compliance import queries as compliance  # the manager's view of required learning (view layer only)
from lnd.core import clock
from lnd.core.auth import access
from lnd.core.pagination import Page
from lnd.courses.queries import is_live
from lnd.extensions import db
from lnd.people.models import MANAGER, OD_ADMIN

bp = Blueprint("bookings", __name__)

STATE_TAGS = {
    rules.REQUESTED: "govuk-tag--grey", rules.AWAITING_APPROVAL: "govuk-tag--yellow",
    rules.BOOKED: "govuk-tag--green", rules.WAITLISTED: "govuk-tag--orange", rules.DECLINED: "govuk-tag--red",
    rules.CANCELLED_BY_PERSON: "govuk-tag--grey", rules.CANCELLED_BY_OD: "govuk-tag--grey",
    rules.SESSION_CANCELLED: "govuk-tag--grey", rules.ATTENDED: "govuk-tag--green",
    rules.PARTLY_ATTENDED: "govuk-tag--blue", rules.NO_SHOW: "govuk-tag--red",
}


def actor():
    return current_user._get_current_object()


def cutoff_days() -> int:
    return int(current_app.config["BOOKING_CANCEL_CUTOFF_WORKING_DAYS"])


def commit_and_notify() -> None:
    """Commit, then send the mail the change queued (never before: a rollback mails nobody)."""
    db.session.commit()
    if notifications.send_queued():
        flash("The change is saved, but we could not send the email about it.", "info")


def rollback() -> None:
    db.session.rollback()
    notifications.discard()


def show_error(form, error: services.BookingError) -> None:
    """A service's refusal beside its field (parts-0-venue style for session parts), else on the button."""
    target = None
    if error.field and error.field.startswith("parts-"):
        _, index, name = error.field.split("-", 2)
        entries = form.parts.entries
        if int(index) < len(entries):
            target = getattr(entries[int(index)].form, name, None)
    elif error.field:
        target = getattr(form, error.field, None)
    if target is None:
        target = getattr(form, "submit", None) or next(iter(form))
    target.errors = list(target.errors) + [error.message]
    if hasattr(form, "parts") and error.field and error.field.startswith("parts-"):
        form.parts.errors = [entry.errors for entry in form.parts.entries]


def render(template: str, **context):
    return render_template(template, state_tags=STATE_TAGS, state_labels=BOOKING_STATES, ratings=RATINGS,
                           is_od=current_user.has_role(OD_ADMIN), **context)


def booking_or_404(booking_id: int):
    booking = queries.booking_by_id(booking_id)
    if booking is None or not queries.can_view_booking(current_user, booking):
        abort(404)
    return booking


def own_booking_or_404(booking_id: int):
    booking = queries.booking_by_id(booking_id)
    if booking is None or booking.person_id != current_user.id:
        abort(404)
    return booking


@bp.app_template_filter("london_time")
def london_time(moment) -> str:
    """09:30, in Europe/London."""
    return f"{moment.astimezone(rules.LONDON):%H:%M}" if moment else ""


@bp.app_template_filter("session_when")
def session_when(part) -> str:
    """Thursday 3 December 2026, 09:30 to 12:30 (Europe/London)."""
    start, end = part.starts_at.astimezone(rules.LONDON), part.ends_at.astimezone(rules.LONDON)
    return f"{start:%A} {start.day} {start:%B %Y}, {start:%H:%M} to {end:%H:%M}"


@bp.app_template_global("booking_panel")
def booking_panel(course) -> dict:
    """What the course page shows about sessions or recording (templates/bookings/_course_sessions.html)."""
    today, now = clock.today(), clock.now()
    has_sessions = any(method.has_sessions for method in course.delivery_methods)
    sessions = queries.upcoming_sessions_for_course(course.id, today, now) if has_sessions else []
    signed_in = current_user.is_authenticated
    return {
        "has_sessions": has_sessions,
        "sessions": sessions,
        "mine": {session_id: b for session_id, b in queries.bookings_on_sessions(
            current_user.id, [row.session.id for row in sessions]).items() if b.state in rules.ACTIVE_STATES}
        if signed_in else {},
        "can_record": can_self_record(course),
        "completions": queries.own_completions(current_user.id, course.id) if signed_in else [],
        "is_od": signed_in and current_user.has_role(OD_ADMIN),
        "bookable": course.is_bookable,
        "agreed": services.available_preapproval(current_user.id, course.id, today) if signed_in else None,
    }


# ---------------------------------------------------------------------------------------------
# My bookings
# ---------------------------------------------------------------------------------------------

@bp.route("/bookings")
@access()
def my_bookings():
    now = clock.now()
    mine = queries.my_bookings(current_user.id, now)
    facilitated = queries.facilitated_sessions(current_user.id, now)
    return render("bookings/my_bookings.html", mine=mine, facilitated=facilitated,
                  agreed=preapproval.available_for_person(current_user.id, clock.today()))


@bp.route("/bookings/<int:booking_id>")
@access(record="staff-self, manager-of-owner, od_admin")
def booking(booking_id: int):
    booking = booking_or_404(booking_id)
    now = clock.now()
    own = booking.person_id == current_user.id
    refusal = rules.cancellation_refusal(booking.state, rules.london_date(booking.session.starts_at),
                                         clock.today(), now >= booking.session.starts_at, cutoff_days())
    if own:
        back_url = url_for("bookings.my_bookings")
    elif current_user.has_role(OD_ADMIN):
        back_url = url_for("bookings.session", session_id=booking.session_id)
    else:
        back_url = url_for("people.person", person_id=booking.person_id)
    events = queries.history(booking.id)
    return render("bookings/booking.html", booking=booking, history=events, own=own,
                  back_url=back_url,
                  can_cancel=own and refusal is None, cancel_refusal=refusal if own else None,
                  od_can_cancel=current_user.has_role(OD_ADMIN) and rules.od_cancellation_refusal(booking.state) is None,
                  deadline=services.cutoff_deadline(booking.session, cutoff_days()),
                  feedback_due=own and rules.may_give_feedback(booking.state, queries.has_feedback(booking.id)),
                  has_invite=rules.invite_available(booking.state, any(e.to_state == rules.BOOKED for e in events)))


@bp.route("/sessions/<int:session_id>/book", methods=["GET", "POST"])
@access(record="any signed-in person, for themselves; live courses only")
def book(session_id: int):
    session = queries.session_by_id(session_id)
    if session is None or not is_live(session.course):
        abort(404)
    form = ConfirmForm()
    authorisation = session.course.group.authorisation if session.course.group else rules.NO_AUTHORISATION
    needs_approval, agreed = services.needs_approval(session.course, current_user, clock.today())
    form.submit.label.text = "Send request to my manager" if needs_approval else "Confirm and book"
    if form.validate_on_submit():
        try:
            booking = services.book_place(session, actor(), actor(), clock.now())
        except services.BookingError as error:
            rollback()
            show_error(form, error)
        else:
            state = booking.state
            commit_and_notify()
            flash({rules.BOOKED: "Your place is booked. We have emailed you a calendar invitation.",
                   rules.WAITLISTED: "The session is full, so you are on the waiting list. We will email you "
                                     "if a place becomes free.",
                   rules.AWAITING_APPROVAL: "Your request has been sent to your manager for approval."}[state],
                  "success")
            return redirect(url_for("bookings.booking", booking_id=booking.id))
    mine = queries.bookings_on_sessions(current_user.id, [session.id]).get(session.id)
    # Said before the person presses the button (an overlap is found when they do).
    refusal = None if form.errors else rules.booking_refusal(
        course_bookable=session.course.is_bookable, course_status_label=session.course.status_label,
        session_cancelled=session.is_cancelled, starts_at=session.starts_at, closes_on=session.booking_closes_on,
        now=clock.now(), existing_state=mine.state if mine else None, clash=None)
    return render("bookings/book.html", session=session, form=form, needs_approval=needs_approval,
                  places_left=rules.places_left(session.capacity, session.taken), authorisation=authorisation,
                  refusal=refusal, mine=mine, agreed=agreed)


@bp.route("/bookings/<int:booking_id>/cancel", methods=["GET", "POST"])
@access(record="staff-self (up to the cut-off), od_admin")
def cancel_booking(booking_id: int):
    booking = booking_or_404(booking_id)
    own = booking.person_id == current_user.id
    by_od = current_user.has_role(OD_ADMIN) and not own
    if not own and not by_od:
        abort(403)
    form = CancelBookingForm()
    if form.validate_on_submit():
        try:
            services.cancel(booking, actor(), clock.now(), by_od=by_od, cutoff_working_days=cutoff_days(),
                            reason=form.reason.data or "")
        except services.BookingError as error:
            rollback()
            show_error(form, error)
        else:
            commit_and_notify()
            flash("The booking has been cancelled." if by_od else "Your booking has been cancelled.", "success")
            return redirect(url_for("bookings.booking", booking_id=booking.id))
    return render("bookings/cancel.html", booking=booking, form=form, by_od=by_od,
                  deadline=services.cutoff_deadline(booking.session, cutoff_days()))


@bp.route("/bookings/<int:booking_id>/invite.ics")
@access(record="staff-self, manager-of-owner, od_admin")
def invite(booking_id: int):
    booking = booking_or_404(booking_id)
    if not rules.invite_available(booking.state, queries.had_place(booking.id)):
        abort(404)  # a request or a waiting-list place has no calendar event
    response = make_response(calendar.invite(booking, clock.now()))
    response.headers["Content-Type"] = f"text/calendar; charset=utf-8; method={calendar.method_of(booking)}"
    response.headers["Content-Disposition"] = f'attachment; filename="{calendar.invite_filename(booking)}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/bookings/<int:booking_id>/feedback", methods=["GET", "POST"])
@access(record="staff-self")
def feedback(booking_id: int):
    booking = own_booking_or_404(booking_id)
    if not rules.may_give_feedback(booking.state, queries.has_feedback(booking.id)):
        flash("There is no feedback to give on this booking.", "info")
        return redirect(url_for("bookings.booking", booking_id=booking.id))
    form = FeedbackForm()
    if form.validate_on_submit():
        try:
            services.give_feedback(booking, actor(), clock.now(), usefulness=int(form.usefulness.data),
                                   delivery=int(form.delivery.data),
                                   will_do_differently=form.will_do_differently.data or "",
                                   comments=form.comments.data or "")
        except services.BookingError as error:
            rollback()
            show_error(form, error)
        else:
            commit_and_notify()
            flash("Thank you. Your feedback has been sent to the OD team.", "success")
            return redirect(url_for("bookings.my_bookings"))
    return render("bookings/feedback_form.html", booking=booking, form=form)


# ---------------------------------------------------------------------------------------------
# Approvals
# ---------------------------------------------------------------------------------------------

@bp.route("/approvals")
@access(MANAGER, OD_ADMIN, record="a manager sees their reports' requests; od_admin everyone's")
def approvals():
    number = max(request.args.get("page", 1, type=int), 1)
    rows, total = queries.approval_queue(actor(), number)
    positions = compliance.training_positions([b.person for b in rows], clock.today())
    return render("bookings/approvals.html", page=Page(rows, total, number, queries.PAGE_SIZE), positions=positions)


@bp.route("/approvals/<int:booking_id>", methods=["GET", "POST"])
@access(MANAGER, OD_ADMIN, record="manager-of-requester, od_admin; never the requester")
def decide(booking_id: int):
    booking = queries.booking_by_id(booking_id)
    if booking is None or not services.may_decide(current_user, booking.person):
        abort(404)
    form = DecisionForm()
    if booking.state != rules.AWAITING_APPROVAL:
        flash("This request has already been decided or withdrawn.", "info")
        return redirect(url_for("bookings.approvals"))
    if form.validate_on_submit():
        try:
            if form.decision.data == "approve":
                services.approve(booking, actor(), clock.now(), form.reason.data or "")
            else:
                services.decline(booking, actor(), clock.now(), form.reason.data or "")
        except services.BookingError as error:
            rollback()
            show_error(form, error)
        else:
            outcome = {rules.BOOKED: "approved and the place is booked",
                       rules.WAITLISTED: "approved; the session is full, so they are on the waiting list",
                       rules.DECLINED: "declined"}[booking.state]
            name = booking.person.name
            commit_and_notify()
            flash(f"The request from {name} was {outcome}. We have emailed them.", "success")
            return redirect(url_for("bookings.approvals"))
    windows = compliance.required_learning(booking.person, clock.today())
    return render("bookings/decide.html", booking=booking, form=form, windows=windows,
                  position=compliance.position_of(windows))


# ---------------------------------------------------------------------------------------------
# The private calendar feed
# ---------------------------------------------------------------------------------------------

@bp.route("/calendar")
@access(record="staff-self")
def calendar_settings():
    feed = services.feed_for(actor(), create=False)
    url = url_for("bookings.calendar_feed", token=feed.token, _external=True) if feed else None
    return render("bookings/calendar.html", feed_url=url, form=ConfirmForm())


@bp.route("/calendar/reset", methods=["POST"])
@access(record="staff-self")
def reset_calendar():
    form = ConfirmForm()
    if form.validate_on_submit():
        had_one = services.feed_for(actor(), create=False) is not None
        services.reset_feed(actor(), clock.now())
        commit_and_notify()
        flash("Your calendar address has changed. Subscribe again with the new address; the old one no "
              "longer works." if had_one else "Your calendar address is ready.", "success")
    return redirect(url_for("bookings.calendar_settings"))


@bp.route("/calendar/feed/<token>.ics")
@access(anonymous=True, record="whoever holds the person's secret token")
def calendar_feed(token: str):
    owner = queries.feed_owner(token)
    if owner is None:
        abort(404)
    now = clock.now()
    response = make_response(calendar.feed(queries.feed_bookings(owner.id, now), now,
                                           f"{owner.name}: learning and development",
                                           calendar.events_from_sources(current_app, owner, now)))
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = 'inline; filename="learning.ics"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


from lnd.bookings import record_views, session_views  # noqa: E402,F401  (routes on this blueprint)
