"""Scheduled work: the wake-up dispatcher that makes the day's calls, sends the due
messages and raises notices for staff.

Callers use the package: ``from server.services import jobs``."""

from server.services.jobs.dispatch import dispatch, staff_notices

__all__ = ["dispatch", "staff_notices"]
