"""The day's list for a department: who is expected, who came, and the wake-up calls.

Callers use the package: ``from server.services import today``."""

from server.services.today.day_list import day_list

__all__ = ["day_list"]
