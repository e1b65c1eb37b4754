"""The phone's outbox in one round trip (POST /sync).

Each operation is dispatched through the app exactly as if the phone had sent it alone,
in a fresh application context of its own: its own transaction, its own error envelope,
and the same authentication. One bad write neither undoes nor blocks the others.
"""

import logging

from flask import Flask
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import RoutingException
from werkzeug.test import EnvironBuilder

from server.database import db
from server.services.storage import budget
from server.web.budget import DEADLINE_KEY
from server.web.errors import MESSAGES, body_of, envelope, status_of
from shared.i18n import LazyText, lazy_gettext

log = logging.getLogger(__name__)

API_PREFIX = "/api/v1"
# Only writes that are safe to repeat may travel in a batch, each by the one method that
# makes it so: the writes by client id, undoing one of them, and ticking an action item
# done or undone (a PATCH that sets a value, and needs no If-Match).
SYNCABLE = {
    ("PUT", "attendance.AttendanceItem"),
    ("DELETE", "attendance.AttendanceItem"),
    ("PUT", "wakeups.attempt"),
    ("PUT", "followups.FollowUpItem"),
    ("PUT", "tallies.TallyItem"),
    ("DELETE", "tallies.TallyItem"),
    ("PATCH", "meetings.update_action"),
}
METHODS = sorted({method for method, _ in SYNCABLE})
# What a PATCH of an action item may carry in a batch: a tick, and when it was made. A
# change of its text (leaders) is not safe to send again, nor to send late.
TICK_FIELDS = {"done", "recorded_at"}
MAX_OPERATIONS = 500
# A batch starts no operation with less than this left of the request's time budget: the
# operations not run are answered 503, and the phone sends them again.
MARGIN_SECONDS = 1.0


NOT_SYNCABLE = lazy_gettext("Not a path /sync can write.")
ONLY_TICKS = lazy_gettext(
    "In /sync an action item is only ticked done or undone: done (true or false), and recorded_at."
)


def _refuse(code: int, message: str | LazyText) -> tuple[int, dict]:
    return code, body_of(code, message)


def _a_tick(body) -> bool:
    """Whether an action item's PATCH body is a tick: ``done`` as a boolean, and at most
    ``recorded_at`` beside it (checked as the PATCH alone checks it)."""
    return (
        isinstance(body, dict) and isinstance(body.get("done"), bool) and set(body) <= TICK_FIELDS
    )


def run_operation(
    app: Flask,
    operation: dict,
    authorization: str,
    remote_addr: str,
    deadline: float,
    accept_language: str | None = None,
):
    """(status, body) of one write, as that request alone would have been answered (in
    the language the batch asked for), within the batch's time budget (``deadline``)."""
    path = API_PREFIX + operation["path"]
    method = operation["method"]
    adapter = app.url_map.bind("localhost")
    try:
        endpoint, _ = adapter.match(path, method=method)
    except (NotFound, MethodNotAllowed, RoutingException):
        return _refuse(422, NOT_SYNCABLE)
    if (method, endpoint) not in SYNCABLE:
        return _refuse(422, NOT_SYNCABLE)
    if endpoint == "meetings.update_action" and not _a_tick(operation.get("body")):
        return _refuse(422, ONLY_TICKS)
    headers = {"Authorization": authorization}
    if accept_language:
        headers["Accept-Language"] = accept_language
    builder = EnvironBuilder(
        path=path,
        method=method,
        json=operation.get("body"),
        headers=headers,
        environ_base={"REMOTE_ADDR": remote_addr, DEADLINE_KEY: deadline},
    )
    try:
        environ = builder.get_environ()
    finally:
        builder.close()
    with app.app_context(), app.request_context(environ):
        try:
            response = app.full_dispatch_request()
        except Exception:  # noqa: BLE001 - one failed write must not fail the batch
            db.session.rollback()
            log.exception("sync operation failed")
            response = envelope(500, MESSAGES[500])
        body = response.get_json(silent=True)
        response.close()
    return response.status_code, body


def run_batch(
    app: Flask,
    operations: list[dict],
    authorization: str,
    remote_addr: str,
    accept_language: str | None = None,
):
    """Every operation in order, each on its own; the results in the same order."""
    db.session.close()  # the batch request holds nothing; each operation has its own session
    deadline = budget.deadline()
    results = []
    for operation in operations:
        if budget.remaining() < MARGIN_SECONDS or budget.expired():
            late = budget.OutOfTime()
            status, body = _refuse(status_of(late), late.message)
        else:
            status, body = run_operation(
                app, operation, authorization, remote_addr, deadline, accept_language
            )
            # What the write stored stays stored: the batch is let finish, and says so.
            budget.stored()
        results.append({"op_id": operation["op_id"], "status": status, "body": body})
    return results
