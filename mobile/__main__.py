"""``python -m mobile``: start the Spire app (SPIRE_SERVER_URL names the server before the
first login). On a desktop the window is a phone held upright, 360 x 740 dp
(``SPIRE_WINDOW=WxH`` for another size)."""

import os

os.environ.setdefault("KIVY_NO_ARGS", "1")


def main() -> None:
    from kivy.config import Config

    from mobile.ui.phone import window_size

    size = window_size()
    if size is not None:  # before the window opens, so it opens at that size
        Config.set("graphics", "width", str(size[0]))
        Config.set("graphics", "height", str(size[1]))
    from mobile.ui.app import SpireApp

    SpireApp().run()


if __name__ == "__main__":
    main()
