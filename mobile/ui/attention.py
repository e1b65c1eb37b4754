"""Needs attention ("Må ses på"): each change Spire refused, with Spire's own reason. The
user corrects it where that makes sense (another absence reason, say), and it is sent
again; or discards it, after confirming. Below, the changes still waiting to be sent."""

import json
from pathlib import Path

from kivy.app import App
from kivy.factory import Factory
from kivy.lang import Builder
from kivy.metrics import dp
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.screenmanager import Screen

from mobile.core.outbox import Entry, Kind, State
from mobile.core.session import Locked
from mobile.ui.widgets import choose, confirm, tr
from shared.labels import label
from shared.vocab import AbsenceReason, WakeupOutcome


class RefusedItem(BoxLayout):
    op_id = StringProperty("")
    summary = StringProperty("")
    reason = StringProperty("")
    correctable = BooleanProperty(False)

    def on_correctable(self, _, correctable: bool) -> None:
        if correctable:
            button = Factory.SpireButton(text=tr().gettext("Correct"), height=dp(50))
            button.bind(
                on_release=lambda _: App.get_running_app().screen("attention").correct(self.op_id)
            )
            self.ids.buttons.add_widget(button, index=len(self.ids.buttons.children))


Builder.load_file(str(Path(__file__).with_suffix(".kv")))


def takes_a_reason(entry: Entry) -> bool:
    """A write that another absence reason may put right: an absence, or a wake-up call
    answered "not coming", that Spire refused for its reason. (Refused for another
    cause, a participant moved away say, no correction helps: it is discarded.)"""
    if entry.body is None or "absence_reason" not in json.dumps(entry.errors):
        return False
    return entry.kind == Kind.ABSENT or (
        entry.kind == Kind.WAKEUP_ATTEMPT
        and entry.body.get("outcome") == WakeupOutcome.ANSWERED_NOT_COMING
    )


def reason_of(entry: Entry) -> str:
    """Spire's message, and what it said of each field."""
    lines = [entry.message] if entry.message else []
    for location in (entry.errors or {}).values():
        if isinstance(location, dict):
            for messages in location.values():
                lines += [str(m) for m in (messages if isinstance(messages, list) else [messages])]
    return "\n".join(lines)


class AttentionScreen(Screen):
    def update(self) -> None:
        app, texts = App.get_running_app(), tr()
        items = self.ids.content
        items.clear_widgets()
        try:
            refused = app.spire.outbox.entries(State.ATTENTION)
            waiting = app.spire.outbox.entries(State.PENDING)
        except Locked:
            return
        if not refused:
            items.add_widget(Factory.Ink(text=texts.gettext("Spire has refused nothing.")))
        for entry in refused:
            item = RefusedItem(
                op_id=entry.op_id, summary=entry.summary(texts), reason=reason_of(entry)
            )
            item.correctable = takes_a_reason(entry)  # once its rule has made its buttons
            items.add_widget(item)
        items.add_widget(Factory.Section(text=texts.gettext("Waiting to be sent")))
        if not waiting:
            items.add_widget(Factory.Muted(text=texts.gettext("Nothing waits.")))
        for entry in waiting:
            items.add_widget(Factory.Ink(text=entry.summary(texts), font_size="16sp"))

    def correct(self, op_id: str) -> None:
        app, texts = App.get_running_app(), tr()
        entry = app.spire.outbox.get(op_id)
        if entry is None or not takes_a_reason(entry):
            return

        def corrected(reason: str) -> None:
            app.spire.outbox.correct(op_id, {**entry.body, "absence_reason": reason})
            app.changed()

        choose(
            texts.gettext("Another absence reason"),
            [(reason.value, label(texts, reason)) for reason in AbsenceReason],
            corrected,
        )

    def discard(self, op_id: str) -> None:
        app, texts = App.get_running_app(), tr()
        entry = app.spire.outbox.get(op_id)
        if entry is None:
            return

        def discarded() -> None:
            app.spire.outbox.discard(op_id)
            app.changed()

        confirm(
            texts.gettext("Discard this change?"),
            entry.summary(texts) + "\n" + texts.gettext("It will not reach Spire."),
            texts.gettext("Discard"),
            discarded,
            danger=True,
        )
