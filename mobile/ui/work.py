"""The app's network work, off the main thread: ``Background`` runs a job in a thread and
hands its result back on the main thread (dropped if the login it belonged to has ended
since); ``Updater`` keeps the phone in step with Spire while a user is at work.

The updater sends the outbox soon after each change (a short pause lets quick taps go in
one batch), and every ``poll_seconds`` sends what waits, fetches the day's list and the
wake-up calls again (with their ETags: an unchanged list costs a 304) and asks for new
notices. After a failed sync it waits as long as the syncer's pause says, unless a list
comes back meanwhile: then Spire answers again, and what waits goes at once. One job at a
time; what the jobs found goes to the app (``reached``, ``unreachable``, ``failed``)."""

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from kivy.clock import Clock

from mobile.core.client import LoggedOut, Unreachable
from mobile.core.spire import Spire

# The user's departments and organisation are asked for again this often (seconds).
PROFILE_SECONDS = 15 * 60
SYNC_PAUSE = 0.4  # after a tap, before the outbox is sent


class Background:
    def __init__(self):
        self.generation = 0  # one more at each login and each end of one

    def run(self, work: Callable, done: Callable, failed: Callable) -> None:
        generation = self.generation

        def back(callback, value):
            if generation == self.generation:
                callback(value)

        def job():
            try:
                result = work()
            except Exception as error:  # every failure goes to ``failed``, on the main thread
                Clock.schedule_once(lambda dt, error=error: back(failed, error))
            else:
                Clock.schedule_once(lambda dt: back(done, result))

        threading.Thread(target=job, daemon=True).start()

    def drop_pending(self) -> None:
        """What is under way now comes back to no one."""
        self.generation += 1


@dataclass
class Fetched:
    """What one round with the server found."""

    notices: list[dict] = field(default_factory=list)
    synced: bool = False  # some writes reached the server


class Updater:
    def __init__(self, app, spire: Spire, background: Background, poll_seconds: float):
        self.app = app
        self.spire = spire
        self.background = background
        self.poll_seconds = poll_seconds
        self._busy = False
        self._again = False
        self._timer = None
        self._profile_at = 0.0
        self._sync_soon = Clock.create_trigger(lambda dt: self.sync(), SYNC_PAUSE)

    def start(self) -> None:
        self.stop()
        self._timer = Clock.schedule_interval(lambda dt: self.poll(), self.poll_seconds)
        self.poll()

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._busy = self._again = False

    @property
    def running(self) -> bool:
        return self._timer is not None

    def sync_soon(self) -> None:
        """A change was made: send it shortly."""
        self._sync_soon()

    def sync(self) -> None:
        if not self.running:
            return
        if self._busy:
            self._again = True  # sent when the job under way is done
            return
        if not self.spire.outbox.pending_count() or not self.spire.syncer.due():
            return
        self._run(self._send)

    def poll(self) -> None:
        """Everything: send, fetch the lists again, ask for notices."""
        if not self.running:
            return
        if self._busy:
            return
        self._run(self._round)

    def _run(self, work: Callable[[], Fetched]) -> None:
        self._busy = True
        self.background.run(work, self._done, self._failed)

    # In the background --------------------------------------------------------------------

    def _send(self) -> Fetched:
        report = self.spire.sync()
        if report.failure == "logged_out":
            raise LoggedOut(401, {"message": "Logged out."})
        if report.failure == "unreachable":
            raise Unreachable("sync")
        return Fetched(synced=report.done > 0)

    def _round(self) -> Fetched:
        spire = self.spire
        fetched, sent = Fetched(), False
        if spire.outbox.pending_count() and spire.syncer.due():
            fetched, sent = self._send(), True
        # The user's profile and the organisation's tally activities change seldom: they
        # are fetched now and then, not every round (the activities also when none are kept).
        seldom = time.monotonic() - self._profile_at > PROFILE_SECONDS
        if seldom:
            spire.session.refresh()
            self._profile_at = time.monotonic()
        if spire.session.department_id is not None:  # a user of no department has no lists
            spire.day.refresh()
            spire.calls.refresh()
            if seldom or not spire.tallies.activities():
                spire.tallies.refresh()
        if not sent and spire.outbox.pending_count():
            # Spire answers again: what waits goes now, not after the pause.
            fetched = self._send()
        if spire.kiosk.waiting():
            spire.kiosk.deliver()  # the kiosk's answers left when it closed, if they may go
        fetched.notices = spire.notices.poll()
        return fetched

    # Back on the main thread --------------------------------------------------------------

    def _done(self, fetched: Fetched) -> None:
        self._busy = False
        self.app.reached(fetched)
        if self._again:
            self._again = False
            self.sync()

    def _failed(self, error: Exception) -> None:
        self._busy = self._again = False
        if isinstance(error, Unreachable):
            self.app.unreachable()
        else:
            self.app.failed(error)
