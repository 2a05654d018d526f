"""The OD summary reports (routes on the reports blueprint): compliance by team and window with its
12-month trend, the induction tracker, courses and sessions, and the ASYE, CPD and supervision
summaries. The OD team sees the whole service; a manager the same, for their direct and indirect
reports. Every page only reads: snapshots are taken by `flask --app lnd report snapshot`."""
from __future__ import annotations

from flask import abort, render_template, request
from flask_login import current_user

from lnd.core import clock
from lnd.core.auth import access
from lnd.courses.models import Course
from lnd.extensions import db
from lnd.people.models import ASYE_ASSESSOR, MANAGER, OD_ADMIN, Person
from lnd.reports import charts, course_report
from lnd.reports import compliance_summary as compliance_queries
from lnd.reports import induction_tracker as induction_queries
from lnd.reports import service_summaries as service_queries
from lnd.reports import summary_rules as rules
from lnd.reports.blueprint import bp
from lnd.reports.summary_forms import DateRangeForm, TeamFilterForm

SCOPE = "od_admin sees everyone; a manager sees their reports"


def _viewer() -> Person:
    return current_user._get_current_object()


def _team_filter(teams: list[tuple[int, str]]) -> tuple[TeamFilterForm, tuple[int, str] | None]:
    form = TeamFilterForm(request.args)
    form.set_teams(teams)
    return form, form.chosen(teams)


# ---------------------------------------------------------------------------------------------
# Compliance by team and window, with the trend
# ---------------------------------------------------------------------------------------------

def _trend_chart(points, windows, scope: str):
    labels = [rules.short_month_label(p.month) for p in points]
    series = [charts.Series(title, [None if p.of(key) is None else p.of(key).percent for p in points])
              for key, title in windows]
    now = points[-1]
    latest = "; ".join(f"{title} {rules.percent_text(now.of(key))}" for key, title in windows)
    missing = [p.label for p in points if p.figures is None]
    description = (f"Line chart of the percentage of people compliant with each window, {scope}, month by month "
                   f"from {points[0].label} to {now.label}. This month: {latest}."
                   + (f" No snapshot was taken for {', '.join(missing)}." if missing else "")
                   + " The same figures are in the table below the chart.")
    title = f"Per cent compliant by window, {points[0].label} to {now.label}"
    return charts.line_chart("compliance-trend", title, description, labels, series)


@bp.route("/compliance")
@access(MANAGER, OD_ADMIN, record=SCOPE)
def compliance_summary():
    viewer, today = _viewer(), clock.today()
    teams = compliance_queries.team_choices(viewer, today)
    form, chosen = _team_filter(teams)
    summary = compliance_queries.current_summary(viewer, today)
    points = compliance_queries.trend(viewer, today, chosen[0] if chosen else None, current=summary)
    scope = f"in {chosen[1]}" if chosen else ("across the service" if summary.whole_service else "across your staff")
    return render_template("reports/compliance.html", form=form, teams=teams, chosen=chosen, summary=summary,
                           points=points, chart=_trend_chart(points, summary.windows, scope), scope=scope,
                           rule=rules.COMPLIANT_RULE, today=today)


# ---------------------------------------------------------------------------------------------
# The induction tracker
# ---------------------------------------------------------------------------------------------

@bp.route("/induction")
@access(MANAGER, OD_ADMIN, record=SCOPE)
def induction_tracker():
    viewer, today = _viewer(), clock.today()
    teams = compliance_queries.team_choices(viewer, today)
    form, chosen = _team_filter(teams)
    windows, starters = induction_queries.starters(viewer, today, chosen[0] if chosen else None)
    return render_template("reports/induction.html", form=form, chosen=chosen, windows=windows, starters=starters,
                           today=today, whole_service=viewer.has_role(OD_ADMIN),
                           first_months=induction_queries.FIRST_MONTHS,
                           soon_months=induction_queries.STARTING_SOON_MONTHS)


# ---------------------------------------------------------------------------------------------
# Courses and sessions
# ---------------------------------------------------------------------------------------------

def _period(today) -> tuple[DateRangeForm, course_report.Range]:
    form = DateRangeForm(request.args)
    default = course_report.default_range(today)
    if not request.args:
        for field, value in ((form.starts_on, default.starts_on), (form.ends_on, default.ends_on)):
            field.data, field.raw_data = value, None   # shown in the inputs
        return form, default
    if not form.validate():
        return form, default
    return form, course_report.Range(form.starts_on.data or default.starts_on, form.ends_on.data or today)


@bp.route("/courses")
@access(MANAGER, OD_ADMIN, record=SCOPE)
def courses_report():
    viewer, today, now = _viewer(), clock.today(), clock.now()
    form, period = _period(today)
    lines = course_report.course_lines(viewer, period, now)
    return render_template("reports/courses.html", form=form, period=period, lines=lines,
                           total=course_report.totals(lines), whole_service=viewer.has_role(OD_ADMIN),
                           query=request.query_string.decode())


@bp.route("/courses/<int:course_id>")
@access(MANAGER, OD_ADMIN, record=SCOPE + " (the course must exist: 404)")
def course_sessions_report(course_id: int):
    course = db.session.get(Course, course_id) or abort(404)
    viewer, today, now = _viewer(), clock.today(), clock.now()
    form, period = _period(today)
    report = course_report.course_sessions(viewer, course, period, now)
    return render_template("reports/course_sessions.html", form=form, period=period, report=report,
                           whole_service=viewer.has_role(OD_ADMIN), query=request.query_string.decode())


# ---------------------------------------------------------------------------------------------
# ASYE, CPD readiness and supervision in figures
# ---------------------------------------------------------------------------------------------

@bp.route("/services")
@access(MANAGER, OD_ADMIN, record=SCOPE)
def service_summaries():
    viewer, today, now = _viewer(), clock.today(), clock.now()
    return render_template("reports/services.html",
                           asye=service_queries.asye_summary(viewer, today),
                           cpd=service_queries.cpd_summary(viewer, today),
                           supervision=service_queries.supervision_summary(viewer, today, now),
                           sees_cohort=viewer.has_role(ASYE_ASSESSOR, OD_ADMIN),
                           whole_service=viewer.has_role(OD_ADMIN), today=today)
