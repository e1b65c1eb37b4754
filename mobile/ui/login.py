"""Logging in: server address, username and password; a clear Norwegian message when it
fails, and what was typed stays in the fields."""

from pathlib import Path

from kivy.app import App
from kivy.lang import Builder
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.screenmanager import Screen

from mobile.core.client import ApiError, BadAddress, Unreachable
from shared.messages_nb import message

Builder.load_file(str(Path(__file__).with_suffix(".kv")))


class LoginScreen(Screen):
    server_url = StringProperty("")
    error = StringProperty("")
    busy = BooleanProperty(False)

    def submit(self) -> None:
        if self.busy:
            return
        ids = self.ids
        if not ids.username.text.strip() or not ids.password.text:
            self.error = message("app.login.missing")
            return
        self.busy, self.error = True, ""
        App.get_running_app().log_in(
            ids.server.text.strip(), ids.username.text.strip(), ids.password.text, self.failed
        )

    def failed(self, error: Exception) -> None:
        self.busy = False
        status = error.status if isinstance(error, ApiError) else None
        if isinstance(error, BadAddress):
            self.error = message("app.login.bad_server")
        elif isinstance(error, Unreachable):
            self.error = message("app.login.offline")
        elif status == 429:
            self.error = message("app.login.throttled")
        elif status in (400, 401, 422):
            self.error = message("app.login.failed")
        else:
            self.error = message("app.server_error")

    def done(self) -> None:
        self.busy = False
        self.ids.password.text = ""
