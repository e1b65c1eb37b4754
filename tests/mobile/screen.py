"""A virtual screen (Xvfb) the size of a phone held upright, for the real app: the tests
and the start benchmark run it there."""

import contextlib
import os
import subprocess


@contextlib.contextmanager
def phone_screen():
    """Start Xvfb on a free display; yields its name (``:N``)."""
    read, write = os.pipe()
    screen = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "720x1280x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        display = pipe.readline().strip()
    try:
        yield f":{display}"
    finally:
        screen.terminate()
        screen.wait(timeout=10)
