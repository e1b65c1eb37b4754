"""The survey kiosk, as the participant sees it: the survey's title, its intro and its
questions (a scale of 1 to 5 as big buttons with what the ends mean, yes or no, one of
some options, a text that may be left empty), and *Send*; then a thank-you, and the
survey afresh for the next person. Nothing else of the app is reachable (``app.py``
locks it); *Staff* asks for the PIN.

Each participant gets new widgets: nothing of one person's answers (a tapped button, a
text field's undo) is left for the next. A form left half filled is cleared after
``IDLE_SECONDS`` untouched. What was answered goes only to the core (``Kiosk.answer``),
never to a log."""

import time
from functools import partial
from pathlib import Path

from kivy.app import App
from kivy.clock import Clock
from kivy.factory import Factory
from kivy.lang import Builder
from kivy.metrics import dp
from kivy.properties import BooleanProperty, OptionProperty, StringProperty
from kivy.uix.gridlayout import GridLayout
from kivy.uix.screenmanager import Screen

from mobile.core.kiosk import MAX_TEXT, NoCodes, NothingAnswered, NotOpen, NotReady
from mobile.ui.widgets import tr
from shared.vocab import QuestionKind

Builder.load_file(str(Path(__file__).with_suffix(".kv")))

THANKS_SECONDS = 8  # the thank-you shows this long, then the survey for the next person
IDLE_SECONDS = 180  # a form untouched this long is cleared


class KioskScreen(Screen):
    stage = OptionProperty("form", options=["form", "thanks"])
    title = StringProperty("")
    intro = StringProperty("")
    error = StringProperty("")
    answered = BooleanProperty(False)  # at least one question answered: Send may go

    def __init__(self, **kw):
        super().__init__(**kw)
        self.survey_id: str | None = None
        self.answers: dict = {}
        self._round = 0  # one more for each person: their buttons' groups are their own
        self._touched = time.monotonic()
        self._thanks = None
        self._idle = None

    def prepare(self, fresh: bool = False) -> None:
        """The open survey's form: a new one when ``fresh``, or for another survey; one
        half filled stays (the staff button was tapped by mistake)."""
        kiosk = App.get_running_app().spire.kiosk
        survey_id = kiosk.open_survey_id
        if fresh or survey_id != self.survey_id or not self.ids.questions.children:
            self.survey_id = survey_id
            self.next_person()

    def on_stage(self, _screen, stage: str) -> None:
        self.ids.stages.current = stage

    def on_enter(self, *_) -> None:
        self._idle = Clock.schedule_interval(lambda dt: self._check_idle(), 10)

    def on_leave(self, *_) -> None:
        if self._idle is not None:
            self._idle.cancel()
            self._idle = None

    def on_touch_down(self, touch):
        self._touched = time.monotonic()
        return super().on_touch_down(touch)

    def _check_idle(self) -> None:
        if self.stage == "form" and self.answers:
            if time.monotonic() - self._touched > IDLE_SECONDS:
                self.next_person()

    # The form ---------------------------------------------------------------------------

    def next_person(self) -> None:
        """The survey afresh, at its top."""
        if self._thanks is not None:
            self._thanks.cancel()
            self._thanks = None
        survey = App.get_running_app().spire.kiosk.survey(self.survey_id or "") or {}
        self.title = survey.get("title", "")
        self.intro = survey.get("intro") or ""
        self._build(survey.get("questions") or [])
        self.error = ""
        self.stage = "form"
        self.ids.scroll.scroll_y = 1

    def _build(self, questions: list[dict]) -> None:
        self._round += 1
        self.answers = {}
        self.answered = False
        box = self.ids.questions
        box.clear_widgets()
        for question in questions:
            card = Factory.KioskQuestion()
            card.ids.text.text = question["text"]
            for widget in self._controls(question):
                card.ids.controls.add_widget(widget)
            box.add_widget(card)

    def _controls(self, question: dict) -> list:
        """The widgets that answer the question, wired to ``self.answers``."""
        texts, key = tr(), question["id"]
        group = f"kiosk-{self._round}-{key}"
        kind = question["kind"]
        if kind == QuestionKind.TEXT:
            field = Factory.KioskText()
            field.bind(text=partial(self._typed, key))
            return [field]
        if kind == QuestionKind.SCALE:
            row = GridLayout(cols=5, spacing=dp(6), size_hint_y=None, height=dp(60))
            for value in range(1, 6):
                row.add_widget(self._button("ScaleButton", str(value), group, key, value))
            ends = Factory.ScaleEnds()  # what 1 and 5 mean, under them
            ends.low = texts.gettext("Strongly disagree")
            ends.high = texts.gettext("Strongly agree")
            return [row, ends]
        if kind == QuestionKind.YES_NO:
            row = GridLayout(cols=2, spacing=dp(8), size_hint_y=None, height=dp(60))
            row.add_widget(self._button("KioskChoice", texts.gettext("Yes"), group, key, True))
            row.add_widget(self._button("KioskChoice", texts.gettext("No"), group, key, False))
            return [row]
        return [
            self._button("KioskChoice", option, group, key, option)
            for option in question.get("options") or []
        ]

    def _button(self, style: str, text: str, group: str, key: str, value):
        button = Factory.get(style)(text=text, group=group)
        button.answer = value
        button.bind(state=partial(self._chosen, key, value))
        return button

    def _chosen(self, key: str, value, _button, state: str) -> None:
        if state == "down":
            self.answers[key] = value
        elif self.answers.get(key) == value and type(self.answers[key]) is type(value):
            del self.answers[key]
        self._changed()

    def _typed(self, key: str, field, text: str) -> None:
        if len(text) > MAX_TEXT:
            field.text = text[:MAX_TEXT]
            return
        self.answers[key] = text
        self._touched = time.monotonic()
        self._changed()

    def _changed(self) -> None:
        self.answered = any(
            value is not None and not (isinstance(value, str) and not value.strip())
            for value in self.answers.values()
        )

    # Sending ----------------------------------------------------------------------------

    def send(self) -> None:
        """Stored on the phone with a code of its own; the thank-you; the form cleared."""
        app, texts = App.get_running_app(), tr()
        try:
            app.spire.kiosk.answer(dict(self.answers))
        except NothingAnswered:
            return
        except NoCodes:
            self.error = texts.gettext(
                "This phone cannot take more answers right now. Please give it back to the staff."
            )
            return
        except (NotOpen, NotReady):
            app.kiosk_gone()
            return
        self._build([])  # the answers leave the screen at once
        self.stage = "thanks"
        self._thanks = Clock.schedule_once(lambda dt: self.next_person(), THANKS_SECONDS)
        app.kiosk_soon()
