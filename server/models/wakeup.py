import uuid
from datetime import date, datetime, time

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.base import Base, Timestamps, UTCDateTime, UUIDPrimaryKey, utcnow
from server.models.types import JSONDocument, vocabulary
from shared.vocab import WakeupOutcome, WakeupStatus


class WakeupSchedule(UUIDPrimaryKey, Timestamps, Base):
    """When a participant gets a wake-up call (vekking): weekdays and a local time."""

    __tablename__ = "wakeup_schedules"

    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"), unique=True)
    weekdays: Mapped[list] = mapped_column(JSONDocument)  # [1..7], 1 = Monday
    time: Mapped[time] = mapped_column(Time)
    # The number to call; the participant's own number when empty.
    phone: Mapped[str | None] = mapped_column(String(20))
    # The participant also wants an SMS at the wake-up time.
    sms: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))


class WakeupCall(UUIDPrimaryKey, Timestamps, Base):
    """One participant's call on one local date, made the first time anyone asks for the
    day's list (the unique constraint makes that safe when two phones ask at once)."""

    __tablename__ = "wakeup_calls"
    __table_args__ = (
        UniqueConstraint("participant_id", "date"),
        Index("ix_wakeup_calls_department_date", "department_id", "date"),
    )

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"))
    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"))
    department_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("departments.id"))
    date: Mapped[date]
    # When the call is planned, and when it is due (again) while it is pending: never
    # before due_at; empty once the call is done or cancelled.
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    next_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    phone: Mapped[str | None] = mapped_column(String(20))
    sms: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[WakeupStatus] = mapped_column(
        vocabulary(WakeupStatus), default=WakeupStatus.PENDING
    )
    outcome: Mapped[WakeupOutcome | None] = mapped_column(vocabulary(WakeupOutcome))
    unanswered: Mapped[int] = mapped_column(Integer, default=0)
    home_visit: Mapped[bool] = mapped_column(Boolean, default=False)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    attempts: Mapped[list["WakeupAttempt"]] = relationship(
        order_by="WakeupAttempt.at", lazy="raise"
    )


class WakeupAttempt(Timestamps, Base):
    """One try at the call, by a client-chosen id so a retried request never doubles it."""

    __tablename__ = "wakeup_attempts"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    call_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("wakeup_calls.id", ondelete="CASCADE"), index=True
    )
    outcome: Mapped[WakeupOutcome] = mapped_column(vocabulary(WakeupOutcome))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    note: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    # The body as last sent under this id: the same again changes nothing.
    body: Mapped[dict] = mapped_column(JSONDocument)


class Message(UUIDPrimaryKey, Base):
    """A reminder to send: an SMS to a participant, or a notice the staff's phones poll
    for. ``key`` makes each message exist once, however many dispatchers run."""

    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_status_next", "status", "next_attempt_at"),)

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"))
    department_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("departments.id"))
    participant_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("participants.id"))
    # The call a reminder is about: checked again just before sending.
    call_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("wakeup_calls.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(120), unique=True)
    # "sms" to a participant's phone; "staff" for the department's phones to show.
    channel: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(32))
    recipient: Mapped[str | None] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    # What the text was written from (names, the phone, the try): a staff notice is written
    # again from them in each reader's language.
    facts: Mapped[dict | None] = mapped_column(JSONDocument)
    # pending -> sending -> sent, or back to pending with a later next_attempt_at.
    status: Mapped[str] = mapped_column(String(16), default="pending")
    tries: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    last_error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
