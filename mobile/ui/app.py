"""The Spire app: it holds one ``Spire`` (the core: every state lives there) and wires the
screens to it. Each screen is built the first time it is shown.

The way through: log in (server, username, password), choose a PIN, then the day (tabs:
today, wake-up calls, participants, the anonymous tally). After a while in the background,
and at a fresh start, the PIN (or the password) opens the app again. The shell around the
screens says whether Spire can be reached and how many changes wait; the ``Updater`` sends them and
fetches the lists again in the background.

The survey kiosk (Menu, "Survey") hands the phone to participants: while it is open the
rest of the app is locked (no bars, no menu, no other screen, the back key does nothing)
until the staff's PIN closes it; it comes back after a restart too. It sends its answers
itself (``Kiosk.round``), the updater stopped meanwhile.
"""

import importlib
import json
import os
import time
from pathlib import Path

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.logger import Logger
from kivy.properties import (
    BooleanProperty,
    ListProperty,
    NumericProperty,
    ObjectProperty,
    StringProperty,
)

from mobile.core.client import BadAddress, LoggedOut
from mobile.core.kiosk import NotReady
from mobile.core.session import Locked, WritesWaiting
from mobile.core.spire import Spire
from mobile.ui import phone
from mobile.ui.shell import Shell, status_text
from mobile.ui.widgets import confirm, inform
from mobile.ui.work import Background, Updater
from shared import i18n

DEFAULT_SERVER = "http://127.0.0.1:5000"
POLL_SECONDS = 30
# Each screen's module and class, imported and built when first shown.
SCREENS = {
    "login": ("mobile.ui.login", "LoginScreen"),
    "pin": ("mobile.ui.pin", "PinScreen"),
    "today": ("mobile.ui.today", "TodayScreen"),
    "calls": ("mobile.ui.calls", "CallsScreen"),
    "people": ("mobile.ui.people", "PeopleScreen"),
    "tally": ("mobile.ui.tally", "TallyScreen"),
    "participant": ("mobile.ui.participant", "ParticipantScreen"),
    "followup": ("mobile.ui.followup", "FollowUpScreen"),
    "attention": ("mobile.ui.attention", "AttentionScreen"),
    "notices": ("mobile.ui.notices", "NoticesScreen"),
    "surveys": ("mobile.ui.surveys", "SurveysScreen"),
    "kiosk": ("mobile.ui.kiosk", "KioskScreen"),
}
TABS = ("today", "calls", "people", "tally")
# Where "Back" leads from a screen reached from another.
BACK = {
    "participant": None,
    "followup": "participant",
    "attention": None,
    "notices": None,
    "surveys": None,
}
# What shows while the survey kiosk is open: the survey, and the PIN that closes it.
KIOSK_SCREENS = ("kiosk", "pin", "login")


def _phone_language() -> str:
    """The phone's language if it is Norwegian or Danish; bokmål otherwise (a Norwegian's
    phone set to English still gets the Norwegian app)."""
    language = i18n.best_match([os.environ.get("LANG", "")])
    return language if language in i18n.CATALOGUED else i18n.DEFAULT


class SpireApp(App):
    title = "Spire"
    # The texts the screens show, in the language the app speaks: the user's own from the
    # server once logged in, before that the last one used, else the phone's.
    tr = ObjectProperty(i18n.texts(_phone_language()))
    # What the shell shows (set from the core by ``update_status``).
    at_work = BooleanProperty(False)  # logged in and unlocked: the bars show
    tab = StringProperty("today")
    department = StringProperty("")
    department_names = ListProperty([])
    status = StringProperty("")
    offline = BooleanProperty(False)
    waiting = NumericProperty(0)
    attention = NumericProperty(0)

    def __init__(self, data_dir: str | None = None, poll_seconds: float = POLL_SECONDS, **kw):
        super().__init__(**kw)
        self._data_dir = data_dir
        self.poll_seconds = poll_seconds
        self.background = Background()
        self.screens: dict = {}
        self._trail: list[str] = []  # the screens reached from a tab, for "Back"
        self._said_until = 0.0
        self.started_at = time.monotonic()
        self._kiosk_timer = None
        self._kiosk_busy = False

    # Start ------------------------------------------------------------------------------

    def build(self):
        phone.fit_window()
        self.spire = Spire(Path(self._data_dir or self.user_data_dir))
        self.updater = Updater(self, self.spire, self.background, self.poll_seconds)
        self.speak(self.spire.store.get("language"))
        self.shell = Shell()
        self.manager = self.shell.ids.manager
        self.banner = self.shell.ids.banner
        Window.softinput_mode = "below_target"  # the keyboard never hides the field typed in
        Window.bind(on_keyboard=self._key)
        Window.bind(on_minimize=lambda *_: self.on_pause())
        Window.bind(on_restore=lambda *_: self.on_resume())
        session = self.spire.session
        if not session.logged_in:
            self.to_login("")
        elif session.needs_pin:
            self.show("pin", mode="choose")
        elif session.locked:
            self.show("pin", mode="unlock")
        else:
            self.start_day()
        return self.shell

    def on_start(self) -> None:
        phone.ask_for_notifications()

    def on_stop(self) -> None:
        self.updater.stop()
        self._stop_kiosk_rounds()
        self.spire.close()

    def speak(self, language: str | None) -> None:
        """Show every screen in ``language`` (one of Spire's), and keep it for next time."""
        if language in i18n.LANGUAGES and language != self.tr.language:
            self.tr = i18n.texts(language)
        self.spire.store.put(language=self.tr.language)
        self.spire.client.language = self.tr.language

    # Screens ----------------------------------------------------------------------------

    def screen(self, name: str):
        """The screen, built the first time it is asked for."""
        if name not in self.screens:
            module, cls = SCREENS[name]
            screen = getattr(importlib.import_module(module), cls)(name=name)
            self.screens[name] = screen
            self.manager.add_widget(screen)
        return self.screens[name]

    def show(self, name: str, /, **what) -> None:
        """Go to a screen (``what`` tells it what to show: a participant, a PIN's mode).
        While the survey kiosk is open, only its own screens show."""
        if self.kiosk_open and name not in KIOSK_SCREENS:
            return
        screen = self.screen(name)
        if hasattr(screen, "prepare"):
            screen.prepare(**what)
        if name in TABS:
            self.tab = name
            self._trail = []
        elif name in BACK and self.manager.current != name:
            self._trail.append(self.manager.current)
        self.manager.current = name
        if hasattr(screen, "update"):
            screen.update()

    def back(self) -> bool:
        """Back where the user came from; False at a tab (nothing to go back to)."""
        if self.kiosk_open or not self.at_work or self.manager.current in TABS:
            return False
        if not self._trail:
            return False
        previous = self._trail.pop()
        screen = self.screen(previous)
        self.manager.current = previous
        if hasattr(screen, "update"):
            screen.update()
        return True

    def _key(self, window, key, *args) -> bool:
        # Android's back key (Escape on a desktop) goes back; at a tab it leaves the app.
        # In the survey kiosk it does nothing (from the PIN, back to the survey).
        if key == 27 and self.kiosk_open:
            if self.manager.current == "pin" and self.screen("pin").mode == "kiosk":
                self.show("kiosk")
            return True
        if key == 27:
            return self.back()
        return False

    def update_screen(self) -> None:
        """The screen on show reads the core again (a change, or the lists fetched)."""
        screen = self.screens.get(self.manager.current)
        if screen is not None and hasattr(screen, "update"):
            screen.update()

    # Logging in, the PIN, the lock --------------------------------------------------------

    def to_login(self, reason: str) -> None:
        self.end_day()
        login = self.screen("login")
        login.error = reason
        login.server_url = (
            self.spire.session.server_url or os.environ.get("SPIRE_SERVER_URL") or DEFAULT_SERVER
        )
        self.show("login")

    def log_in(self, server: str, username: str, password: str, failed) -> None:
        try:
            self.spire.client.base_url = server
        except BadAddress as error:
            failed(error)
            return
        self.background.run(
            lambda: self.spire.session.log_in(server, username, password),
            self._logged_in,
            failed,
        )

    def _logged_in(self, result) -> None:
        self.screen("login").done()
        self.speak(result.user.get("language"))
        for waiting in result.others_waiting:
            inform(
                self.tr.gettext("Changes by another user"),
                self.tr.ngettext(
                    "{count} change by {name} is not yet sent. It is sent when {name} logs in "
                    "on this phone again.",
                    "{count} changes by {name} are not yet sent. They are sent when {name} "
                    "logs in on this phone again.",
                    waiting.count,
                ).format(count=waiting.count, name=waiting.full_name),
            )
        if self.spire.session.needs_pin:
            self.show("pin", mode="choose")
        else:
            self.start_day()

    def start_day(self) -> None:
        """Logged in and unlocked: the bars, the day, the updates; or the survey kiosk,
        if it was left open."""
        if self.kiosk_open:
            self.enter_kiosk()
            return
        self.background.drop_pending()
        self.at_work = True
        self.speak((self.spire.session.user or {}).get("language"))
        self.update_status()
        self.show(self.tab if self.tab in TABS else "today")
        self.updater.start()

    def end_day(self) -> None:
        """Locked or logged out: nothing of the user shows, nothing is fetched."""
        self._stop_kiosk_rounds()
        self.background.drop_pending()
        self.updater.stop()
        self.at_work = False
        self.banner.text = ""
        self._trail = []
        for dialog in list(Window.children):
            if hasattr(dialog, "dismiss") and dialog is not self.shell:
                dialog.dismiss()

    def lock(self) -> None:
        self.end_day()
        self.show("pin", mode="unlock")

    def on_pause(self) -> bool:
        if self.spire.session.logged_in:
            self.spire.session.went_to_background()
        return True  # the app stays in memory

    def on_resume(self) -> None:
        session = self.spire.session
        if session.logged_in and session.came_back() and self.at_work:
            self.lock()
        elif self.at_work:
            self.updater.poll()

    def log_out(self) -> None:
        """The core first sends what waits; if some still waits, the user is asked."""
        self.say(self.tr.gettext("Logging out …"))
        self.background.run(self.spire.session.log_out, self._logged_out, self._not_logged_out)

    def _logged_out(self, _dropped) -> None:
        self.to_login("")

    def _not_logged_out(self, error: Exception) -> None:
        self._said_until = 0  # "Logging out …" is over
        self.update_status()
        if isinstance(error, WritesWaiting):
            confirm(
                self.tr.gettext("Log out?"),
                self.tr.ngettext(
                    "{count} change has not reached Spire and will be lost if you log out now.",
                    "{count} changes have not reached Spire and will be lost if you log out now.",
                    error.count,
                ).format(count=error.count),
                self.tr.gettext("Log out and lose them"),
                lambda: self.background.run(
                    lambda: self.spire.session.log_out(discard=True),
                    self._logged_out,
                    self._not_logged_out,
                ),
                danger=True,
            )
        else:
            Logger.exception("Spire: logging out failed", exc_info=error)
            self.say(self.tr.gettext("Spire is not answering as it should right now."))

    # The survey kiosk -------------------------------------------------------------------

    @property
    def kiosk_open(self) -> bool:
        return self.spire.kiosk.open_survey_id is not None

    def start_kiosk(self, survey_id: str) -> None:
        """Hand the phone over: the survey, and nothing else, until the PIN closes it."""
        try:
            self.spire.kiosk.open(survey_id)
        except NotReady:
            self.say(self.tr.gettext("The survey is not ready on this phone. Try again."))
            return
        except Locked:
            self.lock()
            return
        except LoggedOut:
            self.to_login(self.tr.gettext("You are logged out. Log in again."))
            return
        self.enter_kiosk(fresh=True)

    def enter_kiosk(self, fresh: bool = False) -> None:
        self.end_day()
        self.show("kiosk", fresh=fresh)
        self._kiosk_timer = Clock.schedule_interval(lambda dt: self.kiosk_soon(), self.poll_seconds)
        self.kiosk_soon()

    def leave_kiosk(self) -> None:
        """The staff button: the PIN closes the kiosk."""
        self.show("pin", mode="kiosk")

    def kiosk_soon(self) -> None:
        """Deliver what may go now, and fetch codes if few are left (in the background)."""
        if self._kiosk_busy or self._kiosk_timer is None:
            return
        self._kiosk_busy = True

        def done(_report):
            self._kiosk_busy = False
            if not self.spire.session.logged_in:
                self.kiosk_gone()

        def failed(error):
            self._kiosk_busy = False
            Logger.warning(f"Spire: the kiosk's round failed ({type(error).__name__})")

        self.background.run(self.spire.kiosk.round, done, failed)

    def _stop_kiosk_rounds(self) -> None:
        if self._kiosk_timer is not None:
            self._kiosk_timer.cancel()
            self._kiosk_timer = None
        self._kiosk_busy = False

    def kiosk_closed(self) -> None:
        """The PIN closed the kiosk: the day again, the surveys' screen, and what waits
        is sent (a single answer waits for more, unless the survey closes today)."""
        self._stop_kiosk_rounds()
        self.start_day()
        self.show("surveys")
        self.background.run(self.spire.kiosk.deliver, self._kiosk_delivered, self.failed)

    def _kiosk_delivered(self, report) -> None:
        tr = self.tr
        if report.delivered:
            self.say(
                tr.ngettext(
                    "{count} answer sent to Spire",
                    "{count} answers sent to Spire",
                    report.delivered,
                ).format(count=report.delivered)
            )
        if report.undeliverable:
            inform(
                tr.gettext("Survey"),
                tr.ngettext(
                    "{count} answer could not be delivered: its code or the survey is gone.",
                    "{count} answers could not be delivered: their codes or the survey are gone.",
                    report.undeliverable,
                ).format(count=report.undeliverable),
            )
        self.update_screen()

    def kiosk_gone(self) -> None:
        """The login ended while the kiosk was open (on the server, say)."""
        self._stop_kiosk_rounds()
        self.to_login(self.tr.gettext("You are logged out. Log in again."))

    # What the updater found ---------------------------------------------------------------

    def write(self, change) -> bool:
        """Run a tap's write on the core (it goes to the outbox); then show it and send it
        soon. A locked app asks for the PIN, an ended login goes to the login screen:
        False, nothing written."""
        try:
            change()
        except Locked:
            self.lock()
            return False
        except LoggedOut:
            self.to_login(self.tr.gettext("You are logged out. Log in again."))
            return False
        self.changed()
        return True

    def changed(self) -> None:
        """The user changed something (it is in the outbox): show it, send it soon."""
        self.update_status()
        self.update_screen()
        self.updater.sync_soon()

    def reached(self, fetched) -> None:
        self.offline = False
        self.update_status()
        self.update_screen()
        if fetched.notices:
            self.banner.show(fetched.notices)
            phone.notify(self.banner.title, self.banner.text)
            if "notices" in self.screens:
                self.screens["notices"].update()

    def unreachable(self) -> None:
        self.offline = True
        self.update_status()
        self.update_screen()

    def failed(self, error: Exception) -> None:
        if isinstance(error, LoggedOut) or not self.spire.session.logged_in:
            self.to_login(self.tr.gettext("You are logged out. Log in again."))
            return
        Logger.exception("Spire: updating failed", exc_info=error)
        self.say(
            self.tr.gettext("Spire is not answering as it should right now. Trying again shortly.")
        )

    def say(self, text: str, seconds: float = 4) -> None:
        """A short message in the status line, for a few seconds."""
        self._said_until = time.monotonic() + seconds
        self.status = text
        Clock.schedule_once(lambda dt: self.update_status(), seconds + 0.05)

    def update_status(self) -> None:
        spire, tr = self.spire, self.tr
        if not spire.session.logged_in:
            return
        self.waiting = spire.outbox.pending_count()
        self.attention = spire.outbox.attention_count()
        departments = spire.session.departments
        self.department_names = [d["name"] for d in departments]
        self.department = (spire.session.department or {}).get("name", "")
        if time.monotonic() >= self._said_until:
            self.status = status_text(spire, tr, self.offline, self.waiting)

    def choose_department(self, name: str) -> None:
        session = self.spire.session
        chosen = next((d for d in session.departments if d["name"] == name), None)
        if chosen is None or chosen["id"] == session.department_id:
            return
        session.switch_department(chosen["id"])
        self.update_status()
        self.update_screen()
        self.updater.poll()

    def open_notice(self, notice: dict) -> None:
        """A notice tapped: its wake-up call, on the calls tab."""
        self.show("calls")
        self.screen("calls").open_notice(notice)

    # The moment the day's list first has its rows (measured by bench/) -------------------

    def list_ready(self, rows: int) -> None:
        if getattr(self, "_ready_told", False) or not rows:
            return
        self._ready_told = True
        seconds = time.monotonic() - self.started_at
        Logger.info(f"Spire: the day's list shows {rows} rows, {seconds:.3f} s after start")
        mark = os.environ.get("SPIRE_READY_FILE")
        if mark:
            Path(mark).write_text(json.dumps({"rows": rows, "at": time.time()}))
