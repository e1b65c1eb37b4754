"""Health check (no auth)."""

import logging

from marshmallow import fields
from sqlalchemy import text

from server.extensions.smorest import Blueprint
from server.resources.fields import Schema
from server.services.storage import autocommit

log = logging.getLogger(__name__)

blp = Blueprint("service", __name__, description="Service health")


class HealthSchema(Schema):
    status = fields.String()
    database = fields.String()


@blp.get("/health")
@blp.response(200, HealthSchema)
@blp.alt_response(503, schema=HealthSchema, description="The database is unreachable")
def health():
    """Is the service up and its database reachable?"""
    try:
        # Outside a transaction: one round trip for a check the proxy makes every few seconds.
        with autocommit.connection() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - any failure means unhealthy
        log.error("health check: database unreachable (%s)", type(error).__name__)
        return {"status": "error", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}
