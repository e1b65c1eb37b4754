"""The organisation (its name, country, language and time zone) and its departments
(admins manage them; staff see their own).

Callers use the package: ``from server.services import organisation``."""

from server.services.common.scope import get_department
from server.services.organisation.departments import (
    create_department,
    list_departments,
    update_department,
)
from server.services.organisation.details import get_organisation, update_organisation

__all__ = [
    "create_department",
    "get_department",
    "get_organisation",
    "list_departments",
    "update_department",
    "update_organisation",
]
