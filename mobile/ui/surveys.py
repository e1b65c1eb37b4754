"""The staff's way into the survey kiosk (Menu, "Survey"): the open surveys of the user's
departments and the organisation's; one tapped is made ready on the phone (its questions
and a batch of codes, so it works offline), and after a question the phone is handed
over. Each survey says how many of its answers still wait on the phone, and how many
could not be delivered; never what anyone answered."""

from datetime import date
from pathlib import Path

from kivy.app import App
from kivy.factory import Factory
from kivy.lang import Builder
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.screenmanager import Screen

from mobile.core.client import ApiError, LoggedOut, Unreachable
from mobile.core.session import Locked
from mobile.ui.widgets import confirm, tr

Builder.load_file(str(Path(__file__).with_suffix(".kv")))


class SurveysScreen(Screen):
    message = StringProperty("")
    busy = BooleanProperty(False)
    _fetching = False

    def update(self) -> None:
        """The open surveys as kept on the phone; fetched again in the background."""
        app, texts = App.get_running_app(), tr()
        kiosk = app.spire.kiosk
        try:
            surveys = kiosk.open_surveys()
        except (LoggedOut, Locked):
            surveys = []
        self._fetch()
        rows = self.ids.rows
        rows.clear_widgets()
        for survey in surveys:
            lines = [texts.gettext("Open until {date}").format(date=_day(texts, survey))]
            waiting = kiosk.waiting(survey["id"])
            if waiting:
                lines.append(
                    texts.ngettext(
                        "{count} answer not yet sent",
                        "{count} answers not yet sent",
                        waiting,
                    ).format(count=waiting)
                )
            lost = kiosk.undeliverable(survey["id"])
            if lost:
                lines.append(
                    texts.ngettext(
                        "{count} answer could not be delivered",
                        "{count} answers could not be delivered",
                        lost,
                    ).format(count=lost)
                )
            detail = " · ".join(lines)
            row = Factory.SurveyRow(text=f"{survey['title']}\n[size=14sp]{detail}[/size]")
            row.survey_id = survey["id"]
            row.disabled = self.busy
            rows.add_widget(row)
        if not surveys:
            empty = (
                texts.gettext("Fetching the surveys …")
                if self._fetching
                else texts.gettext("No survey is open now.")
            )
            rows.add_widget(Factory.Ink(text=empty))

    def _fetch(self) -> None:
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
            if app.manager.current == self.name:
                self.update()

        app.background.run(app.spire.kiosk.refresh_surveys, done, failed)

    def choose(self, survey_id: str) -> None:
        """Made ready (network), then the question whether to hand the phone over."""
        app, texts = App.get_running_app(), tr()
        if self.busy:
            return
        self.busy = True
        self.message = texts.gettext("Getting the survey ready …")
        self.update()

        def done(_survey):
            self._ready(survey_id)

        def failed(error):
            self.busy = False
            self.message = ""
            self.update()
            if isinstance(error, Unreachable) and app.spire.kiosk.ready(survey_id):
                self._ready(survey_id)  # it was made ready before: it works offline
            elif isinstance(error, Unreachable):
                self.message = texts.gettext(
                    "Cannot reach Spire. The survey must be fetched once with a network."
                )
            elif isinstance(error, ApiError) and error.status in (403, 410):
                # Codes are made for the kiosk only while the survey is open.
                self.message = texts.gettext("The survey has closed.")
            elif isinstance(error, LoggedOut):
                app.failed(error)
            else:
                self.message = texts.gettext("Spire is not answering as it should right now.")

        app.background.run(lambda: app.spire.kiosk.prepare(survey_id), done, failed)

    def _ready(self, survey_id: str) -> None:
        app, texts = App.get_running_app(), tr()
        self.busy = False
        self.message = ""
        self.update()
        survey = app.spire.kiosk.survey(survey_id) or {}
        codes = app.spire.kiosk.codes_left(survey_id)
        confirm(
            survey.get("title", ""),
            texts.ngettext(
                "The phone can take {count} answer, also without a network.",
                "The phone can take {count} answers, also without a network.",
                codes,
            ).format(count=codes)
            + " "
            + texts.gettext(
                "The participant sees only the survey. Closing it takes your PIN, and sends "
                "the answers."
            ),
            texts.gettext("Start the survey"),
            lambda: app.start_kiosk(survey_id),
        )


def _day(texts, survey: dict) -> str:
    return texts.date(date.fromisoformat(survey["closes_on"]))
