"""The time the app writes into what it records (a check-in's time, when a call was made):
the phone's clock corrected by the server's.

A phone's clock can be minutes or hours wrong (set by hand, a SIM without network time),
and Spire refuses a check-in more than a few minutes in its future or on another local day
than the one it is for, judged by its own clock. So each answer's ``Date`` header tells
how far the phone's clock is from the server's, and the app adds that offset to the
phone's time, also offline (the last offset is remembered). With no answer ever seen, the
phone's own clock is used. The header has whole seconds: an offset under two seconds is
noise and changes nothing.
"""

import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from mobile.core.store import Store

NOISE = 2.0  # seconds: the Date header's own rounding and the answer's way back


def uptime() -> float:
    """Seconds since the phone started, counting the time it slept (CLOCK_BOOTTIME on
    Linux and Android; a monotonic clock stops while the phone sleeps in a pocket)."""
    boottime = getattr(time, "CLOCK_BOOTTIME", None)
    return time.clock_gettime(boottime) if boottime is not None else time.monotonic()


BOOT_ID = Path("/proc/sys/kernel/random/boot_id")


def boot_id() -> str | None:
    """Which start of the phone this is (Linux and Android; None where it cannot be told):
    ``uptime()`` counts again from 0 after a restart, so a time of it means something only
    with the boot it was taken in."""
    try:
        return BOOT_ID.read_text().strip() or None
    except OSError:
        return None


class Clock:
    def __init__(self, store: Store):
        self.store = store
        self._lock = threading.Lock()
        self._offset = float(store.get("clock_offset") or 0.0)

    @property
    def offset(self) -> timedelta:
        """How far the server's clock is ahead of the phone's."""
        return timedelta(seconds=self._offset)

    def observe(self, server_time: datetime) -> None:
        """An answer from the server said it was ``server_time``."""
        offset = (server_time - datetime.now(UTC)).total_seconds()
        with self._lock:
            if abs(offset - self._offset) < NOISE:
                return
            self._offset = offset
        self.store.put(clock_offset=offset)

    def now(self) -> datetime:
        """Now by the server's clock, in UTC, to the second (as the API writes times)."""
        return (datetime.now(UTC) + self.offset).replace(microsecond=0)

    def today(self, timezone: str) -> date:
        """The local date in ``timezone`` (a department's), by the server's clock."""
        return self.now().astimezone(ZoneInfo(timezone)).date()
