"""A new notice, at the top of the window until it is closed; one about a wake-up call
leads straight to that call when tapped."""

from pathlib import Path

from kivy.app import App
from kivy.lang import Builder
from kivy.properties import BooleanProperty, DictProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from mobile.ui import widgets  # noqa: F401 - the buttons' look

Builder.load_file(str(Path(__file__).with_suffix(".kv")))


class Banner(BoxLayout):
    title = StringProperty("")
    text = StringProperty("")
    notice = DictProperty({})
    leads_to_call = BooleanProperty(False)

    def show(self, notices: list[dict]) -> None:
        """The newest of the notices that just came; the title says how many there are."""
        count = len(notices)
        tr = App.get_running_app().tr
        self.title = (
            tr.ngettext("{count} new notice", "{count} new notices", count).format(count=count)
            if count > 1
            else tr.gettext("New notice")
        )
        self.notice = notices[-1]
        self.leads_to_call = bool(self.notice.get("participant_id"))
        self.text = self.notice["text"]

    def open_notice(self) -> None:
        notice = dict(self.notice)
        self.text = ""
        App.get_running_app().open_notice(notice)

    def on_touch_down(self, touch):
        if not self.text or not self.collide_point(*touch.pos):
            return False  # hidden, it takes no taps; shown, only its own
        if super().on_touch_down(touch):
            return True
        if self.ids.message.collide_point(*touch.pos) and self.leads_to_call:
            self.open_notice()  # the message itself leads to the call
        return True
