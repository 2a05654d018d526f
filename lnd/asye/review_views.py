"""Reviews, their sign-off and the moderation panel's outcome (routes on the asye blueprint).

Each party writes their own part of a review: the NQSW their comments, the assessor the date held,
their comments and judgement, the line manager (or a manager above) their comments. The assessor
signs; the OD team / ASYE lead records the moderation panel's outcome on the signed final review.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from lnd.asye import queries, rules, services
from lnd.asye.forms import ConfirmForm, ModerationForm, ReviewPartForm
from lnd.asye.views import (
    LEAD_ONLY, REVIEW_SLUGS, SEE, SLUG_OF, actor, bp, enrolment_or_404, field_error, locked_text,
)
from lnd.core import clock
from lnd.core.auth import access
from lnd.extensions import db
from lnd.people.models import OD_ADMIN

# Who writes each part, as queries.relation names them.
WRITER = {rules.NQSW_PART: queries.AS_NQSW, rules.ASSESSOR_PART: queries.AS_ASSESSOR,
          rules.MANAGER_PART: queries.AS_MANAGER}
WRITE_PART = ("the part's writer: nqsw-self, assessor-of-nqsw, or manager-of-nqsw (line manager and above); "
              "others who see: 403")
SIGN = "assessor-of-nqsw; others who see: 403"


def _kind_or_404(slug: str) -> str:
    return REVIEW_SLUGS.get(slug) or abort(404)


def _context(enrolment, standing, kind: str) -> dict:
    view = queries.portfolio(enrolment, clock.today())
    row = next(r for r in view.reviews if r.kind == kind)
    parts = [part for part, who in WRITER.items() if who in standing]
    review = row.review
    return {"p": view, "enrolment": enrolment, "row": row, "review": review, "slug": SLUG_OF[kind],
            "writable_parts": [] if view.read_only or (review and review.signed) else parts,
            "locked": locked_text(view), "can_sign": queries.AS_ASSESSOR in standing and not view.read_only
            and not (review and review.signed), "is_lead": queries.AS_LEAD in standing, "rules": rules, "slug_of": SLUG_OF}


@bp.route("/asye/<int:enrolment_id>/reviews/<kind>")
@access(record=SEE)
def review(enrolment_id: int, kind: str):
    enrolment, standing = enrolment_or_404(enrolment_id)
    return render_template("asye/review.html", **_context(enrolment, standing, _kind_or_404(kind)))


@bp.route("/asye/<int:enrolment_id>/reviews/<kind>/<part>", methods=["GET", "POST"])
@access(record=WRITE_PART)
def review_part(enrolment_id: int, kind: str, part: str):
    enrolment, standing = enrolment_or_404(enrolment_id)
    review_kind = _kind_or_404(kind)
    if part not in WRITER:
        abort(404)
    if WRITER[part] not in standing:
        abort(403)
    form = ReviewPartForm().for_part(review_kind, part)
    existing = queries.review_of(enrolment.id, review_kind)
    if request.method == "GET" and existing is not None:
        form.comments.data = {rules.NQSW_PART: existing.nqsw_comments, rules.MANAGER_PART: existing.manager_comments,
                              rules.ASSESSOR_PART: existing.assessor_comments}[part]
        form.held_on.data = existing.held_on
        form.judgement.data = existing.judgement
    if form.validate_on_submit():
        try:
            services.save_review_part(enrolment, review_kind, part, form.details(), actor(), clock.today())
        except services.AsyeError as error:
            db.session.rollback()
            field_error(form, error)
        else:
            db.session.commit()
            flash(f"{rules.REVIEW_PARTS[part]} on the {rules.REVIEW_KINDS[review_kind].lower()} have been saved.",
                  "success")
            return redirect(url_for("asye.review", enrolment_id=enrolment.id, kind=kind))
    context = _context(enrolment, standing, review_kind)
    return render_template("asye/review_part.html", form=form, part=part, part_label=rules.REVIEW_PARTS[part],
                           **context)


@bp.route("/asye/<int:enrolment_id>/reviews/<kind>/sign", methods=["GET", "POST"])
@access(record=SIGN)
def sign_review(enrolment_id: int, kind: str):
    enrolment, standing = enrolment_or_404(enrolment_id)
    review_kind = _kind_or_404(kind)
    if queries.AS_ASSESSOR not in standing:
        abort(403)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            signed = services.sign_review(enrolment, review_kind, actor(), clock.now(), clock.today())
        except services.AsyeError as error:
            db.session.rollback()
            field_error(form, error)
        else:
            db.session.commit()
            message = f"The {signed.label.lower()} has been signed."
            if review_kind == rules.FINAL:
                message += " The portfolio is now read-only and ready for the moderation panel."
            flash(message, "success")
            return redirect(url_for("asye.review", enrolment_id=enrolment.id, kind=kind))
    return render_template("asye/sign_review.html", form=form, **_context(enrolment, standing, review_kind))


@bp.route("/asye/<int:enrolment_id>/moderation", methods=["GET", "POST"])
@access(OD_ADMIN, record=LEAD_ONLY)
def moderation(enrolment_id: int):
    enrolment, standing = enrolment_or_404(enrolment_id)
    form = ModerationForm()
    if form.validate_on_submit():
        try:
            services.record_moderation(enrolment, form.outcome.data or "", form.moderated_on.data,
                                       form.notes.data or "", form.extended_to.data, actor(), clock.today())
        except services.AsyeError as error:
            db.session.rollback()
            field_error(form, error)
        else:
            db.session.commit()
            flash("The moderation panel’s outcome has been recorded.", "success")
            return redirect(url_for("asye.review", enrolment_id=enrolment.id, kind="final"))
    return render_template("asye/moderation.html", form=form, **_context(enrolment, standing, rules.FINAL))
