"""Today ("I dag"): the day's list at the department, expected first, as the core reads
it from the phone (the cached list with the writes not yet sent laid over it). One tap
checks in, then out; "Absence" asks the reason with big buttons; "Undo" takes back the
row's last tap. A row's name opens the participant's page."""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from kivy.app import App
from kivy.lang import Builder
from kivy.metrics import dp
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label
from kivy.uix.recycleview.views import RecycleDataViewBehavior
from kivy.uix.screenmanager import Screen

from mobile.core.day import DayRow, Presence
from mobile.core.session import Locked
from mobile.ui.widgets import choose, tr
from shared.labels import label
from shared.vocab import AbsenceReason


class OpenRow(ButtonBehavior, BoxLayout):
    """The top of a row (name and state): tapped, it opens the participant's page."""


class DayRowView(RecycleDataViewBehavior, BoxLayout):
    participant_id = StringProperty("")
    name = StringProperty("")
    expected_at = StringProperty("")
    state = StringProperty("")
    primary = StringProperty("")
    action = StringProperty("")  # "check_in", "check_out" or "" (nothing to tap)
    can_undo = BooleanProperty(False)
    waiting = BooleanProperty(False)
    attention = BooleanProperty(False)


class DaySectionView(Label):
    pass


Builder.load_file(str(Path(__file__).with_suffix(".kv")))


def local_time(moment: datetime | None, timezone: str) -> str:
    return tr().time(moment.astimezone(ZoneInfo(timezone))) if moment else ""


def state_of(row: DayRow, timezone: str) -> str:
    """What the row says of the participant's day, in words (never colour alone)."""
    texts = tr()
    if row.presence == Presence.CHECKED_IN:
        state = texts.gettext("Checked in {time}").format(
            time=local_time(row.check_in_at, timezone)
        )
    elif row.presence == Presence.CHECKED_OUT:
        state = texts.gettext("Checked out {time}").format(
            time=local_time(row.check_out_at, timezone)
        )
    elif row.presence == Presence.ABSENT:
        state = texts.gettext("Absent: {reason}").format(
            reason=label(texts, row.absence_reason or "", AbsenceReason)
        )
    elif row.on_leave:
        state = texts.gettext("On leave")
    elif row.expected:
        state = texts.gettext("Not arrived")
    else:
        state = texts.gettext("Not expected today")
    if row.attention:
        return texts.gettext("Needs attention") + " · " + state
    if row.waiting:
        return state + " · " + texts.gettext("not sent yet")
    if row.group:
        return state + " · " + row.group.get("name", "")
    return state


def row_data(row: DayRow, timezone: str) -> dict:
    texts = tr()
    action, primary = {
        Presence.NOT_ARRIVED: ("check_in", texts.gettext("Check in")),
        Presence.ABSENT: ("check_in", texts.gettext("Check in")),
        Presence.CHECKED_IN: ("check_out", texts.gettext("Check out")),
        Presence.CHECKED_OUT: ("", texts.gettext("Checked out")),
    }[row.presence]
    return {
        "viewclass": "DayRowView",
        "participant_id": row.participant_id,
        "name": row.name,
        "expected_at": row.expected_start.replace(":", ".") if row.expected_start else "",
        "state": state_of(row, timezone),
        "primary": primary,
        "action": action,
        "can_undo": row.waiting or row.presence != Presence.NOT_ARRIVED,
        "waiting": row.waiting,
        "attention": row.attention,
    }


class TodayScreen(Screen):
    date_text = StringProperty("")
    counts = StringProperty("")
    empty = StringProperty("")

    def update(self) -> None:
        app = App.get_running_app()
        spire, texts = app.spire, tr()
        try:
            day = spire.day.read()
        except LookupError:
            self.ids.rows.data = []
            self.date_text, self.counts = "", ""
            self.empty = texts.gettext("You have no department in Spire.")
            return
        except Locked:
            return
        timezone = spire.session.timezone(day.department_id)
        date = texts.date(day.date, "full")
        self.date_text = date[:1].upper() + date[1:]
        if day.holiday:
            self.date_text += " · " + day.holiday
        expected = [r for r in day.rows if r.expected]
        here = [r for r in day.rows if r.presence in (Presence.CHECKED_IN, Presence.CHECKED_OUT)]
        absent = [r for r in day.rows if r.presence == Presence.ABSENT]
        self.counts = texts.gettext("Expected {expected} · Here {here} · Absent {absent}").format(
            expected=len(expected), here=len(here), absent=len(absent)
        )
        self.empty = (
            ""
            if day.rows
            else texts.gettext("The list has not been fetched yet. It comes when Spire answers.")
            if day.fetched_at is None
            else texts.gettext("Nobody on the list today.")
        )
        data = [row_data(r, timezone) for r in day.rows if r.expected]
        others = [row_data(r, timezone) for r in day.rows if not r.expected]
        if others:
            data.append(
                {
                    "viewclass": "DaySectionView",
                    "text": texts.gettext("Not expected today"),
                    "height": dp(44),
                }
            )
        self.ids.rows.data = data + others
        app.list_ready(len(day.rows))

    # The taps -------------------------------------------------------------------------------

    def _write(self, change) -> None:
        App.get_running_app().write(change)

    def tap(self, participant_id: str, action: str) -> None:
        day = App.get_running_app().spire.day
        if action == "check_in":
            self._write(lambda: day.check_in(participant_id))
        elif action == "check_out":
            self._write(lambda: day.check_out(participant_id))

    def absent(self, participant_id: str, name: str) -> None:
        day, texts = App.get_running_app().spire.day, tr()
        choose(
            texts.gettext("Absence: {name}").format(name=name),
            [(reason.value, label(texts, reason)) for reason in AbsenceReason],
            lambda reason: self._write(lambda: day.absent(participant_id, reason)),
        )

    def undo(self, participant_id: str) -> None:
        app = App.get_running_app()
        undone = []
        self._write(lambda: undone.append(app.spire.day.undo(participant_id)))
        if undone and undone[0] is None:
            app.say(tr().gettext("Nothing to undo."))
        elif undone:
            app.say(tr().gettext("Undone."))
