"""The request's time budget, as the storage layer keeps it: this thread's deadline and
what the request has done so far, and the check before every SQL statement.

The web layer (``server.web.budget``) starts and stops the budget with each request and
arms the timer that interrupts code stuck elsewhere; the rules of when a request may be
stopped are told there. Here is what holds for every statement, whoever runs it:
- a request out of time stops before its next statement (``OutOfTime``);
- a statement in flight is known (``statement()``), so that a PostgreSQL one can be
  cancelled on the server when time runs out;
- once the request has stored something (its transaction committed, or a write by a single
  statement ran) or is being answered with an error, nothing stops it any more.
Work that can stop early (a /sync batch) asks ``remaining()`` and stops in time itself.
"""

import threading
import time
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.orm import Session

from shared.i18n import lazy_gettext


class OutOfTime(Exception):
    """The request ran past its budget and was stopped before it stored anything. Not a
    ``ServiceError``: storage sits below the services' common rules and imports none of
    them; the web layer answers both alike."""

    def __init__(self):
        self.message = lazy_gettext(
            "The request took too long and was stopped; nothing of it was stored. "
            "Try again, or send less at a time."
        )
        super().__init__(self.message)
        # Seconds before the same request may be sent again.
        self.retry_after = 1


class _State(threading.local):
    # When this thread's request runs out of time (time.monotonic()); None outside one.
    deadline = None
    # The driver connection whose statement is in flight in this thread, if any.
    running = None
    cancelled = False
    expired = False
    # Whether the request (or the /sync write under way) has stored something, or is
    # being answered with an error: either way it is let finish.
    stored = False
    finishing = False


# This thread's budget; the web layer starts, stops and times it.
state = _State()


def begin(deadline: float, afresh: bool) -> None:
    """A request starts with this deadline: ``afresh``, one that owns the budget; else a
    /sync write inside one, which shares its deadline and may be stopped until it stores."""
    state.deadline = deadline
    state.stored = state.finishing = state.cancelled = False
    if afresh:
        state.expired = False


# What the web layer's timer is to do once time is up (see ``run_out``).
LET_FINISH = "let finish"
LOOK_AGAIN = "look again"
STOP_HERE = "stop here"


def run_out() -> str:
    """Time is up, says the web layer's timer: a statement in flight is cancelled (it
    fails by itself in a moment, so the timer looks again); a request that has stored
    something, or is answering an error, is let finish; otherwise it may be stopped where
    it stands, if that is a safe place (the timer knows; else it looks again)."""
    state.expired = True
    if state.stored or state.finishing:
        return LET_FINISH
    running = state.running
    if running is not None and hasattr(running, "cancel"):
        # Raising instead would leave the connection busy; the statement's error is
        # answered as OutOfTime.
        if not state.cancelled:
            state.cancelled = True
            running.cancel()
        return LOOK_AGAIN
    return STOP_HERE


def end() -> None:
    """The request that owns the budget has ended: the thread has none any more."""
    state.expired = state.stored = state.finishing = False
    state.running = None
    state.deadline = None


def deadline() -> float | None:
    """When this thread's request runs out of time, if a request is under way."""
    return state.deadline


def remaining() -> float:
    """Seconds left of this request's budget (infinite outside a request)."""
    if state.deadline is None:
        return float("inf")
    return state.deadline - time.monotonic()


def expired() -> bool:
    return state.expired or remaining() <= 0


def stopped_for_time() -> bool:
    """Whether the request is to be answered as out of time: the budget is spent and the
    request stored nothing (a later error of a request that stored is its own)."""
    return expired() and not state.stored


def stored(*_) -> None:
    """The request has stored something: from now on it is let finish (see the module)."""
    state.stored = True


def finishing() -> None:
    """An error is being answered: nothing stops the request any more."""
    state.finishing = True


@contextmanager
def statement(driver_connection, writes: bool = False):
    """Mark a statement in flight on ``driver_connection`` (cancelled if time runs out);
    ``writes``: it stores by itself (a single statement in autocommit)."""
    _stop_if_out_of_time()
    state.running = driver_connection
    try:
        yield
        if writes:
            state.stored = True
    finally:
        state.running = None


def _stop_if_out_of_time() -> None:
    """The check before every statement: a request out of time stops here."""
    if stopped_for_time() and not state.finishing:
        raise OutOfTime()


def _before_statement(conn, cursor, statement_, parameters, context, executemany):
    _stop_if_out_of_time()
    state.running = conn.connection.driver_connection


def _after_statement(*_):
    """The statement has ended, with its result or with an error."""
    state.running = None


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
