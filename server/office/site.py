"""The office as part of the app: its cookie session, CSRF protection, the security headers
every page sends, the texts of the templates, and error pages instead of JSON envelopes."""

from urllib.parse import urlsplit

from flask import Blueprint, Flask, flash, g, redirect, request, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException, NotFound

from server.database import db
from server.office import MODULES
from server.office import session as office_session
from server.office.pages import PREFIX, already_sent, in_office, page, safe_next, sent
from server.office.templating import register_templating
from server.services.common.errors import Forbidden, ServiceError, TooManyRequests, Unauthorized
from server.services.storage.budget import OutOfTime
from server.web.errors import (
    DATABASE_ERRORS,
    MESSAGES,
    OTHER,
    from_database,
    record_refusal,
    status_of,
)
from shared import i18n
from shared.i18n import lazy_gettext

office = Blueprint(
    "office",
    __name__,
    url_prefix=PREFIX,
    static_folder="../static/office",
    static_url_path="/static",
)
for _module in MODULES:
    office.register_blueprint(_module.bp)
csrf = CSRFProtect()

# Pages anyone may open: the login form and the office's own scripts and styles.
PUBLIC = frozenset({"office.login.form", "office.login.sign_in", "office.static"})
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# Scripts, styles, images and fonts from Spire itself and nowhere else; no inline script
# or style; no framing; forms post to Spire only.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    )
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
FORM_EXPIRED = lazy_gettext(
    "The form could not be sent: it was open too long, or it did not come from this page. "
    "Reload the page and try again."
)


class OfficeSessions(SecureCookieSessionInterface):
    """A signed cookie session for the office pages only: the API knows its callers by
    token, and no API request opens or saves a cookie."""

    def open_session(self, app, request):
        if not in_office(request.path):
            return None
        return super().open_session(app, request)

    def save_session(self, app, session, response):
        if in_office(request.path):
            super().save_session(app, session, response)


def register_office(app: Flask) -> None:
    secure = app.config["SPIRE_OFFICE_SECURE_COOKIE"]
    app.config.update(
        # __Host-: only ever set by this host, over HTTPS, for the whole site.
        SESSION_COOKIE_NAME="__Host-spire-office" if secure else "spire-office",
        SESSION_COOKIE_SECURE=secure,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_PATH="/",
        # The token lives as long as the login: the session itself times out.
        WTF_CSRF_TIME_LIMIT=None,
        WTF_CSRF_CHECK_DEFAULT=False,
    )
    app.session_interface = OfficeSessions()
    csrf.init_app(app)
    register_templating(app)
    app.jinja_env.globals["current_actor"] = office_session.current
    app.register_blueprint(office)


@office.before_request
def signed_in():
    # Who is signed in, and the form token, are each request's own, even where one app
    # context outlives a request (as in the tests).
    g.pop("spire_actor", None)
    g.pop("csrf_token", None)
    i18n.set_language(office_session.before_sign_in())
    if request.method in WRITE_METHODS:
        # Every form, the login form included, carries the session's CSRF token.
        csrf.protect()
    if request.endpoint in PUBLIC:
        return None
    if office_session.current() is None:
        target = request.full_path if request.method == "GET" else None
        return redirect(url_for("office.login.form", next=target), 303)
    if request.method in WRITE_METHODS and already_sent(request.form.get("once")):
        flash(i18n.gettext("That form was sent already, and saved once."), "info")
        return redirect(safe_next(request.referrer and urlsplit(request.referrer).path), 303)
    return None


@office.after_request
def remember_sent(response):
    if request.method in WRITE_METHODS and response.status_code == 303:
        sent(request.form.get("once"))
    return response


@office.after_request
def security_headers(response):
    response.headers.update(SECURITY_HEADERS)
    if request.endpoint != "office.static":
        # Every page but the scripts and styles may show personal data.
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    return response


@office.route("/<path:anything>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def not_found(anything):
    raise NotFound()


def error_page(status: int, message, headers: dict | None = None):
    response = page("office/error.html", status, code=status, message=message)
    response.headers.update(headers or {})
    return response


@office.errorhandler(ServiceError)
def service_error(error: ServiceError):
    db.session.rollback()
    if isinstance(error, Unauthorized):
        return redirect(url_for("office.login.form"), 303)
    if isinstance(error, Forbidden):
        record_refusal(error)
    headers = {"Retry-After": str(error.retry_after)} if isinstance(error, TooManyRequests) else {}
    return error_page(status_of(error), error.message, headers)


@office.errorhandler(OutOfTime)
def out_of_time(error: OutOfTime):
    db.session.rollback()
    return error_page(status_of(error), error.message, {"Retry-After": str(error.retry_after)})


def database_error(error: Exception):
    code, message, headers = from_database(error)
    return error_page(code, message, headers)


for _kind in DATABASE_ERRORS:
    office.register_error_handler(_kind, database_error)


@office.errorhandler(CSRFError)
def form_expired(error: CSRFError):
    db.session.rollback()
    return error_page(400, FORM_EXPIRED)


@office.errorhandler(HTTPException)
def http_error(error: HTTPException):
    db.session.rollback()
    return error_page(error.code or 500, MESSAGES.get(error.code) or OTHER)
