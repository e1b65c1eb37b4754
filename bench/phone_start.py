"""The phone app's start, as its core does it, run as a process of its own by
bench/phone.py: the interpreter starts, the core is imported and opens the app's folder
(``Spire(data_dir)``), and the department's day list is read from the phone's copy, or
fetched from the server when there is none yet (the first start after a login). It prints
one line of JSON: the seconds from ``--spawned`` (the parent's clock when it started this
process) to each step, and the rows the list had.

    .venv/bin/python bench/phone_start.py DATA_DIR SPAWNED [cold|warm|offline]

- ``cold``: no copy yet: the list is fetched (``day.refresh``);
- ``warm``: the copy is shown, then asked for again (``If-None-Match``: 304 if unchanged);
- ``offline``: the copy is shown, then a refresh finds no server.

Imports nothing but the core before the list is on hand: its cost is the app's.
"""

import time

UP = time.time()

import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mobile.core.spire import Spire  # noqa: E402

IMPORTED = time.time()


def main() -> int:
    data_dir, spawned, mode = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    steps = {"interpreter": UP - spawned, "import": IMPORTED - spawned}
    spire = Spire(data_dir, timeout=5)
    steps["open"] = time.time() - spawned
    rows = len(spire.day.read().rows)
    steps["read"] = time.time() - spawned
    answer = None
    if mode == "cold":
        rows = len(spire.day.refresh().rows)
        steps["fetched"] = time.time() - spawned
    steps["list"] = time.time() - spawned
    if mode != "cold":
        from mobile.core.client import Unreachable

        try:
            spire.day.refresh()
            answer = "refreshed"
        except Unreachable:
            answer = "unreachable"
        steps["after"] = time.time() - spawned
    spire.close()
    print(json.dumps({"mode": mode, "rows": rows, "steps": steps, "refresh": answer}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
