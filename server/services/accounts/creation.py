"""Setting up an organisation from the command line (no acting user yet)."""

from sqlalchemy import select

from server.database import db
from server.models import Department, Organisation, User
from server.services import tallies
from server.services.accounts import passwords
from server.services.common import security_events
from server.services.common.errors import Conflict, Invalid
from shared.i18n import N_, gettext
from shared.vocab import Role, SecurityEventType


def organisation_for_cli(name: str | None, timezone: str) -> Organisation:
    """The named organisation, the only one there is, or a new one."""
    stmt = select(Organisation)
    if name:
        stmt = stmt.where(Organisation.name == name)
    found = db.session.scalars(stmt).all()
    if len(found) == 1:
        return found[0]
    if found:
        raise Invalid({"organisation": gettext("Several organisations exist; name one.")})
    organisation = Organisation(name=name or "Spire", timezone=timezone)
    db.session.add(organisation)
    db.session.flush()
    tallies.seed_defaults(organisation)
    return organisation


def department(organisation: Organisation, name: str) -> Department:
    found = db.session.scalars(
        select(Department).where(
            Department.organisation_id == organisation.id,
            Department.name_key == name.casefold(),
        )
    ).first()
    if found:
        return found
    created = Department(organisation_id=organisation.id, name=name)
    db.session.add(created)
    db.session.flush()
    return created


NEEDS_DEPARTMENT = N_("A leader or facilitator must work in at least one department.")


def department_problems(role: Role, departments: list[Department]) -> list[str]:
    """Staff other than admins see only their departments' participants: an account
    without a department would see nothing."""
    return [gettext(NEEDS_DEPARTMENT)] if role != Role.ADMIN and not departments else []


def check_password(password: str, username: str, full_name: str) -> None:
    problems = passwords.password_problems(password, username=username, full_name=full_name)
    if problems:
        raise Invalid({"password": problems})


def new_user(
    organisation_id,
    username: str,
    role: Role,
    password: str,
    full_name: str,
    departments: list[Department],
    active: bool = True,
) -> User:
    """A staff account, by whatever route it is made (the API or the command line)."""
    username = username.casefold()
    if db.session.scalar(select(User.id).where(User.username == username)):
        raise Conflict(gettext("That username is taken."), {"username": [gettext("Taken.")]})
    problems = {
        "department_ids": department_problems(role, departments),
        "password": passwords.password_problems(password, username=username, full_name=full_name),
    }
    if any(problems.values()):
        raise Invalid({field: errors for field, errors in problems.items() if errors})
    user = User(
        organisation_id=organisation_id,
        username=username,
        full_name=full_name,
        role=role,
        password_hash=passwords.hash_password(password),
        active=active,
        departments=departments,
    )
    db.session.add(user)
    db.session.flush()
    return user


def account_facts(user: User) -> dict:
    """What the security event log keeps about a new account (never its password)."""
    return {
        "role": user.role,
        "department_ids": sorted(str(department.id) for department in user.departments),
        "active": user.active,
    }


def create_user_from_cli(
    organisation: Organisation,
    username: str,
    role: Role,
    password: str,
    full_name: str,
    department_names: list[str],
) -> User:
    """From the command line: departments by name, made when missing."""
    departments = [department(organisation, name) for name in department_names]
    user = new_user(organisation.id, username, role, password, full_name, departments)
    security_events.record(
        SecurityEventType.USER_CREATED,
        organisation_id=organisation.id,
        subject_user_id=user.id,
        detail={**account_facts(user), "via": "command_line"},
    )
    return user
