"""Catalogue pages: the offer, a section, course search, a course; the OD team's editing pages."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from lnd.core.auth import access
from lnd.core.pagination import Page
from lnd.courses import queries, services
from lnd.courses.forms import ConfirmForm, CourseForm, CourseSearchForm, ReinstateForm, SectionForm
from lnd.courses.models import AUTHORISATION_RULES, RETIRED
from lnd.extensions import db
from lnd.people.models import OD_ADMIN

bp = Blueprint("courses", __name__)

# Other modules add panels to the course page (compliance: who must complete the course, by when)
# without this module importing them: callables (course) -> dict | None registered at app start,
# each dict {"id", "heading", "items": [{"title", "text", "note"}]} rendered by courses/course.html.
COURSE_PANELS = "lnd.course_panels"


def add_course_panel(app, provider) -> None:
    app.extensions.setdefault(COURSE_PANELS, []).append(provider)


def course_panels(course) -> list[dict]:
    return [panel for provider in current_app.extensions.get(COURSE_PANELS, []) if (panel := provider(course))]


def _render(template: str, **context):
    """Every catalogue page can render the offer's text and its tags the same way."""
    return render_template(template, text_blocks=queries.text_blocks, status_tags=queries.STATUS_TAGS,
                           colour_tags=queries.COLOUR_TAGS, authorisation_rules=AUTHORISATION_RULES,
                           is_od=current_user.has_role(OD_ADMIN), **context)


def _actor():
    return current_user._get_current_object()


def _section_or_404(slug: str):
    section = queries.section_by_slug(slug)
    if section is None or (section.retired and not current_user.has_role(OD_ADMIN)):
        abort(404)
    return section


def _course_or_404(slug: str):
    """Staff see live courses only; the OD team also sees retired ones (and retired sections')."""
    course = queries.course_by_slug(slug)
    if course is None or (not queries.is_live(course) and not current_user.has_role(OD_ADMIN)):
        abort(404)
    return course


def _field_error(form, error: services.CatalogueError) -> None:
    """Show a service's refusal beside the field it concerns (or the first field), and in the summary."""
    target = getattr(form, error.field, None) if error.field else None
    if target is None:
        target = next(iter(form))
    target.errors = list(target.errors) + [error.message]


# ---------------------------------------------------------------------------------------------
# Browsing (everyone signed in)
# ---------------------------------------------------------------------------------------------

@bp.route("/offer")
@access()
def offer():
    overview = queries.offer_overview(include_retired=current_user.has_role(OD_ADMIN))
    return _render("courses/offer.html", overview=overview)


@bp.route("/offer/<slug>")
@access(record="retired sections: od_admin only")
def section(slug: str):
    section = _section_or_404(slug)
    include_retired = current_user.has_role(OD_ADMIN)
    return _render("courses/section.html", section=section,
                   listings=queries.section_listing(section, include_retired=include_retired))


@bp.route("/courses")
@access()
def search():
    is_od = current_user.has_role(OD_ADMIN)
    form = CourseSearchForm(request.args)
    options = queries.filter_options(include_retired_sections=is_od)
    form.set_choices(options)
    standard = None
    standard_id = request.args.get("standard", type=int)
    if standard_id is not None:
        standard = queries.standard_by_id(standard_id)
    filters = queries.CourseFilters(
        text=(form.q.data or "").strip()[:200],
        section=form.section.data or "",
        method=form.method.data or "",
        audience=form.audience.data or "",
        standard=standard.id if standard else None,
        include_retired=is_od and bool(form.retired.data),
    )
    page_number = max(request.args.get("page", 1, type=int), 1)
    rows, total = queries.search(filters, page=page_number)
    page = Page(rows, total, page_number, queries.SEARCH_PAGE_SIZE)
    # Named search_form, not form: base.html's error summary is for forms that are submitted.
    return _render("courses/search.html", search_form=form, page=page, filters=filters, standard=standard)


@bp.route("/courses/<slug>")
@access(record="retired courses: od_admin only")
def course(slug: str):
    course = _course_or_404(slug)
    return _render("courses/course.html", course=course, live=queries.is_live(course),
                   parts_text=queries.parts_text(course), course_panels=course_panels(course),
                   reinstate_form=ReinstateForm() if course.status == RETIRED else None)


# ---------------------------------------------------------------------------------------------
# Editing courses (OD team)
# ---------------------------------------------------------------------------------------------

def _course_form(form: CourseForm, course=None) -> CourseForm:
    options = queries.filter_options(include_retired_sections=False)
    sections = options.sections
    if course is not None and course.section.retired:
        sections = [course.section] + sections
    groups = [g for g in queries.all_groups()
              if not g.retired or (course is not None and g.id == course.group_id)]
    form.set_choices(sections, groups, options.methods, options.audiences, queries.all_standards())
    return form


def _course_details(form: CourseForm, keep_status: bool = False) -> services.CourseDetails:
    return services.CourseDetails(
        title=form.title.data or "",
        section_id=int(form.section.data) if form.section.data else None,
        group_id=int(form.group.data) if form.group.data else None,
        summary=form.summary.data or "",
        description=form.description.data or "",
        provider=form.provider.data or "",
        status=None if keep_status else form.status.data,
        parts=form.parts.data,
        module_number=form.module_number.data,
        link_url=form.link_url.data,
        external_id=form.external_id.data,
        default_note=form.default_note.data or "",
        delivery_methods=list(form.delivery_methods.data or []),
        audiences=list(form.audiences.data or []),
        standard_ids=[int(s) for s in form.standards.data or []],
    )


@bp.route("/courses/new", methods=["GET", "POST"])
@access(OD_ADMIN)
def new_course():
    form = _course_form(CourseForm())
    if request.method == "GET" and request.args.get("section"):
        chosen = queries.section_by_slug(request.args["section"])
        if chosen is not None:
            form.section.data = str(chosen.id)
    if form.validate_on_submit():
        try:
            created = services.create_course(_course_details(form), _actor())
        except services.CatalogueError as error:
            db.session.rollback()
            _field_error(form, error)
        else:
            db.session.commit()
            flash(f"‘{created.title}’ has been added to the offer.", "success")
            return redirect(url_for("courses.course", slug=created.slug))
    return _render("courses/course_form.html", form=form, course=None)


@bp.route("/courses/<slug>/edit", methods=["GET", "POST"])
@access(OD_ADMIN)
def edit_course(slug: str):
    course = queries.course_by_slug(slug) or abort(404)
    retired = course.status == RETIRED
    if request.method == "GET":
        form = CourseForm(obj=course)
        form.section.data = str(course.section_id)
        form.group.data = str(course.group_id) if course.group_id else ""
        form.delivery_methods.data = [m.code for m in course.delivery_methods]
        form.audiences.data = [a.code for a in course.audiences]
        form.standards.data = [str(s.id) for s in course.standards]
        form.link_url.data = course.link_url or ""
        form.external_id.data = course.external_id or ""
        form.status.data = course.status if not retired else None
    else:
        form = CourseForm()
    if retired:
        # A retired course keeps its status until it is reinstated, which has its own page.
        form.status.validators = []
    _course_form(form, course)
    if form.validate_on_submit():
        try:
            changed = services.update_course(course, _course_details(form, keep_status=retired), _actor())
        except services.CatalogueError as error:
            db.session.rollback()
            _field_error(form, error)
        else:
            db.session.commit()
            flash(f"‘{course.title}’ has been updated." if changed else "Nothing was changed.", "success")
            return redirect(url_for("courses.course", slug=course.slug))
    return _render("courses/course_form.html", form=form, course=course)


@bp.route("/courses/<slug>/retire", methods=["GET", "POST"])
@access(OD_ADMIN)
def retire_course(slug: str):
    course = queries.course_by_slug(slug) or abort(404)
    form = ConfirmForm()
    if course.status == RETIRED:
        flash(f"‘{course.title}’ is already retired.", "info")
        return redirect(url_for("courses.course", slug=course.slug))
    if form.validate_on_submit():
        try:
            services.retire_course(course, _actor())
        except services.CatalogueError as error:
            db.session.rollback()
            flash(error.message, "info")
        else:
            db.session.commit()
            flash(f"‘{course.title}’ has been retired. Staff no longer see it in the offer.", "success")
        return redirect(url_for("courses.course", slug=course.slug))
    return _render("courses/retire_course.html", course=course, confirm_form=form)


@bp.route("/courses/<slug>/reinstate", methods=["POST"])
@access(OD_ADMIN)
def reinstate_course(slug: str):
    course = queries.course_by_slug(slug) or abort(404)
    form = ReinstateForm()
    if form.validate_on_submit():
        try:
            services.reinstate_course(course, form.status.data, _actor())
        except services.CatalogueError as error:
            db.session.rollback()
            error.field = error.field or "status"
            _field_error(form, error)
        else:
            db.session.commit()
            flash(f"‘{course.title}’ has been reinstated.", "success")
            return redirect(url_for("courses.course", slug=course.slug))
    return _render("courses/course.html", course=course, live=queries.is_live(course),
                   parts_text=queries.parts_text(course), course_panels=course_panels(course),
                   reinstate_form=form, form=form)


# ---------------------------------------------------------------------------------------------
# Editing sections (OD team)
# ---------------------------------------------------------------------------------------------

def _section_details(form: SectionForm) -> services.SectionDetails:
    return services.SectionDetails(title=form.title.data or "", purpose=form.purpose.data or "",
                                   description=form.description.data or "")


@bp.route("/offer/new", methods=["GET", "POST"])
@access(OD_ADMIN)
def new_section():
    form = SectionForm()
    if form.validate_on_submit():
        try:
            created = services.create_section(_section_details(form), _actor())
        except services.CatalogueError as error:
            db.session.rollback()
            _field_error(form, error)
        else:
            db.session.commit()
            flash(f"The section ‘{created.title}’ has been added to the offer.", "success")
            return redirect(url_for("courses.section", slug=created.slug))
    return _render("courses/section_form.html", form=form, section=None)


@bp.route("/offer/<slug>/edit", methods=["GET", "POST"])
@access(OD_ADMIN)
def edit_section(slug: str):
    section = queries.section_by_slug(slug) or abort(404)
    form = SectionForm(obj=section) if request.method == "GET" else SectionForm()
    if form.validate_on_submit():
        try:
            changed = services.update_section(section, _section_details(form), _actor())
        except services.CatalogueError as error:
            db.session.rollback()
            _field_error(form, error)
        else:
            db.session.commit()
            flash(f"The section ‘{section.title}’ has been updated." if changed else "Nothing was changed.",
                  "success")
            return redirect(url_for("courses.section", slug=section.slug))
    return _render("courses/section_form.html", form=form, section=section)


@bp.route("/offer/<slug>/retire", methods=["GET", "POST"])
@access(OD_ADMIN)
def retire_section(slug: str):
    section = queries.section_by_slug(slug) or abort(404)
    if section.retired:
        flash(f"The section ‘{section.title}’ is already retired.", "info")
        return redirect(url_for("courses.section", slug=section.slug))
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            services.retire_section(section, _actor())
        except services.CatalogueError as error:
            db.session.rollback()
            flash(error.message, "info")
        else:
            db.session.commit()
            flash(f"The section ‘{section.title}’ has been retired. Staff no longer see it or its courses.",
                  "success")
        return redirect(url_for("courses.section", slug=section.slug))
    return _render("courses/retire_section.html", section=section, confirm_form=form,
                   live_courses=queries.live_course_count(section))


@bp.route("/offer/<slug>/reinstate", methods=["POST"])
@access(OD_ADMIN)
def reinstate_section(slug: str):
    section = queries.section_by_slug(slug) or abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            services.reinstate_section(section, _actor())
        except services.CatalogueError as error:
            db.session.rollback()
            flash(error.message, "info")
        else:
            db.session.commit()
            flash(f"The section ‘{section.title}’ has been reinstated.", "success")
    return redirect(url_for("courses.section", slug=section.slug))
