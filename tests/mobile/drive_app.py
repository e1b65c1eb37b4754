"""Drives the real Spire app on a (virtual) screen with Kivy's clock, like a user would:
types in the login fields, presses the button, waits for what the screen shows, takes a
screenshot and writes what it saw to ``result.json``.

    python tests/mobile/drive_app.py OUT DATA SERVER USERNAME PASSWORD

DATA is the app's own folder: a second run with the same one is the app started again.
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

from mobile.ui.app import SpireApp  # noqa: E402

TIMEOUT = 40


def main() -> None:
    out, data, server, username, password = Path(sys.argv[1]), *sys.argv[2:6]
    app = SpireApp(data_dir=data, poll_seconds=1)
    started = time.monotonic()

    def finish(outcome: str) -> None:
        app.root.export_to_png(str(out / "screen.png"))
        rows = [row.text for row in reversed(app.notices_screen.ids.rows.children)]
        result = {
            "outcome": outcome,
            "screen": app.manager.current,
            "banner": app.banner.text,
            "rows": rows,
            "login_error": app.login_screen.error,
            "username_field": app.login_screen.ids.username.text,
        }
        (out / "result.json").write_text(json.dumps(result, ensure_ascii=False))
        app.stop()

    def type_and_submit(dt) -> None:
        ids = app.login_screen.ids
        if app.manager.current == "login":
            ids.server.text = server
            ids.username.text = username
            ids.password.text = password
            ids.submit.dispatch("on_release")
        Clock.schedule_interval(watch, 0.2)

    def watch(dt):
        if app.banner.text:
            Clock.schedule_once(lambda dt: finish("banner"), 0.5)  # let it lay out
            return False
        if app.login_screen.error and not app.login_screen.busy:
            Clock.schedule_once(lambda dt: finish("login_error"), 0.3)
            return False
        if time.monotonic() - started > TIMEOUT:
            finish("timeout")
            return False
        return True

    Clock.schedule_once(type_and_submit, 0.5)
    app.run()


if __name__ == "__main__":
    main()
