"""Drives the real Spire app through a facilitator's day, with real taps on its screens,
and writes what it saw to ``result.json`` and a screenshot of each screen to OUT.

    python tests/mobile/drive_day.py OUT DATA SERVER PLAN

PLAN is a JSON file: the user (``login``), the PIN, the participants' ids for each step,
and ``mode``:
- ``online``: logs in and chooses the PIN; checks in two participants and marks one
  absent (the reason from the big buttons); logs a wake-up call's outcome; opens a
  participant's page and logs a follow-up; then the app goes to the background for
  longer than the lock allows and comes back: the PIN is asked for (a wrong one first).
  Done when everything has reached the server.
- ``offline``: started again (locked: the PIN) with Spire down; checks in one more and
  sees it wait, then one who has moved to another department since; asks to log out and
  is told what would be lost (and stays); writes ``offline.done`` to OUT, and when the
  test has started Spire again (``online`` appears in OUT) waits until the writes have
  reached it: the second is refused, shown with Spire's reason, and discarded.
"""

import json
import os
import sys
import time
import traceback
from pathlib import Path

os.environ["KIVY_NO_ARGS"] = "1"
os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from kivy.clock import Clock  # noqa: E402
from kivy.core.window import Window  # noqa: E402
from kivy.metrics import dp  # noqa: E402
from kivy.uix.behaviors import ButtonBehavior  # noqa: E402

from mobile.core.clock import uptime  # noqa: E402
from mobile.core.session import LOCK_AFTER  # noqa: E402
from mobile.ui.app import SpireApp  # noqa: E402
from tests.mobile.drive_app import screenshot, tap, type_pin  # noqa: E402

TIMEOUT = 55


class Script:
    """Steps done one after the other: each waits for its condition, acts, then lets the
    screen lay out before the next."""

    def __init__(self, app: SpireApp, out: Path):
        self.app, self.out = app, out
        self.steps: list = []
        self.seen: dict = {"steps": []}
        self.started = time.monotonic()
        self._next = 0
        self._not_before = 0.0

    def step(self, name: str, until=None, pause: float = 0.5):
        def add(action):
            self.steps.append((name, until, action, pause))
            return action

        return add

    def run(self) -> None:
        Clock.schedule_interval(self._tick, 0.1)

    def _tick(self, dt):
        if time.monotonic() - self.started > TIMEOUT:
            name = self.steps[self._next][0] if self._next < len(self.steps) else "end"
            self.finish(f"timeout at {name}")
            return False
        if time.monotonic() < self._not_before:
            return True
        if self._next == len(self.steps):
            self.finish("done")
            return False
        name, until, action, pause = self.steps[self._next]
        try:
            if until is not None and not until():
                return True
            action()
        except Exception:
            self.seen["error"] = traceback.format_exc()
            self.finish(f"failed at {name}")
            return False
        self.seen["steps"].append([name, round(time.monotonic() - self.started, 1)])
        self._next += 1
        self._not_before = time.monotonic() + pause
        return True

    def shot(self, name: str) -> None:
        screenshot(self.out / f"app-{name}.png")
        small = self.seen.setdefault("small_targets", [])
        small += [f"{name}: {target}" for target in small_targets(self.seen)]

    def finish(self, outcome: str) -> None:
        self.seen["outcome"] = outcome
        self.seen["seconds"] = round(time.monotonic() - self.started, 1)
        self.shot("last")
        (self.out / "result.json").write_text(json.dumps(self.seen, ensure_ascii=False))
        self.app.stop()


def shown_row(recycle_view, key: str, value: str):
    """The view of a RecycleView's row, scrolled into sight: None until it is laid out
    there."""
    data = recycle_view.data
    index = next(i for i, row in enumerate(data) if row.get(key) == value)
    layout = recycle_view.layout_manager
    default = layout.default_size[1]
    above = sum(row.get("height", default) for row in data[:index])
    scrollable = layout.height - recycle_view.height
    if scrollable > 0:
        recycle_view.scroll_y = max(0.0, min(1.0, 1 - above / scrollable))
    rv = recycle_view
    bottom, top = rv.to_window(rv.x, rv.y)[1], rv.to_window(rv.x, rv.top)[1]
    for view in layout.children:
        if getattr(view, key, None) == value:
            low, high = view.to_window(0, view.y)[1], view.to_window(0, view.top)[1]
            return view if bottom - 1 <= low and high <= top + 1 else None  # wholly in sight
    return None


def small_targets(counted: dict) -> list[str]:
    """What can be tapped on the window now and is smaller than 48 dp either way
    (``counted["targets"]`` counts all that can be tapped)."""
    small = []
    for root in Window.children:
        for widget in root.walk(restrict=True):
            shown = widget.opacity > 0 and widget.width > 0 and widget.height > 0
            tappable = isinstance(widget, ButtonBehavior) and not widget.disabled
            counted["targets"] = counted.get("targets", 0) + (shown and tappable)
            if shown and tappable and min(widget.size) < dp(48) - 0.5:
                small.append(f"{type(widget).__name__} {getattr(widget, 'text', '')!r}")
    return small


def dialog():
    """The dialog on top, if one is open."""
    open_ = [w for w in Window.children if hasattr(w, "dismiss") and hasattr(w, "ids")]
    return open_[0] if open_ else None


def button_in(widget, text: str):
    """The button of ``widget`` (a dialog, a screen) that says ``text``."""
    for child in widget.walk(restrict=True):
        if getattr(child, "text", None) == text and hasattr(child, "trigger_action"):
            return child
    raise LookupError(text)


def main() -> None:
    out, data, server, plan_file = Path(sys.argv[1]), *sys.argv[2:5]
    plan = json.loads(Path(plan_file).read_text())
    app = SpireApp(data_dir=data, poll_seconds=1)
    script = Script(app, out)
    seen = script.seen
    step, shot = script.step, script.shot
    today = lambda: app.screen("today")  # noqa: E731
    rows = lambda: today().ids.rows  # noqa: E731

    def at_work() -> bool:
        return app.at_work and app.manager.current == "today" and bool(rows().data)

    def tap_row(screen: str, key: str, value: str, button: str):
        def act():
            view = shown_row(app.screen(screen).ids.rows, key, value)
            if view is None:
                raise LookupError(value)
            tap(view.ids[button])

        return act

    def laid_out(screen: str, key: str, value: str):
        return lambda: shown_row(app.screen(screen).ids.rows, key, value) is not None

    def row_state(participant_id: str) -> str:
        return next(r["state"] for r in rows().data if r.get("participant_id") == participant_id)

    def synced() -> bool:
        return app.spire.outbox.pending_count() == 0 and not app.offline

    if plan["mode"] == "online":

        @step("log in", until=lambda: app.manager.current == "login", pause=1)
        def log_in():
            ids = app.screen("login").ids
            ids.server.text = server
            ids.username.text, ids.password.text = plan["login"]
            shot("login")
            tap(ids.submit)

        @step("choose a PIN", until=lambda: app.manager.current == "pin")
        def choose_pin():
            seen["pin_mode"] = app.screen("pin").mode
            shot("pin-choose")
            type_pin(app, plan["pin"])

        @step("the PIN again", until=lambda: app.screen("pin").mode == "confirm")
        def confirm_pin():
            type_pin(app, plan["pin"])

        @step("today's list", until=at_work, pause=1)
        def the_list():
            seen["tabs"] = [t.text for t in reversed(app.shell.ids.tabs.children)]
            seen["status_online"] = app.status
            seen["window"] = list(Window.size)
            shot("today")

        for participant in plan["check_in"]:
            step("check in", until=laid_out("today", "participant_id", participant))(
                tap_row("today", "participant_id", participant, "primary")
            )

        absent = plan["absent"]
        step("absence", until=laid_out("today", "participant_id", absent))(
            tap_row("today", "participant_id", absent, "absent")
        )

        @step("the reason", until=lambda: dialog() is not None)
        def reason():
            shot("absence")
            tap(button_in(dialog(), "Syk"))

        @step("the rows say it", until=lambda: dialog() is None)
        def rows_say():
            seen["states"] = {p: row_state(p) for p in [*plan["check_in"], absent]}

        @step("wake-up calls", pause=1)
        def calls():
            tap(app.shell.ids.tab_calls)

        call = plan["call"]
        step("the number", until=laid_out("calls", "call_id", call))(
            tap_row("calls", "call_id", call, "number")
        )

        @step("how the call went", until=lambda: dialog() is not None)
        def outcome():
            shot("call")
            seen["call_sheet"] = dialog().title
            tap(button_in(dialog(), "Svarte ikke"))

        @step("the calls", until=lambda: dialog() is None)
        def the_calls():
            shot("calls")

        @step("participants", pause=1)
        def people():
            tap(app.shell.ids.tab_people)

        page_of = plan["followup"]
        step("a participant", until=laid_out("people", "participant_id", page_of))(
            lambda: tap(shown_row(app.screen("people").ids.rows, "participant_id", page_of))
        )

        def page_shown() -> bool:
            fetched = app.spire.pages.read(page_of) is not None
            return fetched and app.screen("participant").note == ""

        @step("the page", until=page_shown, pause=1)
        def page():
            seen["page_title"] = app.screen("participant").title
            shot("participant")
            tap(app.screen("participant").ids.new_followup)

        @step("a follow-up", until=lambda: app.manager.current == "followup")
        def followup():
            form = app.screen("followup")
            tap(button_in(form, "Samtale"))
            tap(button_in(form, "30 min"))
            form.ids.note.text = "Snakket om uka."
            shot("followup")
            tap(form.ids.save)

        @step("back on the page", until=lambda: app.manager.current == "participant", pause=1)
        def back_on_page():
            shot("participant-after")

        @step("all sent", until=lambda: synced() and app.status.startswith("Oppdatert"))
        def all_sent():
            seen["status_synced"] = app.status

        @step("to the background")
        def away():
            Window.dispatch("on_minimize")
            # As if it had been away longer than the lock allows.
            app.spire.session.went_to_background(at=uptime() - LOCK_AFTER - 5)
            Window.dispatch("on_restore")

        @step("a wrong PIN", until=lambda: app.manager.current == "pin")
        def wrong_pin():
            seen["locked_mode"] = app.screen("pin").mode
            seen["at_work_when_locked"] = app.at_work
            type_pin(app, "0000")

        @step("told", until=lambda: app.screen("pin").wrong, pause=0.3)
        def told():
            seen["wrong_pin"] = app.screen("pin").hint
            shot("pin")
            type_pin(app, plan["pin"])

        @step("open again", until=lambda: app.at_work)
        def unlocked():
            seen["unlocked"] = app.manager.current

    else:

        @step("locked at start", until=lambda: app.manager.current == "pin")
        def unlock():
            seen["locked_mode"] = app.screen("pin").mode
            type_pin(app, plan["pin"])

        @step("offline", until=lambda: at_work() and app.offline, pause=1)
        def offline():
            seen["status_offline_before"] = app.status

        late = plan["offline_check_in"]
        step("check in offline", until=laid_out("today", "participant_id", late))(
            tap_row("today", "participant_id", late, "primary")
        )

        @step("it waits", until=lambda: app.waiting == 1, pause=1)
        def waits():
            seen["status_offline"] = app.status
            seen["state_offline"] = row_state(late)
            shot("offline")

        # One more, of a participant moved to another department since the list came:
        # Spire will refuse it.
        moved = plan["moved"]
        step("check in the one moved", until=laid_out("today", "participant_id", moved))(
            tap_row("today", "participant_id", moved, "primary")
        )

        @step("log out?", until=lambda: app.waiting == 2)
        def log_out():
            tap(app.shell.ids.menu)

        @step("the menu", until=lambda: getattr(app.shell, "menu", None) is not None)
        def the_menu():
            (item,) = [i for i in app.shell.menu.container.children if i.text == "Logg ut"]
            tap(item)

        @step("what would be lost", until=lambda: dialog() is not None, pause=0.3)
        def lost():
            seen["logout_dialog"] = dialog().text
            shot("logout")
            tap(button_in(dialog(), "Avbryt"))

        @step("still logged in", until=lambda: dialog() is None)
        def still():
            seen["logged_in_after_cancel"] = app.spire.session.logged_in and app.at_work
            (out / "offline.done").write_text("")

        @step("Spire again", until=lambda: (out / "online").exists())
        def back():
            pass

        @step("sent", until=lambda: synced() and app.attention == 1)
        def sent():
            seen["status_back"] = app.status
            seen["state_back"] = row_state(late)
            shot("online")
            tap(app.shell.ids.attention)

        @step("what Spire refused", until=lambda: app.manager.current == "attention", pause=1)
        def refused():
            screen = app.screen("attention")
            (item,) = [w for w in screen.walk() if type(w).__name__ == "RefusedItem"]
            seen["refused"] = [item.summary, item.reason, item.correctable]
            shot("attention")
            tap(item.ids.discard)

        @step("discard it?", until=lambda: dialog() is not None, pause=0.3)
        def discard():
            shot("discard")
            tap(button_in(dialog(), "Forkast"))

        @step("discarded", until=lambda: app.attention == 0 and dialog() is None)
        def discarded():
            seen["attention_after"] = app.spire.outbox.attention_count()

    # Half a second after the window is up: the screen is laid out by then.
    app.bind(on_start=lambda _: Clock.schedule_once(lambda dt: script.run(), 0.5))
    app.run()


if __name__ == "__main__":
    main()
