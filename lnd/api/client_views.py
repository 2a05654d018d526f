"""The OD team's pages to issue and revoke the tokens of API clients (/api-clients).

A token is shown once, on the page that answers the form that issued it; only its hash is kept.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from lnd.api import queries, services
from lnd.api.forms import NewClientForm, RevokeForm
from lnd.api.models import ApiClient
from lnd.core import clock
from lnd.core.auth import access
from lnd.extensions import db
from lnd.people.models import OD_ADMIN

bp = Blueprint("api_clients", __name__, url_prefix="/api-clients")


def _actor():
    return current_user._get_current_object()


@bp.get("/")
@access(OD_ADMIN)
def index():
    return render_template("api/index.html", clients=queries.clients(),
                           openapi_url=url_for("api.openapi_document", _external=True),
                           api_url=url_for("api.people", _external=True).rsplit("/", 1)[0])


@bp.route("/new", methods=["GET", "POST"])
@access(OD_ADMIN)
def new():
    form = NewClientForm()
    if form.validate_on_submit():
        try:
            client, token = services.issue_client(form.name.data, form.purpose.data, _actor(), clock.now())
        except services.ApiClientError as error:
            db.session.rollback()
            target = form[error.field] if error.field in form else form.name
            target.errors = list(target.errors) + [error.message]
        else:
            db.session.commit()
            # Shown on this answer only: the token is not stored, so it cannot be shown again.
            return render_template("api/issued.html", client=client, token=token,
                                   api_url=url_for("api.people", _external=True))
    return render_template("api/new.html", form=form)


@bp.route("/<int:client_id>/revoke", methods=["GET", "POST"])
@access(OD_ADMIN)
def revoke(client_id: int):
    client = db.session.get(ApiClient, client_id)
    if client is None:
        abort(404)
    if not client.is_active:
        flash(f"The token for {client.name} was already revoked.")
        return redirect(url_for("api_clients.index"))
    form = RevokeForm()
    if form.validate_on_submit():
        services.revoke_client(client, _actor(), clock.now())
        db.session.commit()
        flash(f"Token revoked: {client.name} can no longer use the API.", "success")
        return redirect(url_for("api_clients.index"))
    return render_template("api/revoke.html", client=client, confirm_form=form)
