"""Wake-up calls ("Vekking"): the morning's calls at the department in the order they are
due (those still to make first; each says its group), the number as people write it.
Tapping the number opens the phone's dialler with it (on a desktop the number is shown,
big); then one tap logs how the call went. "Answered, not coming" asks the absence's
reason. A call due again, or one where a home visit is advised, stands out."""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from kivy.app import App
from kivy.factory import Factory
from kivy.lang import Builder
from kivy.metrics import dp, sp
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label
from kivy.uix.recycleview.views import RecycleDataViewBehavior
from kivy.uix.screenmanager import Screen

from mobile.core.calls import Call
from mobile.core.session import Locked
from mobile.ui import phone
from mobile.ui.widgets import Dialog, choose, tr
from shared.labels import label
from shared.vocab import AbsenceReason, WakeupOutcome, WakeupStatus


class CallRowView(RecycleDataViewBehavior, BoxLayout):
    call_id = StringProperty("")
    name = StringProperty("")
    due = StringProperty("")
    state = StringProperty("")
    number = StringProperty("")
    open = BooleanProperty(True)
    stands_out = BooleanProperty(False)
    attention = BooleanProperty(False)


Builder.load_file(str(Path(__file__).with_suffix(".kv")))


def when_due(call: Call) -> datetime:
    return call.next_due_at or call.due_at


def in_due_order(calls: list[Call]) -> list[Call]:
    """The calls still to make first, soonest due first; then those done."""
    return sorted(calls, key=lambda c: (c.status != WakeupStatus.PENDING, when_due(c), c.name))


def state_of(call: Call) -> str:
    texts = tr()
    parts = []
    if call.attention:
        parts.append(texts.gettext("Needs attention"))
    if call.status != WakeupStatus.PENDING:
        outcome = label(texts, call.outcome, WakeupOutcome) if call.outcome else ""
        parts.append(label(texts, call.status, WakeupStatus) + (f": {outcome}" if outcome else ""))
    elif call.home_visit:
        parts.append(texts.gettext("Home visit advised"))
    elif call.due_again:
        parts.append(texts.gettext("Call again"))
    else:
        parts.append(texts.gettext("To call"))
    if call.unanswered and call.status == WakeupStatus.PENDING:
        parts.append(
            texts.ngettext("{count} unanswered", "{count} unanswered", call.unanswered).format(
                count=call.unanswered
            )
        )
    if call.waiting:
        parts.append(texts.gettext("not sent yet"))
    if call.group:
        parts.append(call.group.get("name", ""))
    return " · ".join(parts)


class CallsScreen(Screen):
    counts = StringProperty("")
    empty = StringProperty("")

    def update(self) -> None:
        spire = App.get_running_app().spire
        texts = tr()
        try:
            calls = in_due_order(spire.calls.read())
        except (LookupError, Locked):
            calls = []
        zone = ZoneInfo(spire.session.timezone())
        to_make = [c for c in calls if c.status == WakeupStatus.PENDING]
        self.counts = (
            texts.gettext("To call {open} · Done {done}").format(
                open=len(to_make), done=len(calls) - len(to_make)
            )
            if calls
            else ""
        )
        self.empty = "" if calls else texts.gettext("No wake-up calls this morning.")
        self.ids.rows.data = [
            {
                "call_id": call.id,
                "name": call.name,
                "due": texts.time(when_due(call).astimezone(zone)),
                "state": state_of(call),
                "number": call.phone_shown,
                "open": call.status == WakeupStatus.PENDING,
                "stands_out": call.stands_out and call.status == WakeupStatus.PENDING,
                "attention": call.attention,
            }
            for call in calls
        ]

    def _call(self, call_id: str) -> Call | None:
        return App.get_running_app().spire.calls.find(call_id)

    def dial(self, call_id: str) -> None:
        """The dialler with the number (on a phone), and the call's outcomes at hand."""
        call = self._call(call_id)
        if call is None:
            return
        phone.dial(call.tel)
        self.ask_outcome(call_id)

    def ask_outcome(self, call_id: str) -> None:
        call = self._call(call_id)
        if call is None:
            return
        texts = tr()
        sheet = Dialog(title=call.name, text=state_of(call))
        if call.phone_shown:
            number = (
                Factory.SpireButton(
                    text=call.phone_shown, bold=True, font_size=sp(28), height=dp(64)
                )
                if phone.can_dial()
                else Label(
                    text=call.phone_shown,
                    bold=True,
                    font_size=sp(30),
                    color=(0.1, 0.2, 0.25, 1),
                    size_hint_y=None,
                    height=dp(56),
                )
            )
            if phone.can_dial():
                number.bind(on_release=lambda *_: phone.dial(call.tel))
            sheet.ids.extra.add_widget(number)
        if call.status == WakeupStatus.PENDING:
            for outcome in WakeupOutcome:
                button = Factory.SpireButton(text=label(texts, outcome), height=dp(54))
                button.bind(
                    on_release=lambda _, outcome=outcome: (
                        sheet.dismiss(),
                        self.log(call, outcome),
                    )
                )
                sheet.ids.extra.add_widget(button)
        sheet.button(texts.gettext("Close"), None)
        sheet.open()
        self.sheet = sheet

    def log(self, call: Call, outcome: WakeupOutcome) -> None:
        if outcome == WakeupOutcome.ANSWERED_NOT_COMING:
            texts = tr()
            choose(
                texts.gettext("Absence: {name}").format(name=call.name),
                [(reason.value, label(texts, reason)) for reason in AbsenceReason],
                lambda reason: self._log(call, outcome, reason),
            )
        else:
            self._log(call, outcome, None)

    def _log(self, call: Call, outcome: WakeupOutcome, reason: str | None) -> None:
        App.get_running_app().write(
            lambda: App.get_running_app().spire.calls.log_outcome(
                call.id, outcome, absence_reason=reason
            )
        )

    def open_notice(self, notice: dict) -> None:
        """The call a notice is about: its outcomes at once; fetched first if the phone
        does not have it yet."""
        app = App.get_running_app()
        call = app.spire.calls.for_notice(notice)
        if call is not None:
            self.ask_outcome(call.id)
            return

        def fetched(found):
            if found is not None:
                self.update()
                self.ask_outcome(found.id)
            else:
                app.say(tr().gettext("That call is not on this phone yet."))

        app.background.run(
            lambda: (app.spire.calls.refresh(), app.spire.calls.for_notice(notice))[1],
            fetched,
            lambda error: app.say(tr().gettext("That call is not on this phone yet.")),
        )
