import uuid
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, Integer, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base, Timestamps, UTCDateTime, UUIDPrimaryKey, utcnow
from server.models.types import JSONDocument, vocabulary
from shared.vocab import AbsenceReason, AttendanceStatus


class Attendance(Timestamps, Base):
    """One participant's attendance (oppmøte) on one local date: at most one row per day,
    whatever the order or the number of phones that wrote it."""

    __tablename__ = "attendance"
    __table_args__ = (
        UniqueConstraint("participant_id", "date"),
        Index("ix_attendance_department_date", "department_id", "date"),
    )

    # Chosen by the phone that first wrote the day; other ids merged in are aliases.
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"))
    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"))
    # The participant's department when the day was recorded (reports stay put if they move).
    department_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("departments.id"))
    date: Mapped[date]
    status: Mapped[AttendanceStatus] = mapped_column(vocabulary(AttendanceStatus))
    absence_reason: Mapped[AbsenceReason | None] = mapped_column(vocabulary(AbsenceReason))
    check_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    check_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str | None] = mapped_column(Text)
    # When the status was decided on the phone: the newest decision wins a merge.
    status_recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    updated_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)


class AttendanceWrite(Base):
    """Every client id written for a day, with the body it last carried: the day's record
    is computed from these (see services/attendance/records.py), the same id again is answered
    from here, and an id that joined another id's record still finds it. A withdrawn id
    (``DELETE /attendance/{id}``) stays, marked, so a late repeat of it is recognised; when
    the day's record went with it, the id keeps its participant and day on its own."""

    __tablename__ = "attendance_writes"
    # The ids a day has gathered are counted by participant and day.
    __table_args__ = (Index("ix_attendance_writes_participant_date", "participant_id", "date"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    # The day's record, while it has one.
    attendance_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("attendance.id", ondelete="SET NULL"), index=True
    )
    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"))
    date: Mapped[date]
    # The last body sent with this id, as JSON, and when the user made it on the phone.
    body: Mapped[dict] = mapped_column(JSONDocument)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    written_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the id was withdrawn: what it said no longer counts for the day.
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Leave(UUIDPrimaryKey, Timestamps, Base):
    """Planned leave (permisjon) over a span of days: not expected, no wake-up call."""

    __tablename__ = "leaves"

    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"), index=True)
    first_day: Mapped[date]
    last_day: Mapped[date]
    note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
