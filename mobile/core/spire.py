"""The app's core in one object, for the screens to drive: ``Spire(data_dir)`` opens the
app's folder and wires the parts.

- ``session``: server address, login, departments, the PIN lock, logout (session.py);
- ``outbox``: the writes not yet on the server (outbox.py), sent by ``syncer``;
- ``day``: the day's list and check in / out / absent / undo (day.py);
- ``calls``: the morning's wake-up calls (calls.py);
- ``followups``: follow-ups and action items (followups.py);
- ``tallies``: the anonymous tally and its activities (tallies.py);
- ``kiosk``: anonymous surveys answered on a phone handed over (kiosk.py);
- ``pages``: a participant's page (pages.py);
- ``notices``: the staff notices (notices.py);
- ``cache``, ``clock``, ``client``, ``store``, ``db``: what those are built on.

Thread-safe: the screens call it from the main thread, and run what uses the network
(``log_in``, ``refresh``, ``sync``, ``log_out``, ``unlock`` with a password) in
background threads. What reads only the phone (``day.read()``, ``calls.read()``,
``pages.read()``, ``outbox.entries()``) and what writes (``day.check_in()``) never waits on
the network.
"""

from datetime import date, timedelta
from pathlib import Path

from mobile.core.cache import Cache
from mobile.core.calls import Calls
from mobile.core.client import ApiError, Client, Unreachable
from mobile.core.clock import Clock
from mobile.core.day import Day
from mobile.core.followups import FollowUps
from mobile.core.kiosk import MIN_BATCH, Kiosk
from mobile.core.localdb import LocalDb
from mobile.core.notices import NoticeFeed
from mobile.core.outbox import Outbox
from mobile.core.pages import Pages
from mobile.core.session import Session
from mobile.core.store import Store
from mobile.core.syncer import Syncer, SyncReport
from mobile.core.tallies import Tallies

# Cached lists and sent writes of older days are forgotten when the app starts.
KEEP_DAYS = timedelta(days=7)


class Spire:
    def __init__(self, data_dir: Path | str, timeout: float = 10, kiosk_min_batch: int = MIN_BATCH):
        data_dir = Path(data_dir)
        self.store = Store(data_dir / "spire.json")
        self.db = LocalDb(data_dir / "spire.db")
        self.clock = Clock(self.store)
        self.client = Client(None, self.store, timeout=timeout, clock=self.clock)
        self.cache = Cache(self.db, self.store, self.client, self.clock)
        self.outbox = Outbox(self.db, self.store, self.clock)
        self.syncer = Syncer(self.client, self.outbox, self.cache, self.db, self.store, self.clock)
        self.session = Session(
            self.store,
            self.client,
            self.clock,
            self.db,
            self.outbox,
            self._send_before_logout,
            self.syncer.halted,
        )
        self.day = Day(self.session, self.cache, self.outbox, self.db, self.clock)
        self.calls = Calls(self.session, self.cache, self.outbox, self.clock)
        self.followups = FollowUps(self.session, self.day, self.outbox, self.clock, self.client)
        self.tallies = Tallies(self.session, self.cache, self.outbox, self.db, self.clock)
        self.pages = Pages(self.session, self.cache, self.outbox)
        self.kiosk = Kiosk(
            self.session, self.cache, self.client, self.db, self.store, kiosk_min_batch
        )
        self.notices = NoticeFeed(self.client, self.store)
        self.db.prune((self.clock.now() - KEEP_DAYS).date().isoformat())

    def sync(self) -> SyncReport:
        """Send the outbox, then fetch again the lists an undo changed (network)."""
        report = self.syncer.sync()
        for key in sorted(report.refresh):
            _, department_id, day = key.split("/")
            try:
                self.day.refresh(department_id, date.fromisoformat(day))
            except (ApiError, Unreachable):
                pass  # the copy is good enough until the next refresh
        return report

    def _send_before_logout(self) -> None:
        """What a logout sends first: the outbox, and every answer the kiosk holds (even
        a single one: it would be lost otherwise)."""
        self.syncer.sync()
        self.kiosk.deliver(final=True)

    def close(self) -> None:
        self.db.close()
