import uuid

from sqlalchemy import Boolean, ForeignKey, String, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.base import Base, Timestamps, UUIDPrimaryKey


class Organisation(UUIDPrimaryKey, Timestamps, Base):
    """The tenant: everything belongs to exactly one organisation."""

    __tablename__ = "organisations"

    name: Mapped[str] = mapped_column(String(120))
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Oslo")


class Department(UUIDPrimaryKey, Timestamps, Base):
    """A site (avdeling) of the organisation."""

    __tablename__ = "departments"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    # A department may sit in another time zone than its organisation.
    timezone: Mapped[str | None] = mapped_column(String(64))
    # A closed site keeps its history but takes no new participants.
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    organisation: Mapped[Organisation] = relationship(lazy="joined", innerjoin=True)

    @property
    def effective_timezone(self) -> str:
        return self.timezone or self.organisation.timezone
