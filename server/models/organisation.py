import uuid

from sqlalchemy import Boolean, ForeignKey, String, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from server.models.base import Base, Timestamps, UUIDPrimaryKey
from server.models.types import vocabulary
from shared.vocab import Country, Language


class Organisation(UUIDPrimaryKey, Timestamps, Base):
    """The tenant: everything belongs to exactly one organisation."""

    __tablename__ = "organisations"

    name: Mapped[str] = mapped_column(String(120))
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Oslo")
    # The country's public holidays decide the expected days and the wake-up calls.
    country: Mapped[Country] = mapped_column(
        vocabulary(Country), default=Country.NORWAY, server_default=Country.NORWAY.value
    )
    # The language of what Spire writes for the organisation's people, unless a user or a
    # request asks for another.
    language: Mapped[Language] = mapped_column(
        vocabulary(Language),
        default=Language.NORWEGIAN_BOKMAL,
        server_default=Language.NORWEGIAN_BOKMAL.value,
    )


class Department(UUIDPrimaryKey, Timestamps, Base):
    """A site (avdeling) of the organisation."""

    __tablename__ = "departments"
    __table_args__ = (UniqueConstraint("organisation_id", "name_key"),)

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    # The name case-folded: unique per organisation, whatever the database's lower() knows.
    name_key: Mapped[str] = mapped_column(String(400))
    # A department may sit in another time zone than its organisation.
    timezone: Mapped[str | None] = mapped_column(String(64))
    # A closed site keeps its history but takes no new participants.
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    organisation: Mapped[Organisation] = relationship(lazy="joined", innerjoin=True)

    @validates("name")
    def _keep_name_key(self, _key, name: str) -> str:
        self.name_key = name.casefold()
        return name

    @property
    def effective_timezone(self) -> str:
        return self.timezone or self.organisation.timezone
