"""The real app's start, screens and all, run as a process of its own by bench/phone.py
on a virtual screen (Xvfb): the interpreter starts, Kivy and the app are imported, the
window opens on the PIN screen (a started app is locked), the PIN is typed at once, and
the day's list shows its rows (the app writes the moment to ``SPIRE_READY_FILE``). Prints
one line of JSON: the seconds from ``SPAWNED`` (the parent's clock when it started this
process) to each step, and the rows the list had.

    DISPLAY=:N .venv/bin/python bench/phone_app_start.py DATA_DIR SPAWNED PIN

DATA_DIR is a logged-in app's folder with its PIN chosen: with no copy of the list yet
(the first start after a login: fetched), with the copy, or with the copy and an address
where no server listens.
"""

import time

UP = time.time()

import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

os.environ["KIVY_NO_ARGS"] = "1"
os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kivy.clock import Clock  # noqa: E402

from mobile.ui.app import SpireApp  # noqa: E402

IMPORTED = time.time()
TIMEOUT = 30


def main() -> int:
    data_dir, spawned, pin = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    ready = Path(data_dir).with_suffix(".ready")
    ready.unlink(missing_ok=True)
    os.environ["SPIRE_READY_FILE"] = str(ready)
    steps = {"interpreter": UP - spawned, "import": IMPORTED - spawned}
    app = SpireApp(data_dir=data_dir)

    def unlock(dt):
        if app.manager.current != "pin":
            return True
        steps["pin"] = time.time() - spawned  # on the screen from the first frame
        screen = app.screen("pin")
        for digit in pin:
            screen.key(digit)
        screen.submit()
        return False

    def listed(dt):
        if ready.exists():
            shown = json.loads(ready.read_text())
            steps["list"] = shown["at"] - spawned
            steps["rows"] = shown["rows"]
        elif time.time() - spawned < TIMEOUT:
            return True
        app.stop()
        return False

    app.bind(on_start=lambda _: Clock.schedule_interval(unlock, 0))
    Clock.schedule_interval(listed, 0.01)
    app.run()
    print(json.dumps({"rows": steps.pop("rows", 0), "steps": steps}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
