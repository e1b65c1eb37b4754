import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base, UTCDateTime, UUIDPrimaryKey, utcnow
from server.models.types import JSONDocument, vocabulary
from shared.vocab import AccessAction


class AccessLogEntry(UUIDPrimaryKey, Base):
    """Who read or changed a participant's data, and when (tilgangslogg). Append-only:
    the database refuses UPDATE and DELETE on this table (see the migrations)."""

    __tablename__ = "access_log"
    # Each read of a participant adds a row, so the indexes are few and serve the three
    # ways the log is read: by participant, by user and across the organisation, by time.
    __table_args__ = (
        Index("ix_access_log_participant_at", "participant_id", "at"),
        Index("ix_access_log_user_at", "user_id", "at"),
        Index("ix_access_log_organisation_at", "organisation_id", "at"),
    )

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"))
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"))
    action: Mapped[AccessAction] = mapped_column(vocabulary(AccessAction))
    # What part of the participant's data: "participant", "plan", "attendance", ...
    resource: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Why, where the action needs a stated reason (an export for a request for access).
    reason: Mapped[str | None] = mapped_column(String(200))


class ChangeRecord(UUIDPrimaryKey, Base):
    """The earlier value of a corrected record and who changed it (history is kept)."""

    __tablename__ = "change_records"
    __table_args__ = (Index("ix_change_records_entity", "entity", "entity_id"),)

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"))
    participant_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("participants.id"), index=True
    )
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[uuid.UUID]
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # {field: [before, after]} for the fields that changed.
    changes: Mapped[dict] = mapped_column(JSONDocument)
