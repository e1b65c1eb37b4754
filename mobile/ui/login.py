"""Logging in: server address, username and password; a clear message, in the app's
language, when it fails, and what was typed stays in the fields."""

from pathlib import Path

from kivy.app import App
from kivy.lang import Builder
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.screenmanager import Screen

from mobile.core.client import ApiError, BadAddress, Unreachable
from mobile.ui import widgets  # noqa: F401 - the buttons' look

Builder.load_file(str(Path(__file__).with_suffix(".kv")))


def _tr():
    """The app's texts, in the language it speaks now."""
    return App.get_running_app().tr


class LoginScreen(Screen):
    server_url = StringProperty("")
    error = StringProperty("")
    busy = BooleanProperty(False)

    def submit(self) -> None:
        if self.busy:
            return
        ids = self.ids
        if not ids.username.text.strip() or not ids.password.text:
            self.error = _tr().gettext("Fill in username and password.")
            return
        self.busy, self.error = True, ""
        App.get_running_app().log_in(
            ids.server.text.strip(), ids.username.text.strip(), ids.password.text, self.failed
        )

    def failed(self, error: Exception) -> None:
        self.busy = False
        status = error.status if isinstance(error, ApiError) else None
        if isinstance(error, BadAddress):
            self.error = _tr().gettext(
                "Check the server address (for example https://spire.example.no)."
            )
        elif isinstance(error, Unreachable):
            self.error = _tr().gettext("Cannot reach Spire. Check the network and try again.")
        elif status == 429:
            self.error = _tr().gettext("Too many attempts. Wait a little and try again.")
        elif status in (400, 401, 422):
            self.error = _tr().gettext("Wrong username or password.")
        else:
            self.error = _tr().gettext(
                "Spire is not answering as it should right now. Trying again shortly."
            )

    def done(self) -> None:
        self.busy = False
        self.ids.password.text = ""
