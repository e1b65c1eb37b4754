"""The notification on top of every screen: a new notice stays until it is closed."""

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import StringProperty
from kivy.uix.boxlayout import BoxLayout

Builder.load_file(str(Path(__file__).with_suffix(".kv")))


class Banner(BoxLayout):
    text = StringProperty("")
