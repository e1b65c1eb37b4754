"""A demo organisation and its staff, made the same way in either country."""

from sqlalchemy import select

from server.database import db
from server.models import Department, Organisation, User
from server.services import accounts, tallies


def exists(name: str) -> bool:
    return db.session.scalar(select(Organisation.id).where(Organisation.name == name)) is not None


def create(name: str, **fields) -> Organisation:
    organisation = Organisation(name=name, **fields)
    db.session.add(organisation)
    db.session.flush()
    tallies.seed_defaults(organisation)
    return organisation


def staff(organisation, logins, full_names: dict[str, str]) -> dict[str, User]:
    """The users of ``logins`` (username, password, role, department names) by username; their
    departments are made on the way."""
    return {
        username: accounts.create_user_from_cli(
            organisation, username, role, password, full_names[username], departments
        )
        for username, password, role, departments in logins
    }


def departments_of(users: dict[str, User]) -> dict[str, Department]:
    return {d.name: d for user in users.values() for d in user.departments}
