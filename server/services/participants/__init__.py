"""Participants, their plans (goals, work areas, the weekly schedule) and the
innsyn export of everything stored about one.

Callers use the package: ``from server.services import participants``."""

from server.services.participants.export import export_participant
from server.services.participants.overview import Overview, overview
from server.services.participants.plans import (
    PlanBook,
    get_current,
    list_versions,
    plan_book,
    put_plan,
    update_goal,
)
from server.services.participants.records import (
    create_participant,
    end_participant,
    etag,
    get_participant,
    list_participants,
    update_participant,
)

__all__ = [
    "Overview",
    "PlanBook",
    "create_participant",
    "end_participant",
    "etag",
    "export_participant",
    "get_current",
    "get_participant",
    "list_participants",
    "list_versions",
    "overview",
    "plan_book",
    "put_plan",
    "update_goal",
    "update_participant",
]
