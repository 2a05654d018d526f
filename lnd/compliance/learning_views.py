"""My learning, the manager's team grid and a person's required learning, with the OD team's
exemptions."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from lnd.compliance import exemptions, learning_queries, queries
from lnd.compliance.learning_forms import ExemptionForm, RemoveExemptionForm, TeamFilterForm
from lnd.compliance.models import Exemption
from lnd.core import clock
from lnd.core.auth import access
from lnd.core.pagination import Page
from lnd.courses.models import Course
from lnd.extensions import db
from lnd.people.models import MANAGER, OD_ADMIN, Person
from lnd.people.queries import can_view_person, is_manager_of

bp = Blueprint("learning", __name__)

PERSON_RECORD = "staff-self, manager-of-owner, od_admin"
OD_EXEMPTIONS = "od_admin; the person must exist (404)"


def _actor() -> Person:
    return current_user._get_current_object()


def _learning(person: Person, *, own: bool) -> dict:
    """What My learning and a person's learning page show: the windows with each course's status,
    the next session with places, the person's open bookings, exemptions and record of learning."""
    today, now = clock.today(), clock.now()
    windows = queries.required_learning(person, today)
    course_ids = [item.course.id for window in windows for item in window.items if not item.status.is_met]
    return {
        "person": person, "own": own, "windows": windows, "today": today,
        "next_sessions": learning_queries.next_sessions(course_ids, today, now, person),
        "bookings": learning_queries.open_bookings(person.id, course_ids, now),
        "exemptions": learning_queries.exemptions_for(person.id),
        "records": learning_queries.record_of_learning(person.id),
        "position": queries.position_of(windows),
        "is_od": current_user.has_role(OD_ADMIN),
    }


@bp.route("/my-learning")
@access()
def mine():
    return render_template("learning/mine.html", **_learning(_actor(), own=True))


@bp.route("/my-team")
@access(MANAGER, OD_ADMIN, record="od_admin sees everyone; a manager sees their reports")
def team():
    viewer = _actor()
    is_od = viewer.has_role(OD_ADMIN)
    form = TeamFilterForm(request.args)
    relation = form.relation.data if form.relation.data in (learning_queries.DIRECT, learning_queries.INDIRECT) else ""
    team_id = request.args.get("team", type=int) if is_od else None
    number = max(request.args.get("page", 1, type=int), 1)
    grid = learning_queries.team_grid(viewer, clock.today(), relation="" if is_od else relation, team_id=team_id,
                                      page=number)
    form.set_teams(grid.teams)
    page = Page(grid.rows, grid.total, number, learning_queries.TEAM_PAGE_SIZE)
    chosen_team = next((t for t in grid.teams if t.id == team_id), None)
    return render_template("learning/team.html", grid=grid, page=page, filter_form=form, is_od=is_od,
                           relation=relation, chosen_team=chosen_team)


def _person_or_404(person_id: int) -> Person:
    person = db.session.get(Person, person_id)
    if person is None or not can_view_person(current_user, person_id):
        abort(404)
    return person


@bp.route("/people/<int:person_id>/learning")
@access(record=PERSON_RECORD)
def person(person_id: int):
    person = _person_or_404(person_id)
    context = _learning(person, own=person.id == current_user.id)
    appraisals = "appraisal.person_appraisals" in current_app.view_functions
    return render_template("learning/person.html", remove_form=RemoveExemptionForm(),
                           can_appraise=appraisals and "appraisal.new_appraisal" in current_app.view_functions
                           and is_manager_of(current_user, person.id),
                           has_appraisals=appraisals, **context)


@bp.route("/people/<int:person_id>/exemptions/new", methods=["GET", "POST"])
@access(OD_ADMIN, record=OD_EXEMPTIONS)
def new_exemption(person_id: int):
    person = db.session.get(Person, person_id) or abort(404)
    today = clock.today()
    already = learning_queries.exemptions_for(person.id)
    courses = [c for c in exemptions.required_courses(person, today) if c.id not in already]
    form = ExemptionForm()
    form.set_courses(courses)
    if form.validate_on_submit():
        course = db.session.get(Course, int(form.course.data)) if form.course.data.isdigit() else None
        try:
            exemption = exemptions.record_exemption(person, course, form.reason.data, _actor(), today)
        except exemptions.ExemptionError as error:
            db.session.rollback()
            target = getattr(form, error.field or "course")
            target.errors = list(target.errors) + [error.message]
        else:
            title = exemption.course.title
            db.session.commit()
            flash(f"{person.name} is now exempt from {title}.", "success")
            return redirect(url_for("learning.person", person_id=person.id))
    return render_template("learning/exemption_form.html", person=person, form=form, courses=courses)


@bp.route("/exemptions/<int:exemption_id>/remove", methods=["POST"])
@access(OD_ADMIN, record=OD_EXEMPTIONS)
def remove_exemption(exemption_id: int):
    exemption = db.session.get(Exemption, exemption_id) or abort(404)
    person_id, title = exemption.person_id, exemption.course.title
    form = RemoveExemptionForm()
    if form.validate_on_submit():
        exemptions.remove_exemption(exemption, _actor())
        db.session.commit()
        flash(f"The exemption from {title} has been removed.", "success")
    return redirect(url_for("learning.person", person_id=person_id))
