"""The Android build's entry point (buildozer.spec): Android starts ``main.py``. On a
desktop, run ``python -m mobile``."""

from mobile.__main__ import main

main()
