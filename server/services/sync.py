"""The phone's outbox in one round trip (POST /sync).

Each operation is dispatched through the app exactly as if the phone had sent it alone,
in a fresh application context of its own: its own transaction, its own error envelope,
and the same authentication. One bad write neither undoes nor blocks the others.
"""

from flask import Flask
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.test import EnvironBuilder

API_PREFIX = "/api/v1"
# Only idempotent writes by client id may travel in a batch.
SYNCABLE_ENDPOINTS = {
    "attendance.AttendanceItem",
    "wakeups.attempt",
    "followups.FollowUpItem",
}
MAX_OPERATIONS = 500


def _refuse(code: int, message: str) -> tuple[int, dict]:
    from werkzeug.http import HTTP_STATUS_CODES

    return code, {"code": code, "status": HTTP_STATUS_CODES[code], "message": message}


def run_operation(app: Flask, operation: dict, authorization: str, remote_addr: str):
    """(status, body) of one PUT, as that request alone would have been answered."""
    path = API_PREFIX + operation["path"]
    adapter = app.url_map.bind("localhost")
    try:
        endpoint, _ = adapter.match(path, method="PUT")
    except (NotFound, MethodNotAllowed):
        return _refuse(422, "Not a path /sync can write.")
    if endpoint not in SYNCABLE_ENDPOINTS:
        return _refuse(422, "Not a path /sync can write.")
    builder = EnvironBuilder(
        path=path,
        method="PUT",
        json=operation["body"],
        headers={"Authorization": authorization},
        environ_base={"REMOTE_ADDR": remote_addr},
    )
    try:
        environ = builder.get_environ()
    finally:
        builder.close()
    with app.app_context(), app.request_context(environ):
        response = app.full_dispatch_request()
        body = response.get_json(silent=True)
        response.close()
    return response.status_code, body
