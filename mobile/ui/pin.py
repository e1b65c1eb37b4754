"""The PIN: chosen after the first login (4 to 6 digits, typed twice), then asked for when
the app comes back after a while in the background, or starts again. The password opens
it too (checked by Spire). Too many wrong PINs end the login: the core decides, and the
app goes back to the login screen. The same keys close the survey kiosk (``kiosk``):
only the staff's PIN leaves it."""

from pathlib import Path

from kivy.app import App
from kivy.lang import Builder
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.screenmanager import Screen

from mobile.core.client import ApiError, LoggedOut, Unreachable
from mobile.core.pin import BadPin
from mobile.core.session import PinLockOut, WrongPin
from mobile.ui.widgets import tr

Builder.load_file(str(Path(__file__).with_suffix(".kv")))

LONGEST = 6


class PinScreen(Screen):
    # "choose", "confirm" (the chosen one again), "unlock", "password", "kiosk" (to close it)
    mode = StringProperty("unlock")
    typed = StringProperty("")
    title = StringProperty("")
    hint = StringProperty("")
    other_way = StringProperty("")
    wrong = BooleanProperty(False)
    busy = BooleanProperty(False)

    def prepare(self, mode: str = "unlock") -> None:
        self._first = ""
        self._set(mode)

    def _set(self, mode: str, hint: str | None = None, wrong: bool = False) -> None:
        texts = tr()
        self.mode, self.typed, self.wrong, self.busy = mode, "", wrong, False
        self.ids.password.text = ""
        self.title = {
            "choose": texts.gettext("Choose a PIN"),
            "confirm": texts.gettext("Type the PIN again"),
            "unlock": texts.gettext("Type your PIN"),
            "password": texts.gettext("Type your password"),
            "kiosk": texts.gettext("Close the survey"),
        }[mode]
        self.hint = (
            hint
            or {
                "choose": texts.gettext("4 to 6 digits. It opens Spire on this phone."),
                "confirm": texts.gettext("The same digits once more."),
                "unlock": texts.gettext("Spire was locked while it was in the background."),
                "password": texts.gettext("The password you log in to Spire with."),
                "kiosk": texts.gettext("For staff: your PIN closes the survey on this phone."),
            }[mode]
        )
        self.other_way = {
            "unlock": texts.gettext("Use the password instead"),
            "password": texts.gettext("Use the PIN instead"),
            "kiosk": texts.gettext("Back to the survey"),
        }.get(mode, "")

    def key(self, digit: str) -> None:
        if len(self.typed) < LONGEST and not self.busy:
            self.typed += digit

    def erase(self) -> None:
        self.typed = self.typed[:-1]

    def switch(self) -> None:
        if self.mode == "kiosk":
            App.get_running_app().show("kiosk")
            return
        self._set("password" if self.mode == "unlock" else "unlock")

    def submit(self) -> None:
        pin, app = self.typed, App.get_running_app()
        if len(pin) < 4 or self.busy:
            return
        if self.mode == "choose":
            self._first = pin
            self._set("confirm")
        elif self.mode == "confirm":
            if pin != self._first:
                self._first = ""
                self._set("choose", tr().gettext("The two PINs were not the same. Again."), True)
                return
            try:
                app.spire.session.set_pin(pin)
            except BadPin:
                self._set("choose", tr().gettext("4 to 6 digits."), True)
                return
            app.start_day()
        elif self.mode == "kiosk":
            self.busy = True
            app.background.run(
                lambda: app.spire.kiosk.close(pin), lambda _: app.kiosk_closed(), self._refused
            )
        elif self.mode == "unlock":
            # Slow on purpose (scrypt), and the last wrong one revokes over the network.
            self.busy = True
            app.background.run(
                lambda: app.spire.session.unlock(pin), lambda _: app.start_day(), self._refused
            )

    def submit_password(self) -> None:
        password, app = self.ids.password.text, App.get_running_app()
        if not password or self.busy:
            return
        self.busy = True
        app.background.run(
            lambda: app.spire.session.unlock_with_password(password),
            lambda _: app.start_day(),
            self._refused,
        )

    def _refused(self, error: Exception) -> None:
        texts, app = tr(), App.get_running_app()
        if isinstance(error, WrongPin):
            self._set(
                "kiosk" if self.mode == "kiosk" else "unlock",
                texts.ngettext(
                    "Wrong PIN. {count} try left.",
                    "Wrong PIN. {count} tries left.",
                    error.tries_left,
                ).format(count=error.tries_left),
                True,
            )
        elif isinstance(error, PinLockOut | LoggedOut):
            app.to_login(texts.gettext("Too many wrong PINs. Log in again with your password."))
        elif isinstance(error, Unreachable):
            self._set("password", texts.gettext("Cannot reach Spire. Use the PIN, or try later."))
            self.wrong = True
        elif isinstance(error, ApiError) and error.status in (400, 401, 422):
            self._set("password", texts.gettext("Wrong password."), True)
        else:
            self._set(self.mode, texts.gettext("Spire is not answering as it should right now."))
