"""What every screen uses: the look (``widgets.kv``: buttons, texts, the way back) and
the dialogs: a question to confirm, a choice among big buttons, a message."""

from collections.abc import Callable, Sequence
from pathlib import Path

from kivy.app import App
from kivy.factory import Factory
from kivy.lang import Builder
from kivy.metrics import dp
from kivy.properties import ColorProperty, StringProperty
from kivy.uix.button import Button
from kivy.uix.modalview import ModalView


class SpireButton(Button):
    """The app's button: flat, rounded, at least 48 dp high; filled by default."""

    bg = ColorProperty((0.09, 0.33, 0.40, 1))
    bg_down = ColorProperty((0.05, 0.21, 0.26, 1))
    bg_disabled = ColorProperty((0.62, 0.64, 0.65, 1))
    edge = ColorProperty((0, 0, 0, 0))
    ink = ColorProperty((1, 1, 1, 1))


class PlainButton(SpireButton):
    pass


class DangerButton(SpireButton):
    pass


Builder.load_file(str(Path(__file__).with_suffix(".kv")))


def tr():
    """The app's texts, in the language it speaks now."""
    return App.get_running_app().tr


class Dialog(ModalView):
    title = StringProperty("")
    text = StringProperty("")

    def button(self, text: str, action: Callable[[], None] | None, style: str = "PlainButton"):
        """A button at the foot of the dialog: it closes the dialog, then does ``action``."""
        button = Factory.get(style)(text=text)

        def pressed(*_):
            self.dismiss()
            if action is not None:
                action()

        button.bind(on_release=pressed)
        self.ids.buttons.add_widget(button)
        return button


def confirm(
    title: str, text: str, yes: str, on_yes: Callable[[], None], danger: bool = False
) -> Dialog:
    """Ask before something that cannot be taken back: "Cancel" or ``yes``."""
    dialog = Dialog(title=title, text=text)
    dialog.button(tr().gettext("Cancel"), None)
    dialog.button(yes, on_yes, "DangerButton" if danger else "SpireButton")
    dialog.open()
    return dialog


def choose(
    title: str, options: Sequence[tuple[str, str]], on_choice: Callable[[str], None]
) -> Dialog:
    """One tap among big buttons (``(value, label)``), or "Cancel"."""
    dialog = Dialog(title=title)
    for value, label in options:
        button = Factory.SpireButton(text=label, height=dp(56))
        button.choice = value

        def chosen(button):
            dialog.dismiss()
            on_choice(button.choice)

        button.bind(on_release=chosen)
        dialog.ids.extra.add_widget(button)
    dialog.button(tr().gettext("Cancel"), None)
    dialog.open()
    return dialog


def inform(title: str, text: str) -> Dialog:
    dialog = Dialog(title=title, text=text)
    dialog.button(tr().gettext("OK"), None, "SpireButton")
    dialog.open()
    return dialog
