"""A time budget per request, so that no request ties up a worker.

gunicorn kills a sync worker whose request runs past its ``timeout`` and the caller gets
gunicorn's own HTML error. Spire stops the request first: each request may run for
``SPIRE_REQUEST_BUDGET_SECONDS`` (less than gunicorn's timeout), and past that it is
answered 503 in the error envelope, with its transaction rolled back.

Once the budget is spent the request stops at the first safe place:
- before its next SQL statement (on every server);
- a PostgreSQL statement in flight is cancelled on the server, and fails at once with
  the connection still usable;
- where the request runs in the process's main thread (gunicorn's sync workers, the test
  client), a real-time timer also interrupts code that runs on without touching the
  database, but only where the interrupted line is Spire's own request code: never inside
  a library (the driver, SQLAlchemy's pool or a commit under way), never in the code that
  hands out connections or answers errors. Elsewhere it looks again 50 ms later.
Work that can stop early (a /sync batch) asks ``remaining()`` and stops in time itself.

A request is only ever stopped before it has stored anything: once its transaction has
committed (or a write by a single statement has run), it is let finish, so a 503 always
means that nothing was stored and the request can be sent again as it was. The same holds
once an error is being answered.
"""

import signal
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from flask import Flask, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session

from server.database import db
from server.services.common.errors import ServiceError

# Set by the request that owns the budget, so the requests a /sync batch dispatches
# inside it share that budget instead of each starting a new one.
DEADLINE_KEY = "spire.deadline"
_TIMER = hasattr(signal, "setitimer")
# How soon the timer looks again when it could not stop the request where it was.
_AGAIN_SECONDS = 0.05

_SERVER = Path(__file__).resolve().parent.parent
_PROJECT = str(_SERVER.parent)
# Spire's own modules that must never be interrupted halfway: connections in and out of
# autocommit, the budget itself, error answers, security events written alone, and the
# /sync loop (which stops by itself between writes).
_NOT_HERE = {
    str(_SERVER / name)
    for name in (
        "services/storage/autocommit.py",
        "web/budget.py",
        "web/errors.py",
        "resources/sync/dispatch.py",
        "services/common/security_events.py",
    )
}


class OutOfTime(ServiceError):
    code = 503

    def __init__(self):
        super().__init__(
            "The request took too long and was stopped; nothing of it was stored. "
            "Try again, or send less at a time.",
            headers={"Retry-After": "1"},
        )


class _State(threading.local):
    # Whether this thread's timer is armed for the request under way.
    armed = False
    # The driver connection whose statement is in flight in this thread, if any.
    running = None
    cancelled = False
    expired = False
    # Whether the request (or the /sync write under way) has stored something, or is
    # being answered with an error: either way it is let finish.
    stored = False
    finishing = False


_state = _State()


def _interruptible(frame) -> bool:
    """Whether an exception may be raised on this line: Spire's own code (or a test's),
    not a library's and not one of the modules that must finish what they started."""
    filename = frame.f_code.co_filename if frame is not None else ""
    return (
        filename.startswith(_PROJECT)
        and "site-packages" not in filename
        and filename not in _NOT_HERE
    )


def _on_alarm(signum, frame):
    if not _state.armed:
        return  # the request ended as the signal arrived
    _state.expired = True
    if _state.stored or _state.finishing:
        return
    running = _state.running
    if running is not None and hasattr(running, "cancel"):
        # The statement fails with "canceled" in a moment, and the error it raises is
        # answered as OutOfTime; raising here would leave the connection busy.
        if not _state.cancelled:
            _state.cancelled = True
            running.cancel()
    elif _interruptible(frame):
        raise OutOfTime()
    signal.setitimer(signal.ITIMER_REAL, _AGAIN_SECONDS)


def remaining() -> float:
    """Seconds left of this request's budget (infinite outside a request)."""
    if not has_request_context() or "spire_deadline" not in g:
        return float("inf")
    return g.spire_deadline - time.monotonic()


def expired() -> bool:
    return _state.expired or remaining() <= 0


def stopped_for_time() -> bool:
    """Whether the request is to be answered as out of time: the budget is spent and the
    request stored nothing (a later error of a request that stored is its own)."""
    return expired() and not _state.stored


def stored(*_) -> None:
    """The request has stored something: from now on it is let finish (see the module)."""
    _state.stored = True


def finishing() -> None:
    """An error is being answered: nothing stops the request any more."""
    _state.finishing = True


@contextmanager
def statement(driver_connection, writes: bool = False):
    """Mark a statement in flight on ``driver_connection`` (cancelled if time runs out);
    ``writes``: it stores by itself (a single statement in autocommit)."""
    _stop_if_out_of_time()
    _state.running = driver_connection
    try:
        yield
        if writes:
            _state.stored = True
    finally:
        _state.running = None


def _stop_if_out_of_time() -> None:
    """The check before every statement: a request out of time stops here."""
    if stopped_for_time() and not _state.finishing:
        raise OutOfTime()


def _before_statement(conn, cursor, statement_, parameters, context, executemany):
    _stop_if_out_of_time()
    _state.running = conn.connection.driver_connection


def _after_statement(*_):
    """The statement has ended, with its result or with an error."""
    _state.running = None


def watch_statements(engine) -> None:
    """Let the budget stop a request at its next statement, and cancel a PostgreSQL
    statement that runs past it (see the module)."""
    if not event.contains(Session, "after_commit", stored):
        event.listen(Session, "after_commit", stored)
    if event.contains(engine, "before_cursor_execute", _before_statement):
        return
    event.listen(engine, "before_cursor_execute", _before_statement)
    event.listen(engine, "after_cursor_execute", _after_statement)
    event.listen(engine, "handle_error", _after_statement)


def _timer_here() -> bool:
    return _TIMER and threading.current_thread() is threading.main_thread()


def register_request_budget(app: Flask) -> None:
    budget = app.config["SPIRE_REQUEST_BUDGET_SECONDS"]
    with app.app_context():
        watch_statements(db.engine)

    @app.before_request
    def start_the_clock():
        inherited = request.environ.get(DEADLINE_KEY)
        g.spire_deadline = inherited or time.monotonic() + budget
        # A /sync write starts afresh: it may be stopped until it stores.
        _state.stored = _state.finishing = _state.cancelled = False
        if inherited:
            return
        _state.expired = False
        g.spire_budget_owner = True
        if _timer_here():
            if signal.getsignal(signal.SIGALRM) is not _on_alarm:
                signal.signal(signal.SIGALRM, _on_alarm)
            _state.armed = True
            signal.setitimer(signal.ITIMER_REAL, budget)

    def stop_the_clock(*_):
        if g.pop("spire_budget_owner", False):
            _state.armed = False  # first: a signal arriving now does nothing
            try:
                if _timer_here():
                    signal.setitimer(signal.ITIMER_REAL, 0)
            finally:
                _state.expired = _state.stored = _state.finishing = False
                _state.running = None
                g.pop("spire_deadline", None)

    @app.after_request
    def stopped(response):
        stop_the_clock()
        return response

    app.teardown_request(stop_the_clock)
