"""Error pages in the service's own style; no traceback ever reaches a person."""
from __future__ import annotations

from flask import has_request_context, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from lnd.extensions import db

MESSAGES = {
    400: ("There is a problem with your request", "The request could not be understood. Go back and try again."),
    403: ("You do not have permission to see this page",
          "This page is only available to people whose role allows it. "
          "If you think you should be able to see it, contact the OD team."),
    404: ("Page not found", "If you typed the web address, check it is correct. "
          "If you pasted the web address, check you copied the entire address."),
    405: ("This action is not allowed", "Use the buttons and links on the page instead of typing the address."),
    413: ("The file is too large", "Choose a smaller file and try again."),
    429: ("Too many attempts", "You have tried too many times. Wait a minute and try again."),
    500: ("Sorry, there is a problem with the service", "Try again later. Nothing you entered has been saved "
          "unless the page said so."),
}


# Addresses under this prefix answer machines, so their errors are JSON rather than pages.
API_PREFIX = "/api/"


def render_error(code: int, heading: str | None = None, message: str | None = None):
    default_heading, default_message = MESSAGES.get(code, MESSAGES[500])
    if has_request_context() and request.path.startswith(API_PREFIX):
        return jsonify({"error": f"{heading or default_heading}."}), code
    return render_template("errors/error.html", code=code, heading=heading or default_heading,
                           message=message or default_message), code


def init_app(app) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error):
        return render_error(400, "Your form has expired",
                            "The form was open for too long or was sent from somewhere else. "
                            "Go back, refresh the page and try again.")

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        return render_error(error.code or 500)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        app.logger.exception("Unhandled error")
        db.session.rollback()
        return render_error(500)
