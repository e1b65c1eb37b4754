"""Who uses the app, and whether they may see it now: the server's address, the login
(tokens refresh themselves in ``client.py``), the user's departments with their names and
the one chosen, the PIN lock, and the end of a login.

The PIN (4 to 6 digits) is chosen at the first login and stored only as a scrypt hash;
it is changed only while the app is open, with the old PIN (a wrong one counts).
After ``LOCK_AFTER`` in the background the app is locked: the PIN or the password (checked
by a real login on the server) opens it again; a fresh start of the app is locked too,
unless it was in the background for less than that. ``MAX_PIN_TRIES`` wrong PINs in a row
end the login: the tokens are revoked and forgotten, and everything cached is wiped.

Logging out wipes everything stored (cached lists, notices, the user, tokens, PIN) but the
server's address, the language and the clock's offset, and keeps the writes that have not
reached the server: ``log_out`` first tries to send them, and if some still wait it
raises ``WritesWaiting`` (how many); ``log_out(discard=True)``, once the user has
confirmed, drops them.

A phone shared by two staff members never shows one's data to the other: every cached
copy and every write carries its user's id. When a login ends without a logout (five wrong
PINs, or ended on the server) the user's unsent writes stay on the phone, under their id,
and are sent only under their own login. If someone else logs in meanwhile,
``log_in`` tells (``LoginResult.others_waiting``: whose and how many, nothing of what
they are about), and the screen must say so: "N changes by <name> are not yet sent; they
are sent when <name> logs in on this phone again." Nothing of theirs is shown or sent
under the new login, and the new user cannot discard them.
"""

import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import date

from mobile.core import pin as pins
from mobile.core.client import (
    ApiError,
    BadAddress,
    Client,
    LoggedOut,
    Unreachable,
    logged_in_user,
)
from mobile.core.clock import Clock, boot_id, uptime
from mobile.core.localdb import LocalDb
from mobile.core.outbox import Outbox, Waiting
from mobile.core.store import Store

LOCK_AFTER = 3 * 60  # seconds in the background
MAX_PIN_TRIES = 5
DEFAULT_TIMEZONE = "Europe/Oslo"
# What a logout leaves in the store: nothing about the user.
KEPT = ("server_url", "language", "clock_offset")
LOGIN = ("access_token", "refresh_token", "user")


class Locked(Exception):
    """The app is locked: the PIN (or the password) first."""


class WrongPin(Exception):
    def __init__(self, tries_left: int):
        super().__init__(f"wrong PIN, {tries_left} tries left")
        self.tries_left = tries_left


class PinLockOut(Exception):
    """Too many wrong PINs: the login has ended; log in again with the password."""


class WritesWaiting(Exception):
    """Writes of the user have not reached the server: logging out would lose them."""

    def __init__(self, count: int):
        super().__init__(f"{count} writes not yet sent")
        self.count = count


@dataclass(frozen=True)
class LoginResult:
    user: dict
    # Other users' writes kept on this phone, to be told (not shown) to the new user.
    others_waiting: list[Waiting] = field(default_factory=list)


class Session:
    def __init__(
        self,
        store: Store,
        client: Client,
        clock: Clock,
        db: LocalDb,
        outbox: Outbox,
        sync: Callable[[], object],
        halt_sync: Callable[[float], AbstractContextManager[bool]] | None = None,
    ):
        self.store = store
        self.client = client
        self.clock = clock
        self.db = db
        self.outbox = outbox
        self._sync = sync
        # ``Syncer.halted``: no sync runs elsewhere while a login ends.
        self._halt_sync = halt_sync or (lambda timeout: nullcontext(True))
        self._lock = threading.RLock()
        client.on_ended = self._ended_on_server
        if store.get("server_url"):
            try:
                client.base_url = store.get("server_url")
            except BadAddress:
                pass  # typed again at the next login
        self._locked = self._locked_at_start()

    # The server and the login -------------------------------------------------------------

    @property
    def server_url(self) -> str | None:
        return self.store.get("server_url")

    @property
    def user(self) -> dict | None:
        """The logged-in user (``/me``), None when nobody is."""
        return logged_in_user(self.store)

    @property
    def logged_in(self) -> bool:
        return self.user is not None

    def log_in(self, server_url: str, username: str, password: str) -> LoginResult:
        """Log in (network); the user's departments are fetched on the way."""
        self.client.base_url = server_url  # BadAddress before anything is sent
        user = self.client.login(username, password)
        with self._lock:
            self.store.put(server_url=self.client.base_url)
            if user["id"] != self.store.get("last_user_id"):
                self._forget_others(user["id"])
            self.store.put(last_user_id=user["id"], pin_tries=0, locked=False)
            self._locked = False
        try:
            self.refresh()
        except Unreachable:
            pass  # the login went through: the names come with the next refresh
        return LoginResult(self.user or user, self.outbox.others_waiting())

    def _forget_others(self, user_id: str) -> None:
        """Another user than the last one has logged in: nothing of the last one's login
        stays (their unsent writes excepted, which are theirs and stay hidden)."""
        self.store.keep_only(*KEPT, *LOGIN)
        with self.db.transaction() as db:
            db.execute("DELETE FROM cache WHERE user_id != ?", (user_id,))
            db.execute("DELETE FROM sent WHERE user_id != ?", (user_id,))
            db.execute("DELETE FROM kiosk_codes WHERE user_id != ?", (user_id,))

    def refresh(self) -> None:
        """The user (``/me``), their departments by name and the organisation (network)."""
        me = self.client.call("GET", "/me")
        departments = self.client.every_page("/departments")
        organisation = self.client.call("GET", "/organisation")
        with self._lock:
            if me["id"] != (self.user or {}).get("id"):
                return  # logged out meanwhile
            self.store.put(
                user=me,
                departments=[
                    {"id": d["id"], "name": d["name"], "timezone": d.get("timezone")}
                    for d in departments
                    if d.get("active", True)
                ],
                organisation={
                    key: organisation.get(key) for key in ("name", "country", "timezone")
                },
            )
            if self.department_id is None and self.departments:
                self.store.put(department_id=self.departments[0]["id"])

    @property
    def departments(self) -> list[dict]:
        """The user's departments: ``{"id", "name", "timezone"}``."""
        return (self.store.get("departments") or []) if self.logged_in else []

    @property
    def department_id(self) -> str | None:
        """The department the app shows, chosen by the user (the first one at first)."""
        chosen = self.store.get("department_id")
        ids = [d["id"] for d in self.departments]
        return chosen if chosen in ids else (ids[0] if ids else None)

    @property
    def department(self) -> dict | None:
        return next((d for d in self.departments if d["id"] == self.department_id), None)

    def switch_department(self, department_id: str) -> None:
        if department_id not in [d["id"] for d in self.departments]:
            raise ValueError("not one of the user's departments")
        self.store.put(department_id=department_id)

    @property
    def country(self) -> str:
        return (self.store.get("organisation") or {}).get("country") or "NO"

    def timezone(self, department_id: str | None = None) -> str:
        """The department's time zone, else the organisation's."""
        wanted = department_id or self.department_id
        department = next((d for d in self.departments if d["id"] == wanted), {})
        organisation = self.store.get("organisation") or {}
        return department.get("timezone") or organisation.get("timezone") or DEFAULT_TIMEZONE

    def today(self, department_id: str | None = None) -> date:
        """The department's local date, by the server's clock."""
        return self.clock.today(self.timezone(department_id))

    def where(self, department_id: str | None, day: date | None) -> tuple[str, date]:
        """The department and day a list is about: those named, else the current
        department and its today. LookupError when the user has no department."""
        department_id = department_id or self.department_id
        if department_id is None:
            raise LookupError("no department")
        return department_id, day or self.today(department_id)

    # The PIN lock -------------------------------------------------------------------------

    @property
    def has_pin(self) -> bool:
        return self.logged_in and bool(self.store.get("pin"))

    @property
    def needs_pin(self) -> bool:
        """Logged in, and no PIN chosen yet: the screen asks for one."""
        return self.logged_in and not self.store.get("pin")

    def set_pin(self, pin: str, old_pin: str | None = None) -> None:
        """Choose the PIN (4 to 6 digits; ``pin.BadPin`` otherwise), or change it: then
        ``old_pin`` must be the current one, and a wrong one counts as a wrong PIN
        (``WrongPin``, the last one ``PinLockOut``). ``Locked`` while the app is locked:
        a new PIN never opens it."""
        pins.check_form(pin)
        self.check_unlocked()
        if self.has_pin:
            self._check_pin(old_pin or "")
        with self._lock:
            self.check_unlocked()  # not locked meanwhile
            self.store.put(pin=pins.hashed(pin), pin_tries=0)

    @property
    def locked(self) -> bool:
        return self._locked and self.has_pin

    def check_unlocked(self) -> None:
        """For what shows or writes a user's data: LoggedOut when nobody is logged in,
        Locked while the PIN is asked for."""
        if not self.logged_in:
            raise LoggedOut(401, {"message": "Not logged in."})
        if self.locked:
            raise Locked()

    def _locked_at_start(self) -> bool:
        if not self.has_pin:
            return False
        return bool(self.store.get("locked")) or self._away_too_long(uptime())

    def _away_too_long(self, at: float) -> bool:
        """Whether the app has been in the background for ``LOCK_AFTER`` or more, or it
        cannot be told: by the uptime, counted in the same boot of the phone only (it starts
        again from 0 after a restart), and by the wall clock too (where the boot cannot be
        told; a clock set by hand only locks sooner)."""
        away = self.store.get("background_at")
        wall = self.store.get("background_wall")
        if away is None or wall is None or self.store.get("background_boot") != boot_id():
            return True
        return not (0 <= at - away < LOCK_AFTER and 0 <= time.time() - wall < LOCK_AFTER)

    def went_to_background(self, at: float | None = None) -> None:
        """The app left the screen; ``at`` in seconds of ``clock.uptime()``."""
        self.store.put(
            background_at=uptime() if at is None else at,
            background_boot=boot_id(),
            background_wall=time.time(),
        )

    def came_back(self, at: float | None = None) -> bool:
        """The app is on the screen again: True if it is locked now."""
        at = uptime() if at is None else at
        with self._lock:
            if self.has_pin and self._away_too_long(at):
                self._locked = True
            self.store.put(
                background_at=None, background_boot=None, background_wall=None, locked=self.locked
            )
        return self.locked

    def unlock(self, pin: str) -> None:
        """Open the app with the PIN. ``WrongPin`` says how many tries are left; the last
        wrong one ends the login (``PinLockOut``; the network is used to revoke it)."""
        if not self.logged_in or not self.store.get("pin"):
            raise LoggedOut(401, {"message": "Not logged in."})
        self._check_pin(pin)
        with self._lock:
            self.store.put(locked=False)
            self._locked = False

    def _check_pin(self, pin: str) -> None:
        """The PIN given is the stored one (the wrong tries start again), else it counts as
        a wrong one: ``WrongPin``, and the last one ends the login (``PinLockOut``)."""
        with self._lock:
            if pins.matches(pin, self.store.get("pin")):
                self.store.put(pin_tries=0)
                return
            tries = int(self.store.get("pin_tries") or 0) + 1
            self.store.put(pin_tries=tries)  # on disk before the answer is known
            if tries < MAX_PIN_TRIES:
                raise WrongPin(MAX_PIN_TRIES - tries)
        self._end_login()
        raise PinLockOut()

    def unlock_with_password(self, password: str) -> None:
        """Open the app with the password, checked by a real login (network): the new
        login replaces the old one, which is revoked."""
        user = self.user
        if user is None:
            raise LoggedOut(401, {"message": "Not logged in."})
        old = self.client.tokens()
        fresh = self.client.login(user["username"], password)
        if fresh["id"] != user["id"]:  # cannot happen by username; never mix two users
            self._end_login()
            raise LoggedOut(401, {"message": "Another user."})
        with self._lock:
            self.store.put(pin_tries=0, locked=False)
            self._locked = False
        self._revoke(old)

    # The end of a login -------------------------------------------------------------------

    def _sync_wait(self) -> float:
        """How long a login's end waits for a sync under way to finish its batch."""
        return 3 * self.client.timeout

    def log_out(self, discard: bool = False) -> int:
        """Log out and wipe the user's data. Unsent writes are first sent (network); if
        some still wait, ``WritesWaiting`` unless ``discard`` (the user confirmed): then
        they are dropped. Returns how many were dropped. A sync under way is let finish
        its batch first, so what it has sent is counted as sent, and nothing it hears back
        is written back after the wipe."""
        with self._halt_sync(self._sync_wait()) as halted:
            user = self.user
            if user is None:
                self._wipe(None)
                return 0
            if halted and self.outbox.unsent_count(user["id"]):
                self._sync()
                if self.user is None:  # the server had ended the login: wiped as for that
                    return 0
            waiting = self.outbox.unsent_count(user["id"])
            if waiting and not discard:
                raise WritesWaiting(waiting)
            tokens = self.client.tokens()
            self._wipe(user["id"])
        self._revoke(tokens)
        return waiting

    def _end_login(self) -> None:
        """Five wrong PINs, or the login ended on the server: the login ends, the cache
        goes; unsent writes stay, under the user's id, until that user logs in here
        again. A sync under way is let finish its batch first (wiped regardless if it does
        not within the wait: what it hears back after is not applied)."""
        with self._halt_sync(self._sync_wait()):
            tokens = self.client.tokens()
            self._wipe(None)
        self._revoke(tokens)

    def _ended_on_server(self) -> None:
        """The server answered that the login has ended (logged out elsewhere,
        deactivated, the refresh token spent): as after five wrong PINs."""
        self._end_login()

    def _wipe(self, discard_writes_of: str | None) -> None:
        with self._lock:
            self.store.keep_only(*KEPT)
            self._locked = False
            with self.db.transaction() as db:
                db.execute("DELETE FROM cache")
                db.execute("DELETE FROM sent")
                # The kiosk's unused codes go; its answers stay, as the outbox's writes.
                db.execute("DELETE FROM kiosk_codes")
                if discard_writes_of is not None:
                    db.execute("DELETE FROM outbox WHERE user_id = ?", (discard_writes_of,))
                    db.execute("DELETE FROM kiosk_answers WHERE user_id = ?", (discard_writes_of,))
            self.db.compact()

    def _revoke(self, tokens: dict) -> None:
        try:
            self.client.revoke(tokens)
        except (ApiError, Unreachable):
            pass  # forgotten here either way; on the server it ends when it expires
