"""The staff member's notices of the day, newest first."""

from datetime import datetime
from pathlib import Path

from kivy.lang import Builder
from kivy.properties import StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.screenmanager import Screen

from shared.i18n import texts
from shared.messages_nb import message


class NoticeRow(BoxLayout):
    text = StringProperty("")
    when = StringProperty("")


Builder.load_file(str(Path(__file__).with_suffix(".kv")))


def when(notice: dict) -> str:
    """``Mandag 23. november 2026 kl. 07.00``, in the phone's time zone."""
    text = texts("nb").date_and_time(datetime.fromisoformat(notice["sent_at"]).astimezone())
    return text[:1].upper() + text[1:]


class NoticesScreen(Screen):
    greeting = StringProperty("")
    status = StringProperty("")

    def show(self, notices: list[dict]) -> None:
        rows = self.ids.rows
        rows.clear_widgets()
        if not notices:
            rows.add_widget(NoticeRow(text=message("app.notices.empty")))
        for notice in notices:
            rows.add_widget(NoticeRow(text=notice["text"], when=when(notice)))
