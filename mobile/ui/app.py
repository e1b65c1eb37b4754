"""The Spire app: log in, then the day's notices, polled from the server; a new one shows
as a banner on top of whatever screen is open."""

import os
import threading
from pathlib import Path

from kivy.app import App
from kivy.clock import Clock
from kivy.logger import Logger
from kivy.properties import ObjectProperty
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.screenmanager import ScreenManager

from mobile.core.client import BadAddress, Client, LoggedOut, Unreachable
from mobile.core.notices import NoticeFeed
from mobile.core.store import Store
from mobile.ui.banner import Banner
from mobile.ui.login import LoginScreen
from mobile.ui.notices import NoticesScreen
from shared import i18n

DEFAULT_SERVER = "http://127.0.0.1:5000"
POLL_SECONDS = 30


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

    def __init__(self, data_dir: str | None = None, poll_seconds: float = POLL_SECONDS, **kw):
        super().__init__(**kw)
        self._data_dir = data_dir
        self.poll_seconds = poll_seconds
        self._poller = None
        self._polling = False
        self._session = 0
        self.client: Client | None = None
        self.feed: NoticeFeed | None = None

    def speak(self, language: str | None) -> None:
        """Show every screen in ``language`` (one of Spire's), and keep it for next time."""
        if language in i18n.LANGUAGES and language != self.tr.language:
            self.tr = i18n.texts(language)
        self.store.put(language=self.tr.language)
        if self.client is not None:
            self.client.language = self.tr.language

    def build(self):
        self.store = Store(Path(self._data_dir or self.user_data_dir) / "spire.json")
        self.speak(self.store.get("language"))
        server = self.store.get("server_url") or os.environ.get("SPIRE_SERVER_URL")
        self.manager = ScreenManager()
        self.login_screen = LoginScreen(name="login", server_url=server or DEFAULT_SERVER)
        self.notices_screen = NoticesScreen(name="notices")
        self.manager.add_widget(self.login_screen)
        self.manager.add_widget(self.notices_screen)
        self.banner = Banner()
        root = FloatLayout()
        root.add_widget(self.manager)
        root.add_widget(self.banner)
        if server and self.store.get("refresh_token"):
            try:
                self._connect(server)
            except BadAddress:
                return root
            self._logged_in()
        return root

    # Work that waits on the network runs off the main thread; its result comes back on it,
    # unless the login it belonged to has ended since (``_session`` counts logins).

    def in_background(self, work, done, failed) -> None:
        session = self._session

        def back(callback, value):
            if session == self._session:
                callback(value)

        def run():
            try:
                result = work()
            except Exception as error:  # every failure goes to ``failed``, on the main thread
                Clock.schedule_once(lambda dt, error=error: back(failed, error))
            else:
                Clock.schedule_once(lambda dt: back(done, result))

        threading.Thread(target=run, daemon=True).start()

    def _connect(self, server: str) -> None:
        self.client = Client(server, self.store)
        self.client.language = self.tr.language
        self.feed = NoticeFeed(self.client, self.store)

    def log_in(self, server: str, username: str, password: str, failed) -> None:
        try:
            self._connect(server)
        except BadAddress as error:
            failed(error)
            return
        self.store.put(server_url=server)
        self.in_background(
            lambda: self.client.login(username, password),
            lambda user: (self.login_screen.done(), self._logged_in()),
            failed,
        )

    def _logged_in(self) -> None:
        self._session += 1
        user = self.store.get("user") or {}
        self.speak(user.get("language"))
        self.notices_screen.greeting = self.tr.gettext("Hi, {name}").format(
            name=user.get("full_name", "")
        )
        self.notices_screen.show(self.feed.recent)
        self.manager.current = "notices"
        self.poll()
        if self._poller is None:
            self._poller = Clock.schedule_interval(lambda dt: self.poll(), self.poll_seconds)

    def poll(self) -> None:
        """Ask for new notices, unless the last asking is still under way."""
        if self.feed is None or self._polling:
            return
        self._polling = True
        self.in_background(self.feed.poll, self._arrived, self._poll_failed)

    def _arrived(self, new: list[dict]) -> None:
        self._polling = False
        self.notices_screen.status = ""
        if new:
            self.notices_screen.show(self.feed.recent)
            self.banner.show(new)

    def _poll_failed(self, error: Exception) -> None:
        self._polling = False
        if isinstance(error, LoggedOut):
            self._to_login(self.tr.gettext("You are logged out. Log in again."))
        elif isinstance(error, Unreachable):
            self.notices_screen.status = self.tr.gettext(
                "Cannot reach Spire. Trying again shortly."
            )
        else:
            Logger.exception("Spire: polling for notices failed", exc_info=error)
            self.notices_screen.status = self.tr.gettext(
                "Spire is not answering as it should right now. Trying again shortly."
            )

    def log_out(self) -> None:
        """Forgotten on the phone at once; the server is told in the background."""
        tokens = self.client.tokens()
        self.client.forget()
        self._to_login("")
        self.in_background(lambda: self.client.revoke(tokens), lambda _: None, lambda _: None)

    def _to_login(self, reason: str) -> None:
        self._session += 1  # what the ended login still has under way is dropped
        self._polling = False
        if self._poller is not None:
            self._poller.cancel()
            self._poller = None
        self.feed.forget()  # the next person to log in sees none of these
        self.banner.text = ""
        self.login_screen.error = reason
        self.manager.current = "login"
