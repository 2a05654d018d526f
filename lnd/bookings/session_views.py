"""Session pages: the list and the OD team's create, edit, capacity and cancel pages, a session's
page (everyone; the people on it for OD and the facilitator), the register and sign-in sheet,
and feedback per session and per course."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from lnd.bookings import queries, rules, services, session_services
from lnd.bookings.forms import CancelSessionForm, CapacityForm, RegisterForm, SessionForm
from lnd.bookings.views import actor, bp, commit_and_notify, render, rollback, show_error
from lnd.core import clock
from lnd.core.auth import access
from lnd.core.pagination import Page
from lnd.courses.queries import course_by_slug, is_live
from lnd.people.models import OD_ADMIN


def _session_or_404(session_id: int):
    """Sessions of courses staff cannot see (retired) are the OD team's only."""
    session = queries.session_by_id(session_id)
    if session is None or (not is_live(session.course) and not current_user.has_role(OD_ADMIN)):
        abort(404)
    return session


def _od_session_or_404(session_id: int):
    return queries.session_by_id(session_id) or abort(404)


@bp.route("/sessions")
@access(OD_ADMIN)
def sessions():
    past = request.args.get("when") == "past"
    number = max(request.args.get("page", 1, type=int), 1)
    rows, total = queries.od_sessions(now=clock.now(), past=past, page=number)
    return render("bookings/sessions.html", page=Page(rows, total, number, queries.PAGE_SIZE), past=past)


def _details(form: SessionForm) -> session_services.SessionDetails:
    parts = []
    for entry in form.parts.entries:
        sub = entry.form
        parts.append(session_services.PartDetails(sub.starts_at(), sub.ends_at(), sub.venue.data or "",
                                                  (sub.joining_url.data or "").strip() or None))
    return session_services.SessionDetails(
        booking_closes_on=form.booking_closes_on.data, facilitator=form.facilitator.data or "",
        facilitator_email=form.facilitator_email.data or "", notes=form.notes.data or "", parts=parts,
        capacity=form.capacity.data if "capacity" in form else None)


def _fill_parts(form: SessionForm, count: int) -> None:
    while len(form.parts.entries) < count:
        form.parts.append_entry()
    while len(form.parts.entries) > count:
        form.parts.pop_entry()


@bp.route("/sessions/new/<slug>", methods=["GET", "POST"])
@access(OD_ADMIN)
def new_session(slug: str):
    course = course_by_slug(slug) or abort(404)
    form = SessionForm()
    _fill_parts(form, course.parts)
    if form.validate_on_submit():
        try:
            session = session_services.create_session(course, _details(form), actor())
        except services.BookingError as error:
            rollback()
            show_error(form, error)
        else:
            commit_and_notify()
            flash(f"The session of ‘{course.title}’ has been added. Staff can now book it.", "success")
            return redirect(url_for("bookings.session", session_id=session.id))
    return render("bookings/session_form.html", form=form, course=course, session=None)


@bp.route("/sessions/<int:session_id>")
@access(record="any signed-in person; the people on it: od_admin and the facilitator")
def session(session_id: int):
    session = _session_or_404(session_id)
    today, now = clock.today(), clock.now()
    may_run = queries.can_run_register(current_user, session)
    mine = queries.bookings_on_sessions(current_user.id, [session.id]).get(session.id)
    if mine is not None and mine.state not in rules.OPEN_STATES:
        mine = None  # declined or cancelled: they may book again
    open_, availability = queries.availability(session, today, now)
    return render("bookings/session.html", session=session, people=queries.session_people(session.id) if may_run
                  else None, may_run=may_run, mine=mine, booking_open=open_ and not session.is_cancelled
                  and session.course.is_bookable, availability=availability,
                  register_open={p.id: rules.register_open(p.starts_at, now) for p in session.parts},
                  started=now >= session.starts_at)


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@access(OD_ADMIN)
def edit_session(session_id: int):
    session = _od_session_or_404(session_id)
    if session.is_cancelled:
        flash("This session is cancelled, so it cannot be changed.", "info")
        return redirect(url_for("bookings.session", session_id=session.id))
    form = SessionForm() if request.method == "POST" else _prefilled(session)
    del form.capacity
    _fill_parts(form, len(session.parts))
    if form.validate_on_submit():
        try:
            changed = session_services.update_session(session, _details(form), actor(), clock.now())
        except services.BookingError as error:
            rollback()
            show_error(form, error)
        else:
            commit_and_notify()
            flash("The session has been changed. Everyone booked has been emailed the new details."
                  if changed else "Nothing was changed.", "success")
            return redirect(url_for("bookings.session", session_id=session.id))
    return render("bookings/session_form.html", form=form, course=session.course, session=session)


def _prefilled(session) -> SessionForm:
    form = SessionForm(data={
        "booking_closes_on": session.booking_closes_on, "facilitator": session.facilitator,
        "facilitator_email": session.facilitator_person.email if session.facilitator_person else "",
        "notes": session.notes,
        "parts": [{"day": rules.london_date(p.starts_at),
                   "start_time": f"{p.starts_at.astimezone(rules.LONDON):%H:%M}",
                   "end_time": f"{p.ends_at.astimezone(rules.LONDON):%H:%M}",
                   "venue": p.venue, "joining_url": p.joining_url or ""} for p in session.parts],
    })
    return form


@bp.route("/sessions/<int:session_id>/capacity", methods=["GET", "POST"])
@access(OD_ADMIN)
def session_capacity(session_id: int):
    session = _od_session_or_404(session_id)
    form = CapacityForm(data={"capacity": session.capacity}) if request.method == "GET" else CapacityForm()
    if form.validate_on_submit():
        try:
            promoted = session_services.change_capacity(session, form.capacity.data, actor(), clock.now())
        except services.BookingError as error:
            rollback()
            show_error(form, error)
        else:
            commit_and_notify()
            extra = f" {len(promoted)} people moved from the waiting list into a place." if promoted else ""
            flash(f"The session now has {form.capacity.data} places.{extra}", "success")
            return redirect(url_for("bookings.session", session_id=session.id))
    return render("bookings/capacity.html", form=form, session=session)


@bp.route("/sessions/<int:session_id>/cancel", methods=["GET", "POST"])
@access(OD_ADMIN)
def cancel_session(session_id: int):
    session = _od_session_or_404(session_id)
    form = CancelSessionForm()
    if form.validate_on_submit():
        try:
            told = session_services.cancel_session(session, form.reason.data or "", actor(), clock.now())
        except services.BookingError as error:
            rollback()
            show_error(form, error)
        else:
            commit_and_notify()
            flash(f"The session has been cancelled and {told} {'person has' if told == 1 else 'people have'} "
                  "been emailed.", "success")
            return redirect(url_for("bookings.session", session_id=session.id))
    people = queries.session_people(session.id)
    return render("bookings/cancel_session.html", form=form, session=session, people=people)


def _runnable_session_or_404(session_id: int):
    session = queries.session_by_id(session_id)
    if session is None or not queries.can_run_register(current_user, session):
        abort(404)
    return session


@bp.route("/sessions/<int:session_id>/register/<int:part_id>", methods=["GET", "POST"])
@access(record="od_admin, the session's facilitator")
def register(session_id: int, part_id: int):
    session = _runnable_session_or_404(session_id)
    part = next((p for p in session.parts if p.id == part_id), None) or abort(404)
    bookings = session_services.register_bookings(session.id)
    marks = queries.register_marks(session.id)
    form = RegisterForm()
    form.present.choices = [SelectChoice(b.id, b.person.name) for b in bookings]
    if request.method == "GET":
        form.present.data = [b.id for b in bookings if marks.get((b.id, part.id))]
    if form.validate_on_submit():
        try:
            counts = session_services.mark_register(session, part, set(form.present.data or []), actor(),
                                                    clock.now())
        except services.BookingError as error:
            rollback()
            show_error(form, error)
        else:
            commit_and_notify()
            flash(f"Register saved for part {part.position}: {counts['present']} present, "
                  f"{counts['absent']} absent.", "success")
            return redirect(url_for("bookings.session", session_id=session.id))
    return render("bookings/register.html", form=form, session=session, part=part, bookings=bookings,
                  marked=any((b.id, part.id) in marks for b in bookings),
                  register_open=rules.register_open(part.starts_at, clock.now()))


@bp.route("/sessions/<int:session_id>/sign-in-sheet")
@access(record="od_admin, the session's facilitator")
def sign_in_sheet(session_id: int):
    session = _runnable_session_or_404(session_id)
    return render("bookings/sign_in_sheet.html", session=session,
                  bookings=session_services.register_bookings(session.id))


@bp.route("/sessions/<int:session_id>/feedback")
@access(OD_ADMIN)
def session_feedback(session_id: int):
    session = _od_session_or_404(session_id)
    return render("bookings/feedback_report.html", report=queries.session_feedback(session.id), session=session,
                  course=session.course)


@bp.route("/sessions/course/<slug>/feedback")
@access(OD_ADMIN)
def course_feedback(slug: str):
    course = course_by_slug(slug) or abort(404)
    return render("bookings/feedback_report.html", report=queries.course_feedback(course.id), session=None,
                  course=course)

