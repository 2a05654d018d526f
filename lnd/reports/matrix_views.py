"""The reports index and the training matrix (page, CSV, XLSX).

Who sees what: the OD team sees everyone; a manager sees the same reports limited to their direct
and indirect reports (whatever the filters ask for); everyone else is refused (403).
"""
from __future__ import annotations

from flask import Response, current_app, redirect, render_template, request, send_file, stream_with_context, url_for
from flask_login import current_user

from lnd.core import clock
from lnd.core.auth import access, policy_of
from lnd.core.pagination import Page
from lnd.people.models import MANAGER, OD_ADMIN
from lnd.reports import exports
from lnd.reports import matrix_queries as mq
from lnd.reports.blueprint import bp
from lnd.reports.matrix_forms import MatrixFilterForm

SCOPE = "od_admin sees everyone; a manager sees their reports"
PER_PAGE = 50

# (endpoint or alternative endpoints, title, what it is for): shown, once the page exists, to those
# its own access policy admits.
REPORTS = [
    ("reports.matrix", "Training matrix",
     "Everyone's status on each required course, filtered by team, job role, manager, section of the offer "
     "and start date, with CSV and Excel downloads."),
    ("reports.compliance_summary", "Compliance summary",
     "The percentage compliant and the counts overdue per team and per window, with the trend over the last "
     "12 months."),
    ("reports.induction_tracker", "Induction tracker",
     "Everyone in their first 6 months and where they stand on their induction."),
    ("reports.courses_report", "Course and session report",
     "Sessions run, fill rates, attendance, no-shows, waiting-list demand and feedback."),
    ("reports.service_summaries", "ASYE, CPD and supervision summaries",
     "The ASYE cohort, CPD readiness for renewal and supervision compliance, with links to their own pages."),
]
OD_TOOLS = [
    (("reports.import_upload", "reports.import_completions"), "Import completions",
     "Add completions from the e-learning platform's CSV or xAPI exports."),
    ("api_clients.index", "API clients",
     "Issue and revoke the tokens that the council's BI tools use to read the API."),
]


class MatrixPage(Page):
    """Page links that keep every filter, including the three parts of each date."""

    def _url(self, number: int) -> str:
        args = request.args.to_dict(flat=False)
        args["page"] = [str(number)]
        return url_for(request.endpoint, **args)


def _links(entries) -> list[dict]:
    links = []
    for endpoints, title, description in entries:
        endpoint = next((e for e in ([endpoints] if isinstance(endpoints, str) else endpoints)
                         if e in current_app.view_functions), None)
        if endpoint is None:
            continue
        view = current_app.view_functions[endpoint]
        policy = policy_of(view)
        if policy is not None and policy.roles and not current_user.has_role(*policy.roles):
            continue
        links.append({"href": url_for(endpoint), "title": title, "description": description})
    return links


@bp.route("/")
@access(MANAGER, OD_ADMIN, record=SCOPE)
def index():
    od = current_user.has_role(OD_ADMIN)
    return render_template("reports/index.html", reports=_links(REPORTS), tools=_links(OD_TOOLS) if od else [],
                           od=od)


def _scope() -> int | None:
    """None for the OD team (everyone); otherwise the manager, whose reports bound every answer."""
    return None if current_user.has_role(OD_ADMIN) else current_user.id


def _form(scope: int | None, headings: list[mq.WindowHeading]) -> MatrixFilterForm:
    form = MatrixFilterForm(request.args)
    form.set_choices(mq.teams(), mq.job_roles(), mq.managers(scope), mq.sections_of(headings))
    return form


def _export_args() -> dict:
    args = request.args.to_dict(flat=False)
    args.pop("page", None)
    return args


@bp.route("/matrix")
@access(MANAGER, OD_ADMIN, record=SCOPE)
def matrix():
    today, scope, every_window = clock.today(), _scope(), mq.all_window_headings()
    form = _form(scope, every_window)
    context = {"form": form, "od": scope is None, "today": today, "page": None, "headings": [], "rows": []}
    if form.validate():
        filters = form.filters()
        stmt = mq.people_query(filters, today, scope)
        total = mq.count_people(stmt)
        number = min(max(request.args.get("page", 1, type=int), 1), max(1, -(-total // PER_PAGE)))
        page = MatrixPage(mq.page_of_people(stmt, number, PER_PAGE), total, number, PER_PAGE)
        headings = mq.in_section(every_window, filters.section_slug)
        context.update(page=page, headings=headings, rows=mq.rows_for(page.items, headings, today),
                       csv_href=url_for("reports.matrix_csv", **_export_args()),
                       xlsx_href=url_for("reports.matrix_xlsx", **_export_args()))
    return render_template("reports/matrix.html", **context)


def _valid_filters_or_redirect():
    scope = _scope()
    form = _form(scope, mq.all_window_headings())
    if not form.validate():
        return scope, None, redirect(url_for("reports.matrix", **_export_args()))
    return scope, form.filters(), None


@bp.route("/matrix.csv")
@access(MANAGER, OD_ADMIN, record=SCOPE)
def matrix_csv():
    scope, filters, back = _valid_filters_or_redirect()
    if back is not None:
        return back
    today = clock.today()
    body = stream_with_context(exports.csv_chunks(filters, today, scope))
    return Response(body, mimetype=exports.CSV_MIMETYPE, headers={
        "Content-Disposition": f'attachment; filename="{exports.filename(today, "csv")}"',
        "Cache-Control": "no-store"})


@bp.route("/matrix.xlsx")
@access(MANAGER, OD_ADMIN, record=SCOPE)
def matrix_xlsx():
    scope, filters, back = _valid_filters_or_redirect()
    if back is not None:
        return back
    today = clock.today()
    handle = exports.xlsx_tempfile(filters, today, scope)
    response = send_file(handle, mimetype=exports.XLSX_MIMETYPE, as_attachment=True,
                         download_name=exports.filename(today, "xlsx"), etag=False, max_age=0)
    response.headers["Cache-Control"] = "no-store"
    return response
