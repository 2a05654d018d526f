"""Sign in and out, the people directory and a person's profile."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from lnd.core import clock
from lnd.core.auth import access, redirect_next
from lnd.core.pagination import Page
from lnd.extensions import db, limiter
from lnd.people import queries, services
from lnd.people.forms import LoginForm, PeopleSearchForm
from lnd.people.models import MANAGER, OD_ADMIN, ROLES, Person

bp = Blueprint("people", __name__)


def _login_limit() -> str:
    return current_app.config["LOGIN_LIMIT"]


def _email_key() -> str:
    return "login:" + (request.form.get("email") or "").strip().lower()


@bp.route("/login", methods=["GET", "POST"])
@access(anonymous=True)
@limiter.limit(_login_limit, methods=["POST"], key_func=_email_key, deduct_when=lambda r: r.status_code != 302)
@limiter.limit(_login_limit, methods=["POST"], deduct_when=lambda r: r.status_code != 302)
def login():
    if current_user.is_authenticated:
        return redirect_next()
    form = LoginForm()
    if form.validate_on_submit():
        person = services.authenticate(form.email.data, form.password.data)
        if person is None:
            db.session.commit()
            form.email.errors.append("Enter a correct email address and password")
            return render_template("people/login.html", form=form), 200
        session.clear()  # a fresh session: nothing from before sign-in carries over
        login_user(person)
        db.session.commit()
        return redirect_next()
    return render_template("people/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@access()
def logout():
    services.sign_out(current_user._get_current_object())
    db.session.commit()
    logout_user()
    session.clear()
    flash("You have signed out.", "success")
    return redirect(url_for("people.login"))


@bp.route("/people")
@access(MANAGER, OD_ADMIN, record="od_admin sees everyone; a manager sees their reports")
def directory():
    form = PeopleSearchForm(request.args)
    page_number = request.args.get("page", 1, type=int)
    include_leavers = request.args.get("leavers") == "1"
    rows, total = queries.directory(current_user, form.q.data or "", include_leavers, clock.today(),
                                    page=max(page_number, 1))
    page = Page(rows, total, max(page_number, 1), 50)
    return render_template("people/directory.html", form=form, page=page, include_leavers=include_leavers,
                           today=clock.today())


@bp.route("/people/<int:person_id>")
@access(record="staff-self, manager-of-owner, od_admin")
def person(person_id: int):
    subject = db.session.get(Person, person_id)
    if subject is None or not queries.can_view_person(current_user, person_id):
        abort(404)
    roles_text = ", ".join(ROLES[role] for role in sorted(subject.roles)) or "None"
    return render_template("people/person.html", person=subject, roles_text=roles_text, today=clock.today())

from lnd.people import import_views  # noqa: E402,F401  (routes on this blueprint)
