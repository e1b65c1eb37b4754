"""Spire's phone app for the staff: ``core`` talks to the API (no Kivy), ``ui`` shows it."""
