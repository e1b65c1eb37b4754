"""Drives the real Spire app on a (virtual) screen with Kivy's clock, like a user would:
types in the login fields and presses the button, taps with real touch events, waits for
what the screen shows, takes a screenshot and writes what it saw to ``result.json``.

    python tests/mobile/drive_app.py OUT DATA SERVER USERNAME PASSWORD MODE

DATA is the app's own folder: a second run with the same one is the app started again.
MODE is what the user does:
- ``login``: logs in (if the login screen shows) and waits for a notice or an error;
- ``restart``: types nothing, looks for a few seconds, then taps "Logg ut";
- ``offline``: types nothing and waits for the app to say it cannot reach Spire.
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

from kivy.config import Config  # noqa: E402

# A phone held upright, before the window exists.
Config.set("graphics", "width", "540")
Config.set("graphics", "height", "960")

from kivy.clock import Clock  # noqa: E402
from kivy.tests.common import UnitTestTouch  # noqa: E402

from mobile.ui.app import SpireApp  # noqa: E402

TIMEOUT = 40


def tap(widget) -> None:
    """A finger on the widget's middle: routed through the window like a real tap."""
    touch = UnitTestTouch(*widget.to_window(*widget.center))
    touch.touch_down()
    touch.touch_up()


def main() -> None:
    out, data, server, username, password, mode = Path(sys.argv[1]), *sys.argv[2:7]
    app = SpireApp(data_dir=data, poll_seconds=1)
    started = time.monotonic()
    seen: dict = {"typed": False, "polls": 0}

    def look() -> dict:
        return {
            "screen": app.manager.current,
            "banner": app.banner.text,
            "banner_title": app.banner.title,
            "rows": [row.text for row in reversed(app.notices_screen.ids.rows.children)],
            "status": app.notices_screen.status,
            "greeting": app.notices_screen.greeting,
            "logout_button": app.notices_screen.ids.logout.text,
            "login_error": app.login_screen.error,
            "username_field": app.login_screen.ids.username.text,
            "logged_in": bool(app.store.get("refresh_token")),
        }

    def finish(outcome: str) -> None:
        app.root.export_to_png(str(out / "screen.png"))
        result = {"outcome": outcome, **seen, **look()}
        (out / "result.json").write_text(json.dumps(result, ensure_ascii=False))
        app.stop()

    def start(dt) -> None:
        ids = app.login_screen.ids
        if mode == "login" and app.manager.current == "login":
            ids.server.text = server
            ids.username.text = username
            ids.password.text = password
            seen["typed"] = True
            tap(ids.submit)
        Clock.schedule_interval(watch, 0.2)

    def watch(dt):
        waited = time.monotonic() - started
        if mode == "login" and app.banner.text:
            Clock.schedule_once(lambda dt: finish("banner"), 0.5)  # let it lay out
            return False
        if app.login_screen.error and not app.login_screen.busy and mode != "restart":
            Clock.schedule_once(lambda dt: finish("login_error"), 0.3)
            return False
        if mode == "offline" and app.notices_screen.status:
            Clock.schedule_once(lambda dt: finish("status"), 0.3)
            return False
        if mode == "restart" and waited > 4:
            seen["before_logout"] = look()
            tap(app.notices_screen.ids.logout)
            Clock.schedule_once(lambda dt: finish("logged_out"), 1.0)
            return False
        if waited > TIMEOUT:
            finish("timeout")
            return False
        return True

    Clock.schedule_once(start, 0.5)
    app.run()


if __name__ == "__main__":
    main()
