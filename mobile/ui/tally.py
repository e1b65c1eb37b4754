"""Anonymous tally ("Anonym registrering") in two taps, with no name: tap 1 the activity,
tap 2 who it was with (woman, man, public agency, children and youth, not stated), and it
is saved. Before tap 2, if need be: how many (+/−), a first contact, yesterday instead of
today. The confirmation says what was saved, with Angre (undo) beside it; each activity
shows how many this phone counted today. Works offline: the activities are kept on the
phone and the tally waits in the outbox."""

from pathlib import Path

from kivy.app import App
from kivy.factory import Factory
from kivy.lang import Builder
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.screenmanager import Screen

from mobile.core.session import Locked
from mobile.core.tallies import MAX_COUNT
from mobile.ui.widgets import tr
from shared.labels import label
from shared.vocab import TallyWho

Builder.load_file(str(Path(__file__).with_suffix(".kv")))


class TallyScreen(Screen):
    activity_id = StringProperty("")
    count = NumericProperty(1)
    first_contact = BooleanProperty(False)
    yesterday = BooleanProperty(False)
    saved = StringProperty("")  # what the last tap saved, for the confirmation
    empty = StringProperty("")
    _fetching = False

    def update(self) -> None:
        """The activities with today's counts, and the who-buttons, from the phone."""
        app = App.get_running_app()
        texts, ids = tr(), self.ids
        try:
            activities = app.spire.tallies.activities()
            counts = app.spire.tallies.counts_today()
        except (LookupError, Locked):
            activities, counts = [], {}
        if not activities:
            self._fetch()
        self.empty = "" if activities else texts.gettext("Fetching the activities …")
        if self.activity_id not in {a["id"] for a in activities}:
            self.activity_id = ""
        ids.activities.clear_widgets()
        for activity in activities:
            counted = counts.get(activity["id"], 0)
            text = activity["name"].replace("/", " / ")
            if counted:
                today = texts.gettext("Today: {count}").format(count=counted)
                text += f"\n[size=14sp]{today}[/size]"
            button = Factory.ActivityButton(text=text)
            button.activity_id = activity["id"]
            button.state = "down" if activity["id"] == self.activity_id else "normal"
            ids.activities.add_widget(button)
        if not ids.whos.children:
            for who in TallyWho:
                button = Factory.WhoButton(text=label(texts, who))
                button.who = who.value
                button.disabled = not self.activity_id
                ids.whos.add_widget(button)
        else:
            for button in ids.whos.children:
                button.text = label(texts, button.who, TallyWho)

    def on_activity_id(self, *_) -> None:
        """Who is tapped once the activity is: until then, those buttons wait."""
        for button in self.ids.whos.children:
            button.disabled = not self.activity_id

    def _fetch(self) -> None:
        """The activities from Spire, once at a time, in the background."""
        app = App.get_running_app()
        if self._fetching:
            return
        self._fetching = True

        def done(_):
            self._fetching = False
            if app.manager.current == self.name:
                self.update()

        def failed(_error):
            self._fetching = False

        app.background.run(app.spire.tallies.refresh, done, failed)

    def activity_chosen(self, button) -> None:
        if button.state == "down":
            self.activity_id = button.activity_id
        elif self.activity_id == button.activity_id:
            self.activity_id = ""

    def step(self, by: int) -> None:
        self.count = max(1, min(MAX_COUNT, self.count + by))

    def record(self, who: str) -> None:
        """Tap 2: saved."""
        app = App.get_running_app()
        if not self.activity_id:
            return
        entries = []

        def write():
            entries.append(
                app.spire.tallies.record(
                    self.activity_id,
                    who,
                    count=self.count,
                    first_contact=self.first_contact,
                    yesterday=self.yesterday,
                )
            )

        if not app.write(write):
            return
        self.saved = self._saying(entries[0].facts)
        self.activity_id, self.count = "", 1
        self.first_contact = self.yesterday = False
        self.update()

    def _saying(self, facts: dict) -> str:
        texts = tr()
        text = texts.gettext("Saved: {activity}, {who}").format(
            activity=facts["activity_name"], who=label(texts, facts["who"], TallyWho)
        )
        if facts["count"] > 1:
            text += f" × {facts['count']}"
        return text

    def undo(self) -> None:
        app = App.get_running_app()
        undone = []
        if not app.write(lambda: undone.append(app.spire.tallies.undo())):
            return
        self.saved = ""
        if undone and undone[0] is not None:
            app.say(tr().gettext("Undone: {activity}").format(activity=undone[0].recorded.activity))
        self.update()
