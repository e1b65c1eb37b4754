"""Drives the real Spire app through the anonymous tally, with real taps on its screens,
and writes what it saw to ``result.json`` and a screenshot of each step to OUT.

    python tests/mobile/drive_tally.py OUT DATA SERVER PLAN

PLAN is a JSON file: the user (``login``) and the PIN. Logs in and chooses the PIN; opens
the tally's tab; taps an activity, makes it three people and a first contact, taps who
(saved); taps another activity and who; waits until both have reached Spire; undoes the
last one and waits until that has reached Spire too.
"""

import json
import os
import sys
from pathlib import Path

os.environ["KIVY_NO_ARGS"] = "1"
os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from kivy.clock import Clock  # noqa: E402

from mobile.ui.app import SpireApp  # noqa: E402
from tests.mobile.drive_app import tap, type_pin  # noqa: E402
from tests.mobile.drive_day import Script  # noqa: E402


def main() -> None:
    out, data, server, plan_file = Path(sys.argv[1]), *sys.argv[2:5]
    plan = json.loads(Path(plan_file).read_text())
    app = SpireApp(data_dir=data, poll_seconds=1)
    script = Script(app, out)
    seen = script.seen
    step, shot = script.step, script.shot
    tally = lambda: app.screen("tally")  # noqa: E731

    def activity(name: str):
        return next(b for b in tally().ids.activities.children if b.text.startswith(name))

    def who(text: str):
        return next(b for b in tally().ids.whos.children if b.text == text)

    def synced() -> bool:
        return app.spire.outbox.pending_count() == 0 and not app.offline

    @step("log in", until=lambda: app.manager.current == "login", pause=1)
    def log_in():
        ids = app.screen("login").ids
        ids.server.text = server
        ids.username.text, ids.password.text = plan["login"]
        tap(ids.submit)

    @step("choose a PIN", until=lambda: app.manager.current == "pin")
    def choose_pin():
        type_pin(app, plan["pin"])

    @step("the PIN again", until=lambda: app.screen("pin").mode == "confirm")
    def confirm_pin():
        type_pin(app, plan["pin"])

    @step("the tally's tab", until=lambda: app.at_work and app.manager.current == "today")
    def open_tab():
        seen["tabs"] = [t.text for t in reversed(app.shell.ids.tabs.children)]
        tap(app.shell.ids.tab_tally)

    @step("the activities", until=lambda: bool(tally().ids.activities.children), pause=1)
    def activities():
        seen["title"] = tally().ids.title.text
        seen["activities"] = [b.text for b in reversed(tally().ids.activities.children)]
        seen["whos"] = [b.text for b in reversed(tally().ids.whos.children)]
        seen["whos_disabled_before"] = all(b.disabled for b in tally().ids.whos.children)
        shot("tally-start")

    @step("tap 1: the activity")
    def first_tap():
        tap(activity("Innom-stikk"))

    @step("three people, a first contact")
    def options():
        seen["whos_enabled_after"] = not any(b.disabled for b in tally().ids.whos.children)
        tap(tally().ids.more)
        tap(tally().ids.more)
        tap(tally().ids.first_contact)

    @step("the choices shown")
    def chosen():
        seen["count_label"] = tally().ids.count.text
        shot("tally-options")

    @step("tap 2: who, saved")
    def second_tap():
        tap(who("Kvinne"))

    @step("saved", pause=1)
    def saved():
        seen["saved"] = tally().ids.title.text
        seen["reset"] = [tally().activity_id, tally().count, tally().first_contact]

    @step("another: NADA, a man")
    def another():
        tap(activity("NADA-øreakupunktur"))
        tap(who("Mann"))

    @step("both on Spire", until=synced, pause=1)
    def both_sent():
        seen["sent"] = [
            [r.op_id, r.activity, r.who, r.count, r.first_contact, r.waiting]
            for r in app.spire.tallies.today()
        ]
        seen["activities_after"] = [b.text for b in reversed(tally().ids.activities.children)]
        shot("tally")

    @step("undo")
    def undo():
        tap(tally().ids.undo)

    @step("undone on Spire", until=synced, pause=1)
    def undone():
        seen["after_undo"] = [r.op_id for r in app.spire.tallies.today()]
        seen["title_after_undo"] = tally().ids.title.text
        shot("tally-undone")

    # Half a second after the window is up: the screen is laid out by then.
    app.bind(on_start=lambda _: Clock.schedule_once(lambda dt: script.run(), 0.5))
    app.run()


if __name__ == "__main__":
    main()
