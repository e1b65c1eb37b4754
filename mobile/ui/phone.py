"""What differs between a phone and a desktop: the window's size, the dialler, Android's
notification permission and notifications. On a desktop the dialler is not opened: the
screen shows the number, and nobody is called from a computer."""

import os

from kivy.logger import Logger
from kivy.metrics import dp
from kivy.utils import platform

ANDROID = platform == "android"
# The desktop build opens at a phone's size held upright (dp), unless told otherwise.
PHONE_SIZE = (360, 740)


def window_size() -> tuple[int, int] | None:
    """On a desktop, the size (pixels) of a phone held upright, or ``SPIRE_WINDOW=WxH``
    in dp; None on a phone, where the app has the whole screen."""
    if ANDROID or platform == "ios":
        return None
    wanted = os.environ.get("SPIRE_WINDOW")
    width, height = (int(n) for n in wanted.lower().split("x")) if wanted else PHONE_SIZE
    return int(dp(width)), int(dp(height))


def fit_window() -> None:
    """The window at that size (a window Kivy opened at its own default before)."""
    size = window_size()
    if size is not None:
        from kivy.core.window import Window  # opens the window: not at import

        Window.size = size


def can_dial() -> bool:
    return ANDROID


def dial(tel_uri: str) -> bool:
    """Open the phone's dialler with the number (``tel:+47...``) typed in, for the user
    to press call: Android's ACTION_DIAL needs no permission. False where there is none."""
    if not ANDROID or not tel_uri:
        return False
    try:
        from jnius import autoclass  # Android only

        intent_class = autoclass("android.content.Intent")
        uri = autoclass("android.net.Uri")
        activity = autoclass("org.kivy.android.PythonActivity").mActivity
        intent = intent_class(intent_class.ACTION_DIAL, uri.parse(tel_uri))
        activity.startActivity(intent)
        return True
    except Exception as error:  # no dialler on this device: the number is on the screen
        Logger.warning(f"Spire: the dialler did not open ({type(error).__name__})")
        return False


def ask_for_notifications() -> None:
    """Android 13 and newer ask the user before an app may show notifications."""
    if not ANDROID:
        return
    try:
        from android.permissions import request_permissions  # Android only

        request_permissions(["android.permission.POST_NOTIFICATIONS"])
    except Exception as error:  # an older Android: granted with the install
        Logger.info(f"Spire: notification permission not asked ({type(error).__name__})")


def notify(title: str, text: str) -> None:
    """A notice in Android's notification shade too (the banner shows it in the app)."""
    if not ANDROID:
        return
    try:
        from plyer import notification  # in the Android build's requirements

        notification.notify(title=title, message=text, app_name="Spire")
    except Exception as error:  # not allowed, or no notifications here
        Logger.info(f"Spire: no notification ({type(error).__name__})")
