"""A participant's page ("Deltaker"), from what the phone has (fetched again when opened,
and shown at once from the copy when there is one): the plan's goals with their status,
this month's attendance, the newest follow-ups (kind and date; the note is fetched only
when one is opened), the next meeting and the open action items, each with a tick box
(the tick is queued like every write). "New follow-up" opens the form."""

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from kivy.app import App
from kivy.factory import Factory
from kivy.lang import Builder
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.screenmanager import Screen

from mobile.core.client import LoggedOut, Unreachable
from mobile.core.pages import Page
from mobile.core.session import Locked
from mobile.ui.widgets import inform, tr
from shared.labels import label
from shared.vocab import AbsenceReason, FollowUpKind, GoalStatus


class FollowUpItem(ButtonBehavior, BoxLayout):
    title = StringProperty("")
    detail = StringProperty("")


class ActionItem(ButtonBehavior, BoxLayout):
    text = StringProperty("")
    detail = StringProperty("")
    done = BooleanProperty(False)


Builder.load_file(str(Path(__file__).with_suffix(".kv")))


class ParticipantScreen(Screen):
    participant_id = StringProperty("")
    title = StringProperty("")
    note = StringProperty("")

    def prepare(self, participant_id: str | None = None, **_) -> None:
        """Opened for a participant: the copy now, the server's page when it comes."""
        if participant_id is None:
            return
        app = App.get_running_app()
        self.participant_id = participant_id
        self.title = app.spire.day.name_of(participant_id) or ""
        self.ids.content.clear_widgets()
        self.ids.scroll.scroll_y = 1
        self.fetch()

    def fetch(self) -> None:
        app, wanted = App.get_running_app(), self.participant_id
        self.note = tr().gettext("Fetching the page …")

        def fetched(_page):
            if wanted == self.participant_id:
                self.note = ""
                self.update()

        def failed(error):
            if wanted != self.participant_id:
                return
            if isinstance(error, Locked):
                app.lock()
            elif isinstance(error, LoggedOut):
                app.to_login(tr().gettext("You are logged out. Log in again."))
            elif app.spire.pages.read(wanted) is None:
                self.note = tr().gettext(
                    "This page has not been fetched yet. It comes when Spire answers."
                )
            else:
                self.note = tr().gettext("Cannot reach Spire: this is the page as last fetched.")
                self.update()

        app.background.run(lambda: app.spire.pages.open(wanted), fetched, failed)

    def update(self) -> None:
        app = App.get_running_app()
        if not self.participant_id:
            return
        try:
            page = app.spire.pages.read(self.participant_id)
        except Locked:
            return
        if page is None:
            return  # the note says why
        self.title = page.name
        self.show(page, app.spire.session.timezone())

    # The page ------------------------------------------------------------------------------

    def show(self, page: Page, timezone: str) -> None:
        texts, items = tr(), self.ids.content
        zone = ZoneInfo(timezone)
        scroll = self.ids.scroll.scroll_y
        items.clear_widgets()

        def section(text: str) -> None:
            items.add_widget(Factory.Section(text=text))

        def item(*lines: str):
            box = Factory.Item()
            for index, line in enumerate(lines):
                if line:
                    box.add_widget(
                        Factory.TextLine(text=line, bold=index == 0)
                        if index == 0
                        else Factory.TextLine(text=line, font_size="14sp", color=(0.3, 0.3, 0.3, 1))
                    )
            items.add_widget(box)

        section(texts.gettext("Plan goals"))
        for goal in page.goals:
            due = (
                texts.date(date.fromisoformat(goal["due_date"]), "medium")
                if goal.get("due_date")
                else ""
            )
            status = label(texts, goal.get("status", ""), GoalStatus)
            item(
                goal["title"],
                status + (" · " + texts.gettext("due {date}").format(date=due) if due else ""),
            )
        if not page.goals:
            item(texts.gettext("No plan goals yet."))

        section(texts.gettext("Attendance this month"))
        attendance = page.attendance
        if attendance:
            rate = attendance.get("attendance_rate")
            absent = [
                f"{label(texts, reason, AbsenceReason)} {count}"
                for reason, count in (attendance.get("absent") or {}).items()
                if count
            ]
            item(
                texts.gettext("Present {present} of {expected} expected days").format(
                    present=attendance.get(
                        "present_on_expected_days", attendance.get("present_days", 0)
                    ),
                    expected=attendance.get("expected_days", 0),
                )
                + (f" ({texts.percent(rate)})" if rate is not None else ""),
                texts.gettext("Absent: {reasons}").format(reasons=", ".join(absent))
                if absent
                else "",
            )

        section(texts.gettext("Follow-ups"))
        for entry in page.waiting_followups:
            at = datetime.fromisoformat(entry.body["occurred_at"]).astimezone(zone)
            row = FollowUpItem(
                title=label(texts, entry.body["kind"], FollowUpKind),
                detail=f"{texts.date(at.date(), 'medium')} {texts.time(at)} · "
                + texts.gettext("not sent yet"),
            )
            row.bind(on_release=lambda _, entry=entry: self.show_waiting_note(entry))
            items.add_widget(row)
        for followup in page.followups:
            at = datetime.fromisoformat(followup["occurred_at"]).astimezone(zone)
            details = [texts.date(at.date(), "medium")]
            if followup.get("duration_minutes"):
                details.append(
                    texts.gettext("{minutes} min").format(minutes=followup["duration_minutes"])
                )
            if (followup.get("author") or {}).get("full_name"):
                details.append(followup["author"]["full_name"])
            if followup.get("has_note"):
                details.append(texts.gettext("has a note"))
            row = FollowUpItem(
                title=label(texts, followup["kind"], FollowUpKind), detail=" · ".join(details)
            )
            row.bind(on_release=lambda _, followup=followup: self.open_note(followup))
            items.add_widget(row)
        if not page.followups and not page.waiting_followups:
            item(texts.gettext("No follow-ups yet."))

        section(texts.gettext("Next meeting"))
        meeting = page.next_meeting
        if meeting:
            at = datetime.fromisoformat(meeting["scheduled_at"]).astimezone(zone)
            item(texts.date_and_time(at), meeting.get("location") or "")
        else:
            item(texts.gettext("No meeting planned."))

        section(texts.gettext("Open action items"))
        for action in page.open_actions:
            details = []
            if action.get("due_date"):
                due = texts.date(date.fromisoformat(action["due_date"]), "medium")
                details.append(texts.gettext("due {date}").format(date=due))
            if action.get("responsible"):
                details.append(action["responsible"])
            if action.get("waiting"):
                details.append(texts.gettext("not sent yet"))
            row = ActionItem(
                text=action["description"], detail=" · ".join(details), done=action["done"]
            )
            row.bind(on_release=lambda _, action=action: self.tick(action))
            items.add_widget(row)
        if not page.open_actions:
            item(texts.gettext("No open action items."))
        self.ids.scroll.scroll_y = scroll

    # Taps ------------------------------------------------------------------------------

    def tick(self, action: dict) -> None:
        app = App.get_running_app()
        app.write(
            lambda: app.spire.followups.tick(
                action["meeting_id"],
                action["id"],
                not action["done"],
                participant_id=self.participant_id,
            )
        )

    def open_note(self, followup: dict) -> None:
        """The note is fetched only now, and shown only while the dialog is open."""
        texts, app = tr(), App.get_running_app()
        title = label(texts, followup["kind"], FollowUpKind)
        if not followup.get("has_note"):
            inform(title, texts.gettext("No note."))
            return

        def failed(error):
            if isinstance(error, Unreachable):
                inform(
                    title,
                    texts.gettext("Cannot reach Spire. The note can be read when Spire answers."),
                )
            else:
                inform(title, texts.gettext("The note cannot be shown."))

        app.background.run(
            lambda: app.spire.followups.read(followup["id"]),
            lambda shown: inform(title, shown.get("note") or texts.gettext("No note.")),
            failed,
        )

    def show_waiting_note(self, entry) -> None:
        texts = tr()
        inform(
            label(texts, entry.body["kind"], FollowUpKind),
            entry.body.get("note") or texts.gettext("No note."),
        )
