"""The anonymous activity tally: counts of work with people who are not enrolled, with no name.

Callers use the package: ``from server.services import tallies``."""

from server.services.tallies.activities import (
    DEFAULT_ACTIVITIES,
    create_activity,
    get_activity,
    list_activities,
    move_activity,
    seed_defaults,
    update_activity,
)
from server.services.tallies.records import Shown, list_tallies, put, withdraw, written

__all__ = [
    "DEFAULT_ACTIVITIES",
    "Shown",
    "create_activity",
    "get_activity",
    "list_activities",
    "list_tallies",
    "move_activity",
    "put",
    "seed_defaults",
    "update_activity",
    "withdraw",
    "written",
]
