import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.base import Base, Timestamps, UTCDateTime, UUIDPrimaryKey
from server.models.types import vocabulary
from shared.vocab import MeetingStatus


class GroupMember(UUIDPrimaryKey, Timestamps, Base):
    """A member of a participant's responsibility group from outside the organisation (NAV,
    the GP, the municipality): a contact, not a user. Kept per participant, so the next
    meeting starts with the same group; ``active`` is false once a meeting left them out."""

    __tablename__ = "group_members"

    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    organisation: Mapped[str] = mapped_column(String(120))
    role: Mapped[str | None] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Meeting(UUIDPrimaryKey, Timestamps, Base):
    """A responsibility-group meeting (ansvarsgruppemøte). The minutes are sensitive: only
    the staff of the participant's department read them, one meeting at a time."""

    __tablename__ = "meetings"
    __table_args__ = (
        Index("ix_meetings_participant_scheduled", "participant_id", "scheduled_at"),
        Index("ix_meetings_status_scheduled", "status", "scheduled_at"),
    )

    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"))
    scheduled_at: Mapped[datetime] = mapped_column(UTCDateTime)
    location: Mapped[str | None] = mapped_column(String(200))
    agenda: Mapped[str | None] = mapped_column(Text)
    status: Mapped[MeetingStatus] = mapped_column(
        vocabulary(MeetingStatus), default=MeetingStatus.PLANNED
    )
    minutes: Mapped[str | None] = mapped_column(Text)
    decisions: Mapped[str | None] = mapped_column(Text)
    next_meeting_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The planned meeting made from ``next_meeting_at``, moved along with it while planned.
    next_meeting_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("meetings.id"))
    created_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    updated_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    # Optimistic locking: the ETag is derived from it and a concurrent write fails.
    version: Mapped[int] = mapped_column(Integer, default=1)

    members: Mapped[list[GroupMember]] = relationship(
        secondary="meeting_members", order_by=GroupMember.name, lazy="raise"
    )
    next_meeting: Mapped["Meeting | None"] = relationship(
        remote_side="Meeting.id", foreign_keys=[next_meeting_id], lazy="raise"
    )
    actions: Mapped[list["MeetingAction"]] = relationship(
        order_by="MeetingAction.created_at", lazy="raise"
    )

    __mapper_args__ = {"version_id_col": version}


class MeetingMember(Base):
    """Who was invited to (or met at) one meeting."""

    __tablename__ = "meeting_members"

    meeting_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("group_members.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class MeetingAction(Timestamps, Base):
    """An action item (tiltak) agreed at a meeting: who does what by when, ticked off when
    done. The id may be chosen by the client, so adding one can be repeated safely."""

    __tablename__ = "meeting_actions"
    __table_args__ = (Index("ix_meeting_actions_done_due", "done", "due_date"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    meeting_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    description: Mapped[str] = mapped_column(Text)
    # A member, a staff member or the participant: free text, as the group agreed it.
    responsible: Mapped[str] = mapped_column(String(200))
    due_date: Mapped[date | None]
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    # When the last tick (done or undone) was made, as the client recorded it: a tick
    # recorded earlier, arriving late from a phone's outbox, changes nothing.
    done_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
