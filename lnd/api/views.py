"""The read API for the council's BI tools: /api/v1/… (GET only, JSON, bearer tokens).

Every data route needs the token of an active API client (lnd.api.auth); the OpenAPI document is
open to anyone, as it holds no data. Errors are JSON `{"error": "…"}`, never an HTML page.
"""
from __future__ import annotations

from datetime import date, datetime

from flask import Blueprint, current_app, jsonify, request, url_for
from werkzeug.exceptions import HTTPException

from lnd.api import openapi, params, queries
from lnd.api.auth import POLICY, token_required
from lnd.core import clock
from lnd.core.auth import access
from lnd.extensions import db

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def _plain(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _error(status: int, message: str):
    response = jsonify({"error": message})
    response.status_code = status
    return response


def _page(listing: queries.Listing, paging: params.Paging):
    args = {key: value for key, value in request.args.items() if key not in params.PAGING}
    args["per_page"] = paging.per_page

    def address(page: int) -> str:
        return url_for(request.endpoint, page=page, **args, _external=True)

    has_next = paging.offset + paging.per_page < listing.total
    return jsonify({
        "data": [{key: _plain(value) for key, value in row.items()} for row in listing.rows],
        "meta": {"total": listing.total, "page": paging.page, "per_page": paging.per_page},
        "links": {"self": address(paging.page), "next": address(paging.page + 1) if has_next else None},
    })


def _list(read, allowed=params.PAGING, **extra):
    try:
        params.check_known(request.args, allowed)
        paging = params.paging(request.args)
        values = {name: parse(request.args) for name, parse in extra.items()}
    except params.ParamError as problem:
        return _error(400, problem.message)
    return _page(read(paging, **values), paging)


@bp.after_request
def _not_cached(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException):
    return _error(error.code or 500, error.description or error.name)


@bp.errorhandler(Exception)
def _unexpected(error: Exception):
    current_app.logger.exception("Unhandled error in the API")
    db.session.rollback()
    return _error(500, "Sorry, there is a problem with the service. Try again later.")


@bp.get("/openapi.json")
@access(anonymous=True)
def openapi_document():
    return jsonify(openapi.document())


@bp.get("/people")
@access(anonymous=True, record=POLICY)
@token_required
def people():
    return _list(queries.people)


@bp.get("/courses")
@access(anonymous=True, record=POLICY)
@token_required
def courses():
    return _list(queries.courses)


@bp.get("/completions")
@access(anonymous=True, record=POLICY)
@token_required
def completions():
    return _list(queries.completions, (*params.PAGING, "since"), since=params.since)


@bp.get("/compliance")
@access(anonymous=True, record=POLICY)
@token_required
def compliance():
    today = clock.today()
    return _list(lambda paging: queries.compliance(paging, today))


@bp.get("/bookings")
@access(anonymous=True, record=POLICY)
@token_required
def bookings():
    return _list(queries.bookings)
