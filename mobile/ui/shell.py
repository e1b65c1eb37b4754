"""What stays around the screens while a user is at work: a new notice's banner at the
top, taking its own room (it pushes the screen down, never hides its controls); the top
bar with the department (a switcher for a user of several), the way to what needs
attention and a menu (notices, the survey kiosk, log out); the status line (reachable or
not, how many changes wait, when Spire last answered); the screens; the tabs at the
bottom (today, wake-up calls, participants, the anonymous tally)."""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from kivy.app import App
from kivy.factory import Factory
from kivy.lang import Builder
from kivy.metrics import dp
from kivy.properties import BooleanProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.dropdown import DropDown
from kivy.uix.label import Label

from mobile.core.spire import Spire
from mobile.ui import banner, widgets  # noqa: F401 - their rules, before the shell's
from shared.i18n import Texts


class StatusLine(Label):
    offline = BooleanProperty(False)


Builder.load_file(str(Path(__file__).with_suffix(".kv")))


class Shell(BoxLayout):
    def open_menu(self, button) -> None:
        app = App.get_running_app()
        if app.kiosk_open:
            return  # the survey kiosk: nothing else of the app
        tr = app.tr
        menu = DropDown(auto_width=False, width=dp(240))
        for text, action in (
            (tr.gettext("Notices"), lambda: app.show("notices")),
            (tr.gettext("Survey"), lambda: app.show("surveys")),
            (tr.gettext("Needs attention"), lambda: app.show("attention")),
            (tr.gettext("Log out"), app.log_out),
        ):
            item = Factory.MenuItem(text=text)
            item.bind(on_release=lambda _, action=action: (menu.dismiss(), action()))
            menu.add_widget(item)
        menu.open(button)
        self.menu = menu


def status_text(spire: Spire, tr: Texts, offline: bool, waiting: int) -> str:
    """The status line: "Får ikke kontakt med Spire · 1 endring venter · Oppdatert kl.
    10.42" (whether Spire answers, how many changes wait, when it last answered)."""
    parts = []
    if offline:
        parts.append(tr.gettext("Cannot reach Spire"))
    if waiting:
        parts.append(
            tr.ngettext("{count} change waiting", "{count} changes waiting", waiting).format(
                count=waiting
            )
        )
    last = last_contact(spire)
    if last is not None:
        local = last.astimezone(ZoneInfo(spire.session.timezone()))
        parts.append(tr.gettext("Updated {time}").format(time=tr.time(local)))
    return " · ".join(parts)


def last_contact(spire: Spire) -> datetime | None:
    """When the phone last heard from Spire: a sync, or the day's list fetched."""
    moments = [spire.outbox.last_sync]
    try:
        moments.append(spire.day.read().fetched_at)
    except Exception:  # locked, or no department yet: nothing to tell
        pass
    moments = [m for m in moments if m is not None]
    return max(moments) if moments else None
