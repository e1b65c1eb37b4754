"""The staff member's notices of the day, newest first (the banner shows each new one)."""

from datetime import datetime
from pathlib import Path

from kivy.app import App
from kivy.lang import Builder
from kivy.properties import StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.screenmanager import Screen

from mobile.ui.widgets import tr


class NoticeRow(BoxLayout):
    text = StringProperty("")
    when = StringProperty("")


Builder.load_file(str(Path(__file__).with_suffix(".kv")))


def when(notice: dict) -> str:
    """``Mandag 23. november 2026 kl. 07.00``, in the phone's time zone."""
    text = tr().date_and_time(datetime.fromisoformat(notice["sent_at"]).astimezone())
    return text[:1].upper() + text[1:]


class NoticesScreen(Screen):
    greeting = StringProperty("")

    def update(self) -> None:
        spire = App.get_running_app().spire
        user = spire.session.user or {}
        self.greeting = tr().gettext("Hi, {name}").format(name=user.get("full_name", ""))
        rows = self.ids.rows
        rows.clear_widgets()
        notices = spire.notices.recent
        if not notices:
            rows.add_widget(NoticeRow(text=tr().gettext("No notices yet.")))
        for notice in notices:
            rows.add_widget(NoticeRow(text=notice["text"], when=when(notice)))
