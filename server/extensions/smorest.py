"""flask-smorest subclassed once for Spire's cross-cutting behaviour: authentication in the
views and in the OpenAPI document, the error responses every endpoint may give, and the
ETag and 304 of what phones refresh."""

from functools import wraps
from http import HTTPStatus

import flask_smorest
from apispec import BasePlugin
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Response, request
from flask_smorest.error_handler import ErrorSchema
from flask_smorest.etag import IF_MATCH_HEADER
from flask_smorest.exceptions import NotModified
from flask_smorest.pagination import PaginationParameters
from marshmallow.fields import Integer
from marshmallow.validate import Range
from webargs.flaskparser import FlaskParser

from server.services.common.actor import require_role
from server.services.storage.paging import Window
from server.web.security import authenticate
from shared import i18n
from shared.i18n import lazy_gettext

BEARER = [{"bearer": []}]
INVALID_JSON = lazy_gettext("The body is not valid JSON.")
WRITE_METHODS = {"post", "put", "patch", "delete"}
MAX_PAGE = 1_000_000

# The header is JSON in a string; OpenAPI can only call it a string and say so.
PAGINATION_HEADER = {
    "description": "The page's place in the list, as JSON: "
    '{"total", "total_pages", "first_page", "last_page", "page", "previous_page"?, '
    '"next_page"?}',
    "schema": {"type": "string"},
    "example": '{"total": 42, "total_pages": 5, "first_page": 1, "last_page": 5, '
    '"page": 2, "previous_page": 1, "next_page": 3}',
}

# The conditional GET of what phones refresh (Blueprint.etag).
IF_NONE_MATCH = {
    "name": "If-None-Match",
    "in": "header",
    "description": "The ETag of the answer the caller holds (or several, comma-separated, "
    "or *): answered 304 with no body while the answer is still that one",
    "schema": {"type": "string"},
}
BODY_ETAG = {
    "description": "A hash of this answer in its language; send it back in If-None-Match",
    "schema": {"type": "string"},
}


class Parser(FlaskParser):
    """webargs' parser, with JSON nested too deeply for Python refused as bad JSON."""

    def _raw_load_json(self, req):
        try:
            return super()._raw_load_json(req)
        except RecursionError:
            flask_smorest.abort(400, message=lazy_gettext("The JSON is nested too deeply."))

    def _handle_invalid_json_error(self, error, req, *args, **kwargs):
        # webargs' own answer, with its message in Spire's catalogues.
        flask_smorest.abort(400, exc=error, messages={"json": [INVALID_JSON]})


class ErrorResponses(BasePlugin):
    """The errors an operation may answer besides those its view declares, so that the
    document names every status Spire sends (and no catch-all ``default``)."""

    def operation_helper(self, path=None, operations=None, **kwargs):
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            # The database is unreachable, or the request ran past its time budget; the
            # address or the headers are larger than Spire reads (server/web/rules.py).
            statuses = [503, 414, 431]
            # A parameter may be a reference to a component (If-None-Match).
            parameters = operation.get("parameters", [])
            names = [p.get("name", "") for p in parameters if isinstance(p, dict)]
            if "{" in path or any(name.endswith("_id") for name in names):
                statuses.append(404)  # no such object, or not the caller's to see
            if method in WRITE_METHODS and path.startswith("/api/"):
                statuses.append(415)  # a body that is not JSON
                statuses.append(409)  # conflicts with what is stored
            if "requestBody" in operation:
                statuses += [400, 413]  # JSON that cannot be read; a body too large
            for status in statuses:
                responses.setdefault(str(status), HTTPStatus(status).name)


# apispec writes a nullable nested object as "anyOf: [{type: object, nullable: true},
# {$ref}]" for OpenAPI 3.0, and its first branch matches any object at all, so nothing
# inside would be held to the schema. "allOf: [{$ref}], nullable: true" says the same
# and is checked.
_ANY_OBJECT_OR_NULL = {"type": "object", "nullable": True}


def _strict_nullable_nested(converter, field, ret, **kwargs) -> dict:
    if _ANY_OBJECT_OR_NULL not in ret.get("anyOf", ()):
        return {}
    branches = [branch for branch in ret.pop("anyOf") if branch != _ANY_OBJECT_OR_NULL]
    return {"allOf": branches, "nullable": True}


class Marshmallow(MarshmallowPlugin):
    def init_spec(self, spec):
        super().init_spec(spec)
        self.converter.add_attribute_function(_strict_nullable_nested)


class Api(flask_smorest.Api):
    """flask-smorest's Api, documenting the errors each operation really answers instead
    of a catch-all; Spire's error envelope is registered in server.web.errors."""

    DEFAULT_ERROR_RESPONSE_NAME = None

    def __init__(self, app=None, *, spec_kwargs=None, **kwargs):
        spec_kwargs = {
            "extra_plugins": [ErrorResponses()],
            "marshmallow_plugin": Marshmallow(),
            **(spec_kwargs or {}),
        }
        super().__init__(app, spec_kwargs=spec_kwargs, **kwargs)

    def _register_etag_headers(self):
        """flask-smorest's components for ``Blueprint.etag``, in Spire's words. (The
        If-Match of a change is Spire's own: server.web.versions.)"""
        components = self.spec.components
        components.parameter("IF_NONE_MATCH", "header", IF_NONE_MATCH, lazy=True)
        components.parameter("IF_MATCH", "header", IF_MATCH_HEADER, lazy=True)
        components.header("ETAG", BODY_ETAG, lazy=True)


class _Unchanged(NotModified):
    """The answer would be the one the caller holds: its ETag, for the 304."""

    def __init__(self, etag: str):
        super().__init__()
        self.etag = etag


class Blueprint(flask_smorest.Blueprint):
    """A flask-smorest Blueprint that knows how Spire authenticates."""

    ARGUMENTS_PARSER = Parser()

    def etag(self, obj):
        """flask-smorest's ``etag`` for a list a phone refreshes: the ETag is a hash of the
        body as sent (its X-Pagination header and its language included), so it changes
        whenever anything in the body does; a GET whose If-None-Match names it (or ``*``)
        is answered 304 with no body and the same ETag. The view still runs, so whatever
        it logs is logged; the caller just gets nothing to parse. The document names the
        If-None-Match header and the 304."""

        def decorator(func):
            tagged = super(Blueprint, self).etag(func)

            @wraps(tagged)
            def wrapper(*args, **kwargs):
                try:
                    return tagged(*args, **kwargs)
                except _Unchanged as unchanged:
                    response = Response(status=304)
                    response.set_etag(unchanged.etag)
                    return response

            return wrapper

        return self._decorate_view_func_or_method_view(decorator, obj)

    @staticmethod
    def _generate_etag(etag_data, extra_data=None):
        # The same facts told in another language are another body.
        return flask_smorest.Blueprint._generate_etag((etag_data, i18n.language()), extra_data)

    def _check_not_modified(self, etag):
        # If-None-Match compares weakly (RFC 9110 13.1.2): a proxy may have weakened the tag.
        if request.method in self.METHODS_CHECKING_NOT_MODIFIED and (
            request.if_none_match.contains_weak(etag)
        ):
            raise _Unchanged(etag)

    def arguments(self, schema, *, location="json", required=True, **kwargs):
        """flask-smorest's ``arguments``, with a schema class made an instance once here
        (given a class, webargs builds a new schema for every request), and a JSON body
        the document calls required refused with 422 when it is left out. webargs reads
        a missing body as ``{}``: where the schema requires fields, their errors say what
        is missing; where it requires none, nothing would."""
        schema = schema() if isinstance(schema, type) else schema
        parse = super().arguments(schema, location=location, required=required, **kwargs)
        if location != "json" or not required or _requires_fields(schema):
            return parse

        def decorator(func):
            parsed = parse(func)

            @wraps(parsed)
            def wrapper(*args, **kwargs):
                if not request.get_data(cache=True):
                    flask_smorest.abort(
                        422,
                        message=lazy_gettext("Send a JSON body."),
                        errors={"json": {"_schema": [lazy_gettext("A JSON body is required.")]}},
                    )
                return parsed(*args, **kwargs)

            return wrapper

        return decorator

    def paginate(self, pager=None, **kwargs):
        """flask-smorest's ``paginate``, with a highest page number, in the document too:
        no list comes near it, and the databases take no offset from a page beyond."""
        paginate = super().paginate(pager, **kwargs)

        def decorator(func):
            wrapper = paginate(func)
            # The one schema class both parses the page and documents it.
            schema = wrapper._apidoc["pagination"]["parameters"]["schema"]
            page = schema._declared_fields["page"]
            schema._declared_fields["page"] = Integer(
                load_default=page.load_default, validate=Range(min=1, max=MAX_PAGE)
            )
            return wrapper

        return decorator

    def _document_pagination_metadata(self, spec, resp_doc):
        resp_doc.setdefault("headers", {})[self.PAGINATION_HEADER_NAME] = PAGINATION_HEADER

    def login_required(self, *roles, forbidden: str | None = None):
        """Require a valid access token; with ``roles``, also one of those roles (else 403).

        Roles are checked here only where the role alone decides; where an object is
        involved, the service first scopes the object (404), then checks the role (403):
        ``forbidden`` says when, for the document.
        """

        def decorator(func):
            @wraps(func)
            def wrapper(*args, **kwargs):
                actor = authenticate()
                if roles:
                    require_role(actor, *roles)
                return func(*args, **kwargs)

            wrapper = self.doc(security=BEARER)(wrapper)
            refused = "Missing, invalid or revoked token"
            wrapper = self.alt_response(401, schema=ErrorSchema, description=refused)(wrapper)
            if roles or forbidden:
                only = ", ".join(str(role) for role in roles)
                forbidden_doc = forbidden or f"Only for: {only}"
                wrapper = self.alt_response(403, schema=ErrorSchema, description=forbidden_doc)(
                    wrapper
                )
            return wrapper

        return decorator


def _requires_fields(schema) -> bool:
    return any(field.required for field in schema.fields.values())


def paginated(pagination: PaginationParameters, list_page, *args, **kwargs) -> list:
    """Call a service's ``list_page(..., window=...)`` for the requested page and tell
    flask-smorest the total, which it puts in the X-Pagination header."""
    items, total = list_page(
        *args, window=Window(pagination.first_item, pagination.page_size), **kwargs
    )
    pagination.item_count = total
    return items
