"""Participants ("Deltakere"): everyone on the department's list, by name, with a search;
a tap opens the participant's page."""

from pathlib import Path

from kivy.app import App
from kivy.lang import Builder
from kivy.properties import StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.recycleview.views import RecycleDataViewBehavior
from kivy.uix.screenmanager import Screen

from mobile.core.session import Locked
from mobile.ui.today import state_of


class PersonRowView(RecycleDataViewBehavior, ButtonBehavior, BoxLayout):
    participant_id = StringProperty("")
    name = StringProperty("")
    detail = StringProperty("")


Builder.load_file(str(Path(__file__).with_suffix(".kv")))


class PeopleScreen(Screen):
    def update(self) -> None:
        spire = App.get_running_app().spire
        try:
            day = spire.day.read()
        except (LookupError, Locked):
            self.ids.rows.data = []
            return
        timezone = spire.session.timezone(day.department_id)
        wanted = self.ids.search.text.strip().casefold()
        rows = sorted(day.rows, key=lambda r: (r.first_name.casefold(), r.last_name.casefold()))
        self.ids.rows.data = [
            {"participant_id": r.participant_id, "name": r.name, "detail": state_of(r, timezone)}
            for r in rows
            if wanted in r.name.casefold()
        ]
