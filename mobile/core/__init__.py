"""The app's core: HTTP client, local store and the notice feed. Never imports Kivy, so it
is tested without a screen."""
