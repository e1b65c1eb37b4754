"""flask-smorest subclassed once for Spire's cross-cutting behaviour: authentication in the
views and in the OpenAPI document, and the error responses every endpoint may give."""

from functools import wraps

import flask_smorest
from flask_smorest.pagination import PaginationParameters
from webargs.flaskparser import FlaskParser

BEARER = [{"bearer": []}]


class Parser(FlaskParser):
    """webargs' parser, with JSON nested too deeply for Python refused as bad JSON."""

    def _raw_load_json(self, req):
        try:
            return super()._raw_load_json(req)
        except RecursionError:
            flask_smorest.abort(400, message="The JSON is nested too deeply.")


class Api(flask_smorest.Api):
    """flask-smorest's Api; Spire's error envelope is registered in server.errors."""


class Blueprint(flask_smorest.Blueprint):
    """A flask-smorest Blueprint that knows how Spire authenticates."""

    ARGUMENTS_PARSER = Parser()

    def arguments(self, schema, **kwargs):
        """flask-smorest's ``arguments``, with a schema class made an instance once here
        (given a class, webargs builds a new schema for every request)."""
        return super().arguments(schema() if isinstance(schema, type) else schema, **kwargs)

    def login_required(self, *roles):
        """Require a valid access token; with ``roles``, also one of those roles (else 403).

        Roles are checked here only where the role alone decides; where an object is
        involved, the service first scopes the object (404), then checks the role (403).
        """

        def decorator(func):
            @wraps(func)
            def wrapper(*args, **kwargs):
                from server.security import authenticate, require_role

                actor = authenticate()
                if roles:
                    require_role(actor, *roles)
                return func(*args, **kwargs)

            wrapper = self.doc(security=BEARER)(wrapper)
            wrapper = self.alt_response(401, description="Missing, invalid or revoked token")(
                wrapper
            )
            return wrapper

        return decorator


def paginated(pagination: PaginationParameters, list_page, *args, **kwargs) -> list:
    """Call a service's ``list_page(..., window=...)`` for the requested page and tell
    flask-smorest the total, which it puts in the X-Pagination header."""
    from server.services.pages import Window

    items, total = list_page(
        *args, window=Window(pagination.first_item, pagination.page_size), **kwargs
    )
    pagination.item_count = total
    return items
