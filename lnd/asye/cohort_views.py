"""The ASYE lead's cohort and booking the cohort onto module sessions (routes on the asye blueprint)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from wtforms.fields.choices import SelectChoice

from lnd.asye import cohort_queries, rules, services
from lnd.asye.forms import CohortBookingForm
from lnd.asye.views import actor, bp, field_error
from lnd.bookings import notifications
from lnd.core import clock
from lnd.core.auth import access
from lnd.extensions import db
from lnd.people.models import ASYE_ASSESSOR, OD_ADMIN

COHORT = "od_admin sees every NQSW; an assessor the NQSWs they assess"


@bp.route("/asye")
@access(ASYE_ASSESSOR, OD_ADMIN, record=COHORT)
def cohort():
    today = clock.today()
    rows = cohort_queries.cohort(actor(), today)
    return render_template("asye/cohort.html", rows=rows, today=today, rules=rules,
                           is_lead=actor().has_role(OD_ADMIN),
                           overdue=sum(1 for r in rows if r.overdue), due_soon=sum(1 for r in rows if r.due_soon))


@bp.route("/asye/modules")
@access(OD_ADMIN)
def module_sessions():
    return render_template("asye/module_sessions.html",
                           sessions=cohort_queries.upcoming_module_sessions(clock.now()))


@bp.route("/asye/modules/<int:session_id>/book", methods=["GET", "POST"])
@access(OD_ADMIN)
def book_cohort(session_id: int):
    session = cohort_queries.module_session(session_id) or abort(404)
    places = cohort_queries.cohort_for_session(session)
    form = CohortBookingForm()
    form.enrolments.choices = [SelectChoice(p.enrolment.id, p.enrolment.nqsw.name) for p in places if p.bookable]
    if not form.is_submitted():
        form.enrolments.data = [p.enrolment.id for p in places if p.bookable]
    if form.validate_on_submit():
        try:
            result = services.book_cohort(session, set(form.enrolments.data or []), actor(), clock.now())
        except services.AsyeError as error:
            db.session.rollback()
            notifications.discard()
            field_error(form, error)
        else:
            db.session.commit()
            failed = notifications.send_queued()
            flash(_summary(result) + (" Some emails could not be sent." if failed else ""), "success")
            return redirect(url_for("asye.book_cohort", session_id=session.id))
    return render_template("asye/book_cohort.html", form=form, session=session, places=places)


def _summary(result: services.CohortBooking) -> str:
    parts = [f"{len(result.booked)} booked"]
    if result.waitlisted:
        parts.append(f"{len(result.waitlisted)} on the waiting list")
    text = ", ".join(parts) + "."
    if result.refused:
        text += " Not booked: " + "; ".join(f"{person.name} ({reason.rstrip('.')})" for person, reason in result.refused) + "."
    return text
