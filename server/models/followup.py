import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base, Timestamps, UTCDateTime
from server.models.types import vocabulary
from shared.vocab import FollowUpKind


class FollowUp(Timestamps, Base):
    """A conversation, call, home visit or accompaniment (oppfølging), by a client-chosen id
    so the phone can send it again. The note is sensitive: it is read one follow-up at a
    time, by the staff of the participant's department, and never listed."""

    __tablename__ = "followups"
    __table_args__ = (Index("ix_followups_participant_occurred", "participant_id", "occurred_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"))
    kind: Mapped[FollowUpKind] = mapped_column(vocabulary(FollowUpKind))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    updated_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
