"""The organisation's access log and security event log, filtered and a page at a time
(admins; as the API's /audit and /security-events). Filters travel in the query string as
ids, codes and dates only: a person is chosen from a list, never searched by a typed name."""

from server.office.admin.common import bp, choices, read_query
from server.office.pages import actor, for_roles, one_page, page
from server.resources.audit.schemas import AuditQuerySchema, SecurityEventQuerySchema
from server.services import accounts, participants
from server.services.common import access_log as access_log_service
from server.services.common import security_events
from server.services.storage.paging import Window
from shared.vocab import AccessAction, Role, SecurityEventType

# How many people the filters' lists offer at most.
CHOICES = 1000


def _users() -> list[tuple[str, str]]:
    users, _ = accounts.list_users(actor(), {}, Window(0, CHOICES))
    return [(str(user.id), f"{user.full_name} ({user.username})") for user in users]


def _participants() -> list[tuple[str, str]]:
    found, _ = participants.list_participants(actor(), {}, Window(0, CHOICES))
    return [(str(p.id), f"{p.last_name}, {p.first_name}") for p in found]


@bp.get("/access-log")
@for_roles(Role.ADMIN)
def access_log():
    filters, errors = read_query(AuditQuerySchema())
    entries, pager = one_page(access_log_service.search, actor(), **filters)
    return page(
        "office/admin/access_log.html",
        entries=entries,
        pager=pager,
        errors=errors,
        users=_users(),
        participants=_participants(),
        actions=choices(AccessAction),
    )


@bp.get("/security-log")
@for_roles(Role.ADMIN)
def security_log():
    filters, errors = read_query(SecurityEventQuerySchema())
    events, pager = one_page(security_events.search, actor(), **filters)
    return page(
        "office/admin/security_log.html",
        events=events,
        pager=pager,
        errors=errors,
        users=_users(),
        types=choices(SecurityEventType),
    )
