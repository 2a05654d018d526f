"""Supervision sessions: planning, moving and cancelling them, the record, actions, the supervisee's
acknowledgement and training needs that become booking requests (routes on the supervision
blueprint; access rules as in views)."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select

from lnd.bookings import queries as booking_queries
from lnd.core import clock
from lnd.core.clock import LONDON
from lnd.core.auth import access
from lnd.courses.models import ACTIVE, Course
from lnd.courses.queries import course_by_slug
from lnd.extensions import db
from lnd.supervision import queries, rules, services, session_services, wording
from lnd.supervision.forms import (
    AcknowledgeForm, ActionForm, CancelSessionForm, ConfirmForm, PlanSessionForm, RecordForm, TrainingNeedForm, choices,
)
from lnd.supervision.models import SupervisionSession
from lnd.supervision.views import (
    PARTIES, SEE, SUPERVISEE_ONLY, SUPERVISOR_ONLY, actor, agreement_to_see, as_supervisor, bp, commit_and_notify,
    render, rollback, show_error,
)

DEFAULT_MINUTES = 90
NO_DATE = "none"


def session_to_see(session_id: int) -> SupervisionSession:
    session = queries.session_by_id(session_id)
    if session is None or not queries.can_see(current_user, session.agreement):
        abort(404)
    return session


def session_for_supervisor(session_id: int) -> SupervisionSession:
    session = session_to_see(session_id)
    as_supervisor(session.agreement)
    return session


def _back_to(session: SupervisionSession, message: str):
    flash(message, "info")
    return redirect(url_for("supervision.session", session_id=session.id))


# ---------------------------------------------------------------------------------------------
# Planning
# ---------------------------------------------------------------------------------------------

@bp.route("/supervision/agreements/<int:agreement_id>/sessions/new", methods=["GET", "POST"])
@access(record=SUPERVISOR_ONLY)
def plan_session(agreement_id: int):
    agreement = as_supervisor(agreement_to_see(agreement_id))
    if not agreement.is_current:
        flash("This agreement has ended, so no more supervision can be planned under it.", "info")
        return redirect(url_for("supervision.agreement", agreement_id=agreement.id))
    form = PlanSessionForm()
    if request.method == "GET":
        form.place.data, form.minutes.data = agreement.usual_place, DEFAULT_MINUTES
    if form.validate_on_submit():
        try:
            session = session_services.plan_session(agreement, actor(), form.starts_at(), form.minutes.data,
                                            form.place.data or "")
        except services.SupervisionError as error:
            rollback()
            show_error(form, error)
        else:
            commit_and_notify()
            flash("The supervision is planned. It is in both your calendar feeds.", "success")
            return redirect(url_for("supervision.session", session_id=session.id))
    return render("supervision/session_form.html", form=form, agreement=agreement, session=None)


@bp.route("/supervision/sessions/<int:session_id>/change", methods=["GET", "POST"])
@access(record=SUPERVISOR_ONLY)
def edit_session(session_id: int):
    session = session_for_supervisor(session_id)
    if not session.is_planned:
        return _back_to(session, "Only planned supervision can be moved.")
    form = PlanSessionForm()
    if request.method == "GET":
        start = session.planned_starts_at.astimezone(LONDON)
        form.day.data, form.start_time.data = start.date(), f"{start:%H:%M}"
        form.minutes.data, form.place.data = session.planned_minutes, session.planned_place
    if form.validate_on_submit():
        try:
            session_services.reschedule_session(session, actor(), form.starts_at(), form.minutes.data, form.place.data or "")
        except services.SupervisionError as error:
            rollback()
            show_error(form, error)
        else:
            commit_and_notify()
            flash("The supervision is moved. Both your calendar feeds show the new time.", "success")
            return redirect(url_for("supervision.session", session_id=session.id))
    return render("supervision/session_form.html", form=form, agreement=session.agreement, session=session)


@bp.route("/supervision/sessions/<int:session_id>/cancel", methods=["GET", "POST"])
@access(record=SUPERVISOR_ONLY)
def cancel_session(session_id: int):
    session = session_for_supervisor(session_id)
    if not session.is_planned:
        return _back_to(session, "Only planned supervision can be cancelled.")
    form = CancelSessionForm()
    if form.validate_on_submit():
        try:
            session_services.cancel_session(session, actor(), form.reason.data or "")
        except services.SupervisionError as error:
            rollback()
            show_error(form, error)
        else:
            commit_and_notify()
            flash("The supervision is cancelled.", "success")
            return redirect(url_for("supervision.agreement", agreement_id=session.agreement_id))
    return render("supervision/cancel_session.html", form=form, session=session)


# ---------------------------------------------------------------------------------------------
# The session and its record
# ---------------------------------------------------------------------------------------------

@bp.route("/supervision/sessions/<int:session_id>")
@access(record=SEE)
def session(session_id: int):
    session = session_to_see(session_id)
    agreement = session.agreement
    actions = queries.actions_of_session(session.id)
    needs = queries.training_needs_of_session(session.id)
    people = queries.people_named([session.recorded_by_id] + [a.completed_by_id for a in actions])
    return render("supervision/session.html", session=session, agreement=agreement, actions=actions, needs=needs,
                  people=people, deadline=rules.recording_deadline(session.held_on) if session.held_on else None,
                  is_supervisor=current_user.id == agreement.supervisor_id,
                  is_supervisee=current_user.id == agreement.supervisee_id,
                  is_party=queries.is_party(current_user, agreement), done_form=ConfirmForm(),
                  owners=rules.ACTION_OWNERS, today=clock.today())


@bp.route("/supervision/sessions/<int:session_id>/record", methods=["GET", "POST"])
@access(record=SUPERVISOR_ONLY)
def record_session(session_id: int):
    session = session_for_supervisor(session_id)
    if not session.is_planned:
        return _back_to(session, "This supervision has already been recorded." if session.is_held
                        else "This supervision was cancelled, so it cannot be recorded.")
    form = RecordForm()
    today = clock.today()
    if request.method == "GET":
        planned_on = session.planned_starts_at.astimezone(LONDON).date()
        form.held_on.data = planned_on if planned_on <= today else None
        form.duration_minutes.data, form.place.data = session.planned_minutes, session.planned_place
    if form.validate_on_submit():
        record = session_services.SessionRecord(
            held_on=form.held_on.data, duration_minutes=form.duration_minutes.data, place=form.place.data or "",
            agenda=list(form.agenda.data or []), discussion=form.discussion.data or "",
            decisions=form.decisions.data or "", observation=bool(form.observation.data),
            observation_notes=form.observation_notes.data or "")
        try:
            session_services.record_session(session, actor(), record, clock.now())
        except services.SupervisionError as error:
            rollback()
            show_error(form, error)
        else:
            late = session.recorded_late
            commit_and_notify()
            flash("The record is saved" + (" (recorded late: more than one working day after the supervision)"
                                            if late else "") + f". {session.agreement.supervisee.name} can now read "
                  "and acknowledge it. Add any actions agreed.", "success")
            return redirect(url_for("supervision.session", session_id=session.id))
    return render("supervision/record_form.html", form=form, session=session, agreement=session.agreement,
                  observe=wording.current().of(session.agreement.kind).observation_of_practice,
                  deadline=rules.recording_deadline(session.planned_starts_at.astimezone(LONDON).date()))


@bp.route("/supervision/sessions/<int:session_id>/acknowledge", methods=["GET", "POST"])
@access(record=SUPERVISEE_ONLY)
def acknowledge(session_id: int):
    session = session_to_see(session_id)
    if current_user.id != session.agreement.supervisee_id:
        abort(403)
    if not session.is_held or session.acknowledged_at is not None:
        return _back_to(session, "There is nothing to acknowledge on this supervision." if not session.is_held
                        else "You have already acknowledged this record.")
    form = AcknowledgeForm()
    if form.validate_on_submit():
        try:
            session_services.acknowledge_record(session, actor(), form.comments.data or "", clock.now())
        except services.SupervisionError as error:
            rollback()
            show_error(form, error)
        else:
            commit_and_notify()
            flash("You have acknowledged the record.", "success")
            return redirect(url_for("supervision.session", session_id=session.id))
    return render("supervision/acknowledge.html", form=form, session=session, agreement=session.agreement)


# ---------------------------------------------------------------------------------------------
# Actions and training needs
# ---------------------------------------------------------------------------------------------

@bp.route("/supervision/sessions/<int:session_id>/actions/new", methods=["GET", "POST"])
@access(record=SUPERVISOR_ONLY)
def add_action(session_id: int):
    session = session_for_supervisor(session_id)
    if not session.is_held:
        return _back_to(session, "Record the supervision before adding its actions.")
    form = ActionForm()
    agreement = session.agreement
    form.owner.choices = choices({"supervisee": f"{agreement.supervisee.name} (supervisee)",
                                  "supervisor": f"{agreement.supervisor.name} (supervisor)", "other": "Someone else"})
    if form.validate_on_submit():
        try:
            session_services.add_action(session, actor(), description=form.description.data or "", owner=form.owner.data,
                                owner_name=form.owner_name.data or "", due_on=form.due_on.data)
        except services.SupervisionError as error:
            rollback()
            show_error(form, error)
        else:
            commit_and_notify()
            flash("The action is added.", "success")
            return redirect(url_for("supervision.session", session_id=session.id))
    return render("supervision/action_form.html", form=form, session=session, agreement=session.agreement)


@bp.route("/supervision/actions/<int:action_id>/done", methods=["POST"])
@access(record=PARTIES)
def complete_action(action_id: int):
    action = queries.action_by_id(action_id)
    if action is None or not queries.can_see(current_user, action.session.agreement):
        abort(404)
    if not queries.is_party(current_user, action.session.agreement):
        abort(403)
    if ConfirmForm().validate_on_submit():
        try:
            session_services.complete_action(action, actor(), clock.today())
        except services.SupervisionError as error:
            rollback()
            flash(error.message, "info")
        else:
            commit_and_notify()
            flash("The action is marked as done.", "success")
    return redirect(url_for("supervision.session", session_id=action.session_id))


def _bookable_courses() -> list[Course]:
    return list(db.session.scalars(select(Course).where(Course.status == ACTIVE).order_by(Course.title)))


@bp.route("/supervision/sessions/<int:session_id>/training-needs/new", methods=["GET", "POST"])
@access(record=SUPERVISOR_ONLY)
def add_training_need(session_id: int):
    """Step 1 (no ?course=): choose the course. Step 2: choose a date, which becomes a booking request."""
    session = session_for_supervisor(session_id)
    if not session.is_held or not session.agreement.is_current:
        return _back_to(session, "Training needs are added to the record of a supervision held under a current "
                                 "agreement.")
    slug = request.args.get("course", "")
    course = course_by_slug(slug) if slug else None
    if course is None or course.status != ACTIVE:
        items = [{"value": "", "text": "Choose a course"}] + [{"value": c.slug, "text": c.title}
                                                              for c in _bookable_courses()]
        return render("supervision/training_course.html", session=session, agreement=session.agreement,
                      course_items=items, unknown=bool(slug))
    today, now = clock.today(), clock.now()
    upcoming = [row for row in booking_queries.upcoming_sessions_for_course(course.id, today, now) if row.booking_open]
    form = TrainingNeedForm()
    form.course_session.choices = choices(
        [(str(row.session.id), f"{_when(row.session)} ({row.availability})") for row in upcoming]
        + [(NO_DATE, "No date yet: note the need for now")])
    if request.method == "GET" and not upcoming:
        form.course_session.data = NO_DATE
    if form.validate_on_submit():
        chosen = next((row.session for row in upcoming if str(row.session.id) == form.course_session.data), None)
        try:
            need = session_services.add_training_need(session, actor(), course, chosen, form.description.data or "", now)
        except services.SupervisionError as error:
            rollback()
            show_error(form, error)
        else:
            outcome = _outcome(need)
            commit_and_notify()
            flash(outcome, "success")
            return redirect(url_for("supervision.session", session_id=session.id))
    return render("supervision/training_need.html", form=form, session=session, agreement=session.agreement,
                  course=course, pre_agreed=session_services.is_line_manager(current_user, session.agreement.supervisee))


def _when(course_session) -> str:
    start = course_session.starts_at.astimezone(LONDON)
    return f"{start:%A} {start.day} {start:%B %Y}, {start:%H:%M}"


def _outcome(need) -> str:
    if need.booking is None:
        return f"The training need for {need.course.title} is noted."
    state = need.booking.state_label.lower()
    return f"The training need for {need.course.title} is noted and a place was requested: {state}."
