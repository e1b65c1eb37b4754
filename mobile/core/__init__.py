"""The app's core, everything but the screens: the API client, the local storage, the
session and PIN lock, the outbox and its sync, the cached lists, the day, the wake-up
calls, follow-ups and notices, wired together in ``spire.Spire``. Never imports Kivy, so
it is tested without a screen."""
