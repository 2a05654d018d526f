"""HR import upload page (placeholder until the import lands)."""
from flask import render_template

from lnd.core.auth import access
from lnd.people.models import OD_ADMIN
from lnd.people.views import bp


@bp.route("/people/import", methods=["GET", "POST"])
@access(OD_ADMIN)
def import_upload():
    return render_template("errors/error.html", code=200, heading="Import staff", message="Coming soon.")
