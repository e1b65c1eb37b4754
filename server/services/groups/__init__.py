"""A department's small named groups (arbeidsgrupper / grupper), each with the staff member
responsible, and the participants' membership of them, kept with its history.

Callers use the package: ``from server.services import groups``."""

from server.services.groups.memberships import (
    GroupBrief,
    History,
    close_membership,
    group_history,
    place_in_group,
    require_group_of,
)
from server.services.groups.records import (
    brief_of,
    create_group,
    get_group,
    group_of_department,
    list_groups,
    own_first,
    responsible_choices,
    update_group,
    with_groups,
)

__all__ = [
    "GroupBrief",
    "History",
    "brief_of",
    "close_membership",
    "create_group",
    "get_group",
    "group_history",
    "group_of_department",
    "list_groups",
    "own_first",
    "place_in_group",
    "require_group_of",
    "responsible_choices",
    "update_group",
    "with_groups",
]
