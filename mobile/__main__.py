"""``python -m mobile``: start the Spire app (SPIRE_SERVER_URL names the server)."""

import os

os.environ.setdefault("KIVY_NO_ARGS", "1")

from mobile.ui.app import SpireApp  # noqa: E402

SpireApp().run()
