"""Responsibility-group meetings (ansvarsgruppemøter): the group, the meeting, its minutes,
decisions and action items.

Leaders plan and write up meetings; every staff member of the participant's department
reads them and ticks off action items. The group's members are outside contacts kept per
participant: a meeting names its members, and that list becomes the group the next meeting
starts with. Edits need If-Match, so two people writing the minutes at once never overwrite
each other: the second gets 412 with the meeting as it is now, to merge from. The minutes
are sensitive: only the staff of the participant's department read or write them, and
lists never carry them.

Callers use the package: ``from server.services import meetings``, ``meetings.create(...)``.
"""

from server.services.meetings.actions import (
    Overdue,
    add_action,
    open_for_participant,
    overdue_actions,
    update_action,
)
from server.services.meetings.changes import update
from server.services.meetings.lists import (
    Listed,
    list_for_department,
    list_for_participant,
    next_planned,
    upcoming,
)
from server.services.meetings.members import group
from server.services.meetings.planning import create
from server.services.meetings.records import Shown, Stale, get
from server.services.meetings.summaries import summary

__all__ = [
    "Listed",
    "Overdue",
    "Shown",
    "Stale",
    "add_action",
    "create",
    "get",
    "group",
    "list_for_department",
    "list_for_participant",
    "next_planned",
    "open_for_participant",
    "overdue_actions",
    "summary",
    "upcoming",
    "update",
    "update_action",
]
