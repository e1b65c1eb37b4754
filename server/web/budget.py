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

The budget's state and the check before every statement are the storage layer's
(``server.services.storage.budget``), so that services and storage reach them without
Flask; here is what HTTP brings: the hooks that start and stop it with each request, and
the timer.
"""

import signal
import threading
import time
from pathlib import Path

from flask import Flask, g, request

from server.database import db
from server.services.storage import budget
from server.services.storage.budget import OutOfTime

# Set by the request that owns the budget, so the requests a /sync batch dispatches
# inside it share that budget instead of each starting a new one.
DEADLINE_KEY = "spire.deadline"
_TIMER = hasattr(signal, "setitimer")
# How soon the timer looks again when it could not stop the request where it was.
_AGAIN_SECONDS = 0.05

_SERVER = Path(__file__).resolve().parent.parent
_PROJECT = str(_SERVER.parent)
# Spire's own modules that must never be interrupted halfway: connections in and out of
# autocommit, the budget itself (its state here and in storage), error answers, security
# events written alone, and the /sync loop (which stops by itself between writes).
_NOT_HERE = {
    str(_SERVER / name)
    for name in (
        "services/storage/autocommit.py",
        "services/storage/budget.py",
        "web/budget.py",
        "web/errors.py",
        "resources/sync/dispatch.py",
        "services/common/security_events.py",
    )
}


class _Timer(threading.local):
    # Whether this thread's timer is armed for the request under way.
    armed = False


_timer = _Timer()


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
    if not _timer.armed:
        return  # the request ended as the signal arrived
    what = budget.run_out()
    if what == budget.LET_FINISH:
        return
    if what == budget.STOP_HERE and _interruptible(frame):
        raise OutOfTime()
    signal.setitimer(signal.ITIMER_REAL, _AGAIN_SECONDS)


def _timer_here() -> bool:
    return _TIMER and threading.current_thread() is threading.main_thread()


def register_request_budget(app: Flask) -> None:
    seconds = app.config["SPIRE_REQUEST_BUDGET_SECONDS"]
    with app.app_context():
        budget.watch_statements(db.engine)

    @app.before_request
    def start_the_clock():
        inherited = request.environ.get(DEADLINE_KEY)
        # A /sync write starts afresh: it may be stopped until it stores.
        budget.begin(inherited or time.monotonic() + seconds, afresh=not inherited)
        if inherited:
            return
        g.spire_budget_owner = True
        if _timer_here():
            if signal.getsignal(signal.SIGALRM) is not _on_alarm:
                signal.signal(signal.SIGALRM, _on_alarm)
            _timer.armed = True
            signal.setitimer(signal.ITIMER_REAL, seconds)

    def stop_the_clock(*_):
        if g.pop("spire_budget_owner", False):
            _timer.armed = False  # first: a signal arriving now does nothing
            try:
                if _timer_here():
                    signal.setitimer(signal.ITIMER_REAL, 0)
            finally:
                budget.end()

    @app.after_request
    def stopped(response):
        stop_the_clock()
        return response

    app.teardown_request(stop_the_clock)
