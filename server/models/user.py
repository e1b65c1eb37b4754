import uuid
from datetime import datetime

from sqlalchemy import Boolean, Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.base import Base, Timestamps, UTCDateTime, UUIDPrimaryKey, utcnow
from server.models.organisation import Department
from server.models.types import vocabulary
from shared.vocab import Language, Role

user_departments = Table(
    "user_departments",
    Base.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("department_id", ForeignKey("departments.id"), primary_key=True, index=True),
)


class User(UUIDPrimaryKey, Timestamps, Base):
    """A staff account. Participants never have one."""

    __tablename__ = "users"

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    # Stored case-folded; unique across all organisations because login names no tenant.
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role] = mapped_column(vocabulary(Role))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The language the user reads; the organisation's when not chosen.
    language: Mapped[Language | None] = mapped_column(vocabulary(Language))

    departments: Mapped[list[Department]] = relationship(
        secondary=user_departments, order_by=Department.name
    )

    @property
    def department_ids(self) -> list[uuid.UUID]:
        return [department.id for department in self.departments]


class AuthSession(UUIDPrimaryKey, Base):
    """One login: the family of tokens issued from one password check.

    Access tokens carry the session id; the refresh token is rotated on every use and only
    the newest one is valid. Revoking the session ends every token of that login at once.
    """

    __tablename__ = "auth_sessions"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    refresh_jti: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_reason: Mapped[str | None] = mapped_column(String(32))

    user: Mapped[User] = relationship()
