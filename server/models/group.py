import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, UniqueConstraint, text, true
from sqlalchemy.orm import Mapped, mapped_column, validates

from server.models.base import Base, Timestamps, UTCDateTime, UUIDPrimaryKey, utcnow


class Group(UUIDPrimaryKey, Timestamps, Base):
    """A small named group (arbeidsgruppe) of a department's participants, with the staff
    member responsible for them."""

    __tablename__ = "groups"
    __table_args__ = (UniqueConstraint("department_id", "name_key"),)

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    department_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("departments.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    # The name case-folded: unique per department.
    name_key: Mapped[str] = mapped_column(String(300))
    responsible_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    # A group that is no more keeps its history but takes no new members.
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    @validates("name")
    def _keep_name_key(self, _key, name: str) -> str:
        self.name_key = name.casefold()
        return name


class GroupMembership(UUIDPrimaryKey, Base):
    """A span of time a participant belonged to a group: one open span (``left_at`` empty)
    at a time, the earlier ones kept as history."""

    __tablename__ = "group_memberships"
    __table_args__ = (
        Index("ix_group_memberships_participant", "participant_id", "joined_at"),
        # One open span a participant: the database holds to it whatever the code does.
        Index(
            "uq_group_memberships_open",
            "participant_id",
            unique=True,
            sqlite_where=text("left_at IS NULL"),
            postgresql_where=text("left_at IS NULL"),
        ),
    )

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"))
    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"))
    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("groups.id"), index=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Who placed the participant in the group, and who moved them out.
    added_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    removed_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
