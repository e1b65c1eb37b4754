"""POST /sync: the phone's queued writes in one request, answered one by one."""

from flask import current_app, request
from marshmallow import fields, validate

from server.extensions.smorest import Blueprint
from server.resources.fields import Schema
from server.resources.sync import dispatch

blp = Blueprint("sync", __name__, url_prefix="/api/v1", description="Offline sync")


class OperationIn(Schema):
    op_id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    method = fields.String(required=True, validate=validate.OneOf(dispatch.METHODS))
    path = fields.String(required=True, validate=validate.Length(min=2, max=200))
    body = fields.Dict(
        metadata={"description": "The write's body, as the write alone would carry it"}
    )


class SyncIn(Schema):
    operations = fields.List(
        fields.Nested(OperationIn),
        required=True,
        validate=validate.Length(max=dispatch.MAX_OPERATIONS),
    )


class ResultOut(Schema):
    op_id = fields.String()
    status = fields.Integer()
    body = fields.Raw(metadata={"description": "What the write alone would have answered"})


class SyncOut(Schema):
    results = fields.List(fields.Nested(ResultOut))


@blp.post("/sync")
@blp.login_required()
@blp.arguments(SyncIn)
@blp.response(200, SyncOut)
def sync_outbox(data):
    """Apply queued writes in order; each commits on its own"""
    results = dispatch.run_batch(
        current_app._get_current_object(),
        data["operations"],
        request.headers.get("Authorization", ""),
        request.remote_addr,
        request.headers.get("Accept-Language"),
    )
    return {"results": results}
