"""Staff accounts: making them (creation), managing them (staff), logging in and out
(logins), passwords and the limits on failed logins (throttle).

Callers use the package: ``from server.services import accounts``."""

from server.services.accounts.command_line import actor_for_cli
from server.services.accounts.creation import create_user_from_cli, organisation_for_cli
from server.services.accounts.logins import keep_alive, login, logout, refresh
from server.services.accounts.own import get_own_account, own_account, update_own_account
from server.services.accounts.staff import create_user, get_user, list_users, update_user

__all__ = [
    "actor_for_cli",
    "create_user",
    "create_user_from_cli",
    "get_own_account",
    "get_user",
    "keep_alive",
    "list_users",
    "login",
    "logout",
    "organisation_for_cli",
    "own_account",
    "refresh",
    "update_own_account",
    "update_user",
]
