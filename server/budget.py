"""A time budget per request, so that no request ties up a worker.

gunicorn kills a sync worker whose request runs past its ``timeout`` and the caller gets
gunicorn's own HTML error. Spire stops the request first: each request may run for
``SPIRE_REQUEST_BUDGET_SECONDS`` (less than gunicorn's timeout), and past that it is
answered 503 in the error envelope, with its transaction rolled back.

Where the request runs in the process's main thread (gunicorn's sync workers, the test
client), a real-time timer enforces the budget:
- in Python code, the timer raises ``OutOfTime`` where the request is;
- during a PostgreSQL statement, it asks the server to cancel the statement instead, which
  then fails at once and leaves the connection usable; the error it raises is answered as
  ``OutOfTime`` is, since the budget is spent.
Elsewhere (the threaded development server) the budget is checked before each statement.
Work that can stop early (a /sync batch) asks ``remaining()`` and stops in time itself.

A request is only ever stopped before it has stored anything: once its transaction has
committed (or a write by a single statement has run), it is let finish, so a 503 always
means that nothing was stored and the request can be sent again as it was.
"""

import signal
import threading
import time
from contextlib import contextmanager

from flask import Flask, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session

from server.extensions import db
from server.services.errors import ServiceError

# Set by the request that owns the budget, so the requests a /sync batch dispatches
# inside it share that budget instead of each starting a new one.
DEADLINE_KEY = "spire.deadline"
_TIMER = hasattr(signal, "setitimer")


class OutOfTime(ServiceError):
    code = 503

    def __init__(self):
        super().__init__(
            "The request took too long and was stopped; nothing of it was stored. "
            "Try again, or send less at a time.",
            headers={"Retry-After": "1"},
        )


class _State(threading.local):
    # The driver connection whose statement is in flight in this thread, if any.
    running = None
    expired = False
    # Whether the request (or the /sync write under way) has stored something.
    stored = False


_state = _State()


def _on_alarm(signum, frame):
    _state.expired = True
    if _state.stored:
        return
    running = _state.running
    if running is not None and hasattr(running, "cancel"):
        # The statement fails with "canceled" in a moment; raising here instead would
        # leave the connection waiting for a result nobody reads.
        running.cancel()
        return
    raise OutOfTime()


def remaining() -> float:
    """Seconds left of this request's budget (infinite outside a request)."""
    if not has_request_context() or "spire_deadline" not in g:
        return float("inf")
    return g.spire_deadline - time.monotonic()


def expired() -> bool:
    return _state.expired or remaining() <= 0


def stored(*_) -> None:
    """The request has stored something: from now on it is let finish (see the module)."""
    _state.stored = True


@contextmanager
def statement(driver_connection):
    """Mark a statement in flight on ``driver_connection`` (cancelled if time runs out)."""
    _state.running = driver_connection
    try:
        yield
    finally:
        _state.running = None


def _before_statement(conn, cursor, statement_, parameters, context, executemany):
    if expired() and not _state.stored:
        raise OutOfTime()
    _state.running = conn.connection.driver_connection


def _after_statement(*_):
    """The statement has ended, with its result or with an error."""
    _state.running = None


def watch_statements(engine) -> None:
    """Let the budget stop a PostgreSQL statement that runs past it (see the module)."""
    if not event.contains(Session, "after_commit", stored):
        event.listen(Session, "after_commit", stored)
    if event.contains(engine, "before_cursor_execute", _before_statement):
        return
    event.listen(engine, "before_cursor_execute", _before_statement)
    event.listen(engine, "after_cursor_execute", _after_statement)
    event.listen(engine, "handle_error", _after_statement)


def register_request_budget(app: Flask) -> None:
    budget = app.config["SPIRE_REQUEST_BUDGET_SECONDS"]
    with app.app_context():
        watch_statements(db.engine)

    @app.before_request
    def start_the_clock():
        inherited = request.environ.get(DEADLINE_KEY)
        g.spire_deadline = inherited or time.monotonic() + budget
        _state.stored = False  # a /sync write starts afresh too
        if inherited:
            return
        _state.expired = False
        g.spire_budget_owner = True
        if _TIMER and threading.current_thread() is threading.main_thread():
            if signal.getsignal(signal.SIGALRM) is not _on_alarm:
                signal.signal(signal.SIGALRM, _on_alarm)
            signal.setitimer(signal.ITIMER_REAL, budget)

    def stop_the_clock(*_):
        if g.pop("spire_budget_owner", False):
            if _TIMER and threading.current_thread() is threading.main_thread():
                signal.setitimer(signal.ITIMER_REAL, 0)
            _state.expired = _state.stored = False
            g.pop("spire_deadline", None)

    @app.after_request
    def stopped(response):
        stop_the_clock()
        return response

    app.teardown_request(stop_the_clock)
