"""A new follow-up ("Ny oppfølging") in a few taps: the kind (big buttons), how long,
a note if any, save. It is queued like every write and shows on the participant's page
at once, marked as not sent yet until Spire has it."""

from pathlib import Path

from kivy.app import App
from kivy.factory import Factory
from kivy.lang import Builder
from kivy.properties import StringProperty
from kivy.uix.screenmanager import Screen

from mobile.ui.widgets import tr
from shared.labels import label
from shared.vocab import FollowUpKind

Builder.load_file(str(Path(__file__).with_suffix(".kv")))

MINUTES = (15, 30, 45, 60, 90)


class FollowUpScreen(Screen):
    participant_id = StringProperty("")
    who = StringProperty("")
    kind = StringProperty("")
    error = StringProperty("")

    def prepare(self, participant_id: str, who: str = "", **_) -> None:
        texts, ids = tr(), self.ids
        self.participant_id, self.who, self.kind, self.error = participant_id, who, "", ""
        ids.kinds.clear_widgets()
        for kind in FollowUpKind:
            # Kivy breaks a line at spaces only: "Hjemmebesøk/treffmøte" would be cut in
            # the middle of a word.
            button = Factory.KindButton(text=label(texts, kind).replace("/", " / "))
            button.kind = kind.value
            ids.kinds.add_widget(button)
        ids.minutes.clear_widgets()
        for minutes in MINUTES:
            button = Factory.MinutesButton(
                text=texts.gettext("{minutes} min").format(minutes=minutes)
            )
            button.minutes = minutes
            ids.minutes.add_widget(button)
        ids.note.text = ""
        ids.scroll.scroll_y = 1

    def kind_chosen(self) -> None:
        chosen = [b for b in self.ids.kinds.children if b.state == "down"]
        self.kind = chosen[0].kind if chosen else ""

    def save(self) -> None:
        app = App.get_running_app()
        if not self.kind:
            self.error = tr().gettext("Choose what kind of follow-up it was.")
            return
        chosen = [b.minutes for b in self.ids.minutes.children if b.state == "down"]
        saved = app.write(
            lambda: app.spire.followups.log(
                self.participant_id,
                self.kind,
                duration_minutes=chosen[0] if chosen else None,
                note=self.ids.note.text.strip() or None,
            )
        )
        if not saved:
            return
        app.back()
        app.say(tr().gettext("Follow-up saved."))
