"""What stays around the screens while a user is at work: a new notice's banner at the
top, taking its own room (it pushes the screen down, never hides its controls); the top
bar with the department (a switcher for a user of several), the way to what needs
attention and a menu (notices, log out); the status line (reachable or not, how many
changes wait, when Spire last answered); the screens; the tabs at the bottom (today,
wake-up calls, participants)."""

from pathlib import Path

from kivy.app import App
from kivy.factory import Factory
from kivy.lang import Builder
from kivy.metrics import dp
from kivy.properties import BooleanProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.dropdown import DropDown
from kivy.uix.label import Label

from mobile.ui import banner, widgets  # noqa: F401 - their rules, before the shell's


class StatusLine(ButtonBehavior, Label):
    offline = BooleanProperty(False)


Builder.load_file(str(Path(__file__).with_suffix(".kv")))


class Shell(BoxLayout):
    def open_menu(self, button) -> None:
        app = App.get_running_app()
        tr = app.tr
        menu = DropDown(auto_width=False, width=dp(240))
        for text, action in (
            (tr.gettext("Notices"), lambda: app.show("notices")),
            (tr.gettext("Needs attention"), lambda: app.show("attention")),
            (tr.gettext("Log out"), app.log_out),
        ):
            item = Factory.MenuItem(text=text)
            item.bind(on_release=lambda _, action=action: (menu.dismiss(), action()))
            menu.add_widget(item)
        menu.open(button)
        self.menu = menu
