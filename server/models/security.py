import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base, UTCDateTime, UUIDPrimaryKey, utcnow
from server.models.types import JSONDocument, vocabulary
from shared.vocab import SecurityEventType


class SecurityEvent(UUIDPrimaryKey, Base):
    """A security event: a login, a refusal, a change to an account, an export. Never a
    password or a token. Append-only: the database refuses DELETE, and any UPDATE but the
    one that clears an address past its retention (see the migrations)."""

    __tablename__ = "security_events"
    __table_args__ = (
        Index("ix_security_events_organisation_at", "organisation_id", "at"),
        Index("ix_security_events_at", "at"),
    )

    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    type: Mapped[SecurityEventType] = mapped_column(vocabulary(SecurityEventType))
    # None when no account is known, such as a failed login for an unknown username.
    organisation_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisations.id"))
    # Who acted (or whose login it was) and, for changes to an account, whose account.
    # A username is only ever shown through these (an existing account's), never stored
    # as typed: a failed login's "username" may be a password typed in the wrong field.
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    subject_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    # Where the request came from; cleared after SPIRE_SECURITY_ADDRESS_DAYS.
    address: Mapped[str | None] = mapped_column(String(45))
    detail: Mapped[dict] = mapped_column(JSONDocument, default=dict)


class LoginCounter(Base):
    """Login attempts per account or address within a window, shared by every worker when
    there is no Redis. The key is a hash, never a username."""

    __tablename__ = "login_counters"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    attempts: Mapped[int] = mapped_column(Integer)
    window_ends: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
