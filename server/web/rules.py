"""Rules for every HTTP exchange: JSON bodies only, no caching of personal data, the
offline docs page's assets."""

from flask import Flask, request, send_from_directory
from flask.sessions import SessionInterface
from swagger_ui_bundle import swagger_ui_path
from werkzeug.exceptions import RequestHeaderFieldsTooLarge, RequestURITooLarge
from werkzeug.middleware.proxy_fix import ProxyFix

from server.web.errors import UnsupportedMediaType
from shared.i18n import lazy_gettext

API_PREFIX = "/api/v1/"
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# What a request's head may hold. gunicorn (docker/gunicorn.conf.py) lets larger heads
# through to Spire, which answers these in its envelope; past gunicorn's own limits it
# answers by itself.
MAX_TARGET = 4096  # the path and query string
MAX_HEADER_FIELD = 8190  # one header line, name and value
MAX_HEADER_FIELDS = 100


class NoCookieSessions(SessionInterface):
    """The API knows its callers by bearer token: no request opens or saves a cookie
    session (Flask would otherwise set one up, signing key and all, for every request).
    The office pages replace this with a session of their own (``server.office.site``)."""

    def open_session(self, app, request):
        return None

    def save_session(self, app, session, response):
        return None


def register_http_rules(app: Flask) -> None:
    app.session_interface = NoCookieSessions()
    proxies = app.config["SPIRE_PROXY_COUNT"]
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)

    @app.before_request
    def head_within_limits():
        environ = request.environ
        target = environ.get("RAW_URI") or environ.get("REQUEST_URI") or request.full_path
        if len(target) > MAX_TARGET:
            raise RequestURITooLarge()
        fields = [
            (key, value)
            for key, value in environ.items()
            if key.startswith("HTTP_") or key in ("CONTENT_TYPE", "CONTENT_LENGTH")
        ]
        if len(fields) > MAX_HEADER_FIELDS or any(
            len(key) + len(value) > MAX_HEADER_FIELD for key, value in fields
        ):
            raise RequestHeaderFieldsTooLarge()

    @app.before_request
    def json_bodies_only():
        if request.method not in WRITE_METHODS or not request.path.startswith(API_PREFIX):
            return
        has_body = bool(request.content_length) or "chunked" in request.headers.get(
            "Transfer-Encoding", ""
        )
        if (has_body or request.content_type) and request.mimetype != "application/json":
            raise UnsupportedMediaType(
                lazy_gettext("Send the body as JSON (Content-Type: application/json).")
            )

    @app.after_request
    def headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        if request.path.startswith(API_PREFIX):
            response.headers["Cache-Control"] = "no-store"
            response.headers.setdefault("Pragma", "no-cache")
        return response

    @app.get("/favicon.ico")
    def favicon():
        return "", 204

    @app.get("/docs/assets/<path:filename>")
    def docs_assets(filename):
        return send_from_directory(swagger_ui_path, filename, max_age=86400)
