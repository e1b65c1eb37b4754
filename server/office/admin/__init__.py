"""The administration pages: the organisation, its departments and their groups, the staff
accounts, the activities of the anonymous tally, the access and security logs, and the
innsyn export. One blueprint (``office.admin.*``), one module per area; mostly for admins,
the groups and the innsyn export for department leaders too, as the services allow."""

from server.office.admin import (
    activities,
    departments,
    groups,
    innsyn,
    logs,
    organisation,
    staff,
)
from server.office.admin.common import bp

__all__ = ["activities", "bp", "departments", "groups", "innsyn", "logs", "organisation", "staff"]
