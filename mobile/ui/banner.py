"""The notification on top of every screen: a new notice stays until it is closed."""

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import StringProperty
from kivy.uix.boxlayout import BoxLayout

from shared.messages_nb import message

Builder.load_file(str(Path(__file__).with_suffix(".kv")))


class Banner(BoxLayout):
    title = StringProperty("")
    text = StringProperty("")

    def show(self, notices: list[dict]) -> None:
        """The newest of the notices that just came; the title says how many there are."""
        count = len(notices)
        self.title = (
            message("app.notices.new_many", count=count)
            if count > 1
            else (message("app.notices.new"))
        )
        self.text = notices[-1]["text"]

    def on_touch_down(self, touch):
        # Hidden, it must not take the taps meant for the screen beneath it.
        return super().on_touch_down(touch) if self.text else False
