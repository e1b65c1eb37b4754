"""Drives the real Spire app on a (virtual) screen with Kivy's clock, like a user would:
types in the login fields and presses the button, types the PIN on its keys, taps with
real touch events, waits for what the screen shows, takes a screenshot and writes what it
saw to ``result.json``.

    python tests/mobile/drive_app.py OUT DATA SERVER USERNAME PASSWORD MODE

DATA is the app's own folder: a second run with the same one is the app started again
(locked: it asks for the PIN first). MODE is what the user does:
- ``login``: logs in (if the login screen shows), chooses the PIN ``PIN`` and waits for a
  notice or an error; a notice's banner is then tapped, and leads to its call;
- ``restart``: types the PIN, looks for a few seconds, then logs out through the menu;
- ``offline``: types the PIN and waits for the app to say it cannot reach Spire.
"""

import json
import os
import sys
import time
from pathlib import Path

os.environ["KIVY_NO_ARGS"] = "1"
os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from kivy.clock import Clock  # noqa: E402
from kivy.core.window import Window  # noqa: E402
from kivy.tests.common import UnitTestTouch  # noqa: E402

from mobile.ui.app import SpireApp  # noqa: E402

TIMEOUT = 40
PIN = "2468"


def tap(widget) -> None:
    """A finger on the widget's middle: routed through the window like a real tap."""
    touch = UnitTestTouch(*widget.to_window(*widget.center))
    touch.touch_down()
    touch.touch_up()


def type_pin(app, pin: str) -> None:
    """The PIN on the screen's own keys, then OK."""
    keys = {key.text: key for key in app.screen("pin").ids["keys"].children}
    for digit in pin:
        tap(keys[digit])
    tap(app.screen("pin").ids.ok)


def screenshot(target: Path) -> None:
    """What the window shows, dialogs included, as a PNG at ``target``."""
    os.replace(Window.screenshot(name=str(target)), target)


def main() -> None:
    out, data, server, username, password, mode = Path(sys.argv[1]), *sys.argv[2:7]
    app = SpireApp(data_dir=data, poll_seconds=1)
    started = time.monotonic()
    seen: dict = {"typed": False, "pin_asked": None}

    def look() -> dict:
        notices = app.screen("notices")
        notices.update()
        tabs = app.shell.ids
        return {
            "screen": app.manager.current,
            "banner": app.banner.text,
            "banner_title": app.banner.title,
            "rows": [row.text for row in reversed(notices.ids.rows.children)],
            "status": app.status,
            "offline": app.offline,
            "greeting": notices.greeting,
            "tabs": [tabs.tab_today.text, tabs.tab_calls.text, tabs.tab_people.text],
            "menu": tabs.menu.text,
            "login_error": app.screen("login").error,
            "username_field": app.screen("login").ids.username.text,
            "logged_in": app.spire.session.logged_in,
            "window": list(Window.size),
        }

    def finish(outcome: str) -> None:
        screenshot(out / "screen.png")
        result = {**look(), **seen, "outcome": outcome}
        (out / "result.json").write_text(json.dumps(result, ensure_ascii=False))
        app.stop()

    def start(dt) -> None:
        if app.manager.current == "pin":
            seen["pin_asked"] = app.screen("pin").mode
            type_pin(app, PIN)
        elif mode == "login" and app.manager.current == "login":
            ids = app.screen("login").ids
            ids.server.text = server
            ids.username.text = username
            ids.password.text = password
            seen["typed"] = True
            tap(ids.submit)
        Clock.schedule_interval(watch, 0.2)

    def watch(dt):
        waited = time.monotonic() - started
        login = app.screen("login")
        if app.manager.current == "pin" and app.screen("pin").mode in ("choose", "confirm"):
            seen["pin_asked"] = seen["pin_asked"] or "choose"
            type_pin(app, PIN)  # chosen, then typed again
            return True
        if mode == "login" and app.banner.text:
            Clock.schedule_once(open_notice, 0.5)  # let it lay out
            return False
        if login.error and not login.busy and mode != "restart":
            Clock.schedule_once(lambda dt: finish("login_error"), 0.3)
            return False
        if mode == "offline" and app.offline:
            Clock.schedule_once(lambda dt: finish("status"), 0.3)
            return False
        if mode == "restart" and waited > 4 and app.at_work:
            seen["before_logout"] = look()
            tap(app.shell.ids.menu)
            Clock.schedule_once(log_out, 0.5)
            return False
        if waited > TIMEOUT:
            finish("timeout")
            return False
        return True

    def open_notice(dt) -> None:
        seen.update(banner=app.banner.text, banner_title=app.banner.title)
        screenshot(out / "banner.png")
        tap(app.banner.ids.open)
        Clock.schedule_interval(call_shown, 0.2)

    def call_shown(dt):
        sheets = [w for w in Window.children if hasattr(w, "dismiss")]
        if sheets or time.monotonic() - started > TIMEOUT:
            seen["call_opened"] = sheets[0].title if sheets else None
            seen["tab_after_notice"] = app.tab
            Clock.schedule_once(lambda dt: finish("banner"), 0.3)
            return False
        return True

    def log_out(dt) -> None:
        (item,) = [i for i in app.shell.menu.container.children if i.text == "Logg ut"]
        tap(item)
        Clock.schedule_once(lambda dt: finish("logged_out"), 1.5)

    # Half a second after the window is up: the screen is laid out by then.
    app.bind(on_start=lambda _: Clock.schedule_once(start, 0.5))
    app.run()


if __name__ == "__main__":
    main()
