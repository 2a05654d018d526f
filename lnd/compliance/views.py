"""The home page: what is due for me, and what my roles need to see first."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from lnd.asye import queries as asye_queries
from lnd.bookings import queries as booking_queries
from lnd.compliance import queries
from lnd.core import clock
from lnd.core.auth import access
from lnd.courses import queries as course_queries
from lnd.cpd import queries as cpd_queries
from lnd.people import queries as people_queries
from lnd.people.models import MANAGER, OD_ADMIN

bp = Blueprint("compliance", __name__)


@bp.route("/")
@access()
def home():
    today = clock.today()
    person = current_user._get_current_object()
    windows = queries.required_learning(person, today)
    team = None
    if person.has_role(MANAGER):
        team = people_queries.team_summary(person.id, today)
    od = course_queries.offer_counts() if person.has_role(OD_ADMIN) else None
    cpd_readiness = cpd_queries.person_readiness(person, today)
    feedback_due = booking_queries.outstanding_feedback(person.id)
    asye_enrolments = asye_queries.home_enrolments(person)
    return render_template("compliance/home.html", person=person, windows=windows, team=team, od=od,
                           today=today, cpd_readiness=cpd_readiness, feedback_due=feedback_due,
                           asye_enrolments=asye_enrolments)
