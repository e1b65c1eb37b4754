"""The notification on top of every screen: a new notice stays until it is closed."""

from pathlib import Path

from kivy.app import App
from kivy.lang import Builder
from kivy.properties import StringProperty
from kivy.uix.boxlayout import BoxLayout

Builder.load_file(str(Path(__file__).with_suffix(".kv")))


class Banner(BoxLayout):
    title = StringProperty("")
    text = StringProperty("")

    def show(self, notices: list[dict]) -> None:
        """The newest of the notices that just came; the title says how many there are."""
        count = len(notices)
        tr = App.get_running_app().tr
        self.title = (
            tr.ngettext("{count} new notice", "{count} new notices", count).format(count=count)
            if count > 1
            else tr.gettext("New notice")
        )
        self.text = notices[-1]["text"]

    def on_touch_down(self, touch):
        # Hidden, it must not take the taps meant for the screen beneath it.
        return super().on_touch_down(touch) if self.text else False
