"""One JSON error envelope for every error: HTTP, validation, service, database and JWT.

The services' errors name what went wrong and carry plain facts; the one table of the
status each answers with, and the headers that tell their facts, are here."""

import logging
from functools import wraps

from flask import Flask, g, jsonify, request
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from server.database import db
from server.services.common import security_events
from server.services.common.errors import (
    Conflict,
    Forbidden,
    Gone,
    Invalid,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
    ServiceError,
    TooManyRequests,
    Unauthorized,
)
from server.services.storage import budget
from server.services.storage.budget import OutOfTime
from server.web.versions import etag_header
from shared.i18n import LazyText, lazy_gettext

log = logging.getLogger(__name__)

# Methods whose input is the query string alone (Spire reads no body on them).
BODYLESS_METHODS = frozenset({"GET", "HEAD", "DELETE", "OPTIONS"})


class UnsupportedMediaType(ServiceError):
    """A write whose body is not JSON: refused by the web layer before any service runs."""


class TokenRefused(Unauthorized):
    """A missing, invalid, expired or revoked access token: the caller is told how to
    authenticate (WWW-Authenticate), unlike a failed login."""


# The status each error answers with; an error not listed answers as the nearest class it
# comes from (the meetings' stale error as PreconditionFailed, say).
STATUS = {
    ServiceError: 400,
    Unauthorized: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    Gone: 410,
    PreconditionFailed: 412,
    UnsupportedMediaType: 415,
    Invalid: 422,
    PreconditionRequired: 428,
    TooManyRequests: 429,
    OutOfTime: 503,
}


def status_of(error: ServiceError | OutOfTime) -> int:
    return next(STATUS[kind] for kind in type(error).__mro__ if kind in STATUS)


def _headers(error: ServiceError | OutOfTime) -> dict[str, str]:
    """The facts an error carries, as the headers that tell them."""
    headers = {}
    if isinstance(error, TooManyRequests | OutOfTime):
        headers["Retry-After"] = str(error.retry_after)
    if isinstance(error, PreconditionFailed) and error.current_etag:
        headers.update(etag_header(error.current_etag))
    if isinstance(error, TokenRefused):
        headers["WWW-Authenticate"] = "Bearer"
    return headers


def _plain(value):
    """Field errors with every text a plain string in the language of the moment (a
    validator's message may be a lazy text until now)."""
    if isinstance(value, LazyText | str):
        return str(value)  # a library's message translates itself here (web.messages)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def body_of(
    code: int, message: str | LazyText, errors: dict | None = None, details: dict | None = None
) -> dict:
    """The envelope's JSON: what every error answer carries, in a response or in a /sync
    batch's results, its texts in the language of the moment."""
    body = {"code": code, "status": HTTP_STATUS_CODES.get(code, "Error"), "message": str(message)}
    if errors:
        body["errors"] = _plain(errors)
    body.update(details or {})
    return body


def answer(error: ServiceError | OutOfTime):
    """The envelope for an error that carries no field errors: its status, message and
    the headers that tell its facts."""
    return envelope(status_of(error), error.message, headers=_headers(error))


def envelope(
    code: int,
    message: str | LazyText,
    errors: dict | None = None,
    headers: dict | None = None,
    details: dict | None = None,
):
    response = jsonify(body_of(code, message, errors, details))
    response.status_code = code
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _answers(app: Flask, kind):
    """Register an error handler; once an error is being answered, the time budget stops
    nothing any more (see server.web.budget)."""

    def register(handler):
        @wraps(handler)
        def answer(error):
            budget.finishing()
            return handler(error)

        app.register_error_handler(kind, answer)
        return handler

    return register


def register_errorhandlers(app: Flask) -> None:
    @_answers(app, ServiceError)
    def service_error(error: ServiceError):
        db.session.rollback()
        if isinstance(error, Forbidden):
            record_refusal(error)
        errors = None
        if error.field_errors is not None:
            # A request without a body broke a rule about its query parameters.
            location = "query" if request.method in BODYLESS_METHODS else "json"
            errors = {location: error.field_errors}
        return envelope(status_of(error), error.message, errors, _headers(error), error.details)

    @_answers(app, OutOfTime)
    def out_of_time(error: OutOfTime):
        db.session.rollback()
        return answer(error)

    for kind in DATABASE_ERRORS:

        @_answers(app, kind)
        def database_error(error):
            code, message, headers = from_database(error)
            return envelope(code, message, headers=headers)

    @_answers(app, HTTPException)
    def http_error(error: HTTPException):
        db.session.rollback()
        data = getattr(error, "data", None) or {}
        message = data.get("message") or _message(error)
        errors = data.get("errors") or data.get("messages")
        if errors and not all(isinstance(e, dict) for e in errors.values()):
            # webargs reports an unreadable body as {"json": ["Invalid JSON body."]}: that
            # is a message, not field errors.
            message = " ".join(str(m) for e in errors.values() for m in e) or message
            errors = None
        headers = dict(data.get("headers") or {})
        if error.code == 405 and error.valid_methods:
            headers["Allow"] = ", ".join(error.valid_methods)
        return envelope(error.code or 500, message, errors, headers)


# What a database error answers with, where validation let something through or the
# database is away: the status and a message, never the statement or its parameters
# (they may hold personal data).
DATABASE_ERRORS = {
    StaleDataError: (
        412,
        lazy_gettext("The record was changed by someone else. Reload it and try again."),
    ),
    IntegrityError: (409, lazy_gettext("The change conflicts with data already stored.")),
    DataError: (422, lazy_gettext("A value cannot be stored as given.")),
    # A number too large for the database (say ?page=10**18).
    OverflowError: (422, lazy_gettext("A number is out of range.")),
    OperationalError: (503, lazy_gettext("The database is unavailable. Try again shortly.")),
}


def from_database(error: Exception) -> tuple[int, str | LazyText, dict]:
    """Roll the request's work back and say what a database error answers: status,
    message and headers. A statement cancelled because the request's time ran out
    answers as out of time."""
    db.session.rollback()
    if isinstance(error, OperationalError) and budget.stopped_for_time():
        out = OutOfTime()
        return status_of(out), out.message, _headers(out)
    code, message = next(
        answer for kind, answer in DATABASE_ERRORS.items() if isinstance(error, kind)
    )
    if code >= 500:
        log.error("database error: %s", type(getattr(error, "orig", error)).__name__)
    elif not isinstance(error, StaleDataError | OverflowError):
        # The constraint's kind only: the statement and its parameters may hold personal data.
        log.warning("database refused: %s", type(error.orig).__name__)
    return code, message, {}


def record_refusal(error: Forbidden) -> None:
    """Every 403, wherever it is raised, is a security event, written after the request's
    own work was rolled back. The route's pattern is kept, not the URL."""
    rule = request.url_rule.rule if request.url_rule else None
    # The log keeps the English text, whatever language the caller was answered in.
    message = error.message.message if isinstance(error.message, LazyText) else error.message
    security_events.refused(g.get("spire_actor"), request.method, rule, message)


MESSAGES = {
    400: lazy_gettext("The request could not be read (is the JSON well-formed?)."),
    404: lazy_gettext("Not found."),
    405: lazy_gettext("This method is not allowed here."),
    413: lazy_gettext("The request body is too large."),
    414: lazy_gettext("The address is too long."),
    431: lazy_gettext("The request's headers are too large."),
    422: lazy_gettext("Invalid input."),
    500: lazy_gettext("Something went wrong on the server."),
}
# Any other status an HTTP error may have, in a few words.
OTHER = lazy_gettext("The request cannot be answered.")


def _message(error: HTTPException) -> str | LazyText:
    return MESSAGES.get(error.code) or OTHER
