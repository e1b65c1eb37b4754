"""The organisation's departments (admins manage them; staff see their own).

Callers use the package: ``from server.services import organisation``."""

from server.services.common.scope import get_department
from server.services.organisation.departments import (
    create_department,
    list_departments,
    update_department,
)

__all__ = ["create_department", "get_department", "list_departments", "update_department"]
