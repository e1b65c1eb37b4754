import uuid
from datetime import date

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.base import Base, Timestamps, UUIDPrimaryKey
from server.models.organisation import Department
from server.models.types import vocabulary
from shared.vocab import EnrolmentType, Gender, Outcome, ParticipantStatus, Participation


class Participant(UUIDPrimaryKey, Timestamps, Base):
    """A person in the programme. No national identity number, by design."""

    __tablename__ = "participants"

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    department_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("departments.id"), index=True)
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(80))
    # Case-folded "first last" for search that works for æ, ø and å on every database.
    # (Case folding can lengthen a name: "ß" becomes "ss".)
    search_name: Mapped[str] = mapped_column(String(500), index=True)
    phone: Mapped[str | None] = mapped_column(String(20))
    gender: Mapped[Gender] = mapped_column(vocabulary(Gender))
    birth_year: Mapped[int | None] = mapped_column(Integer)
    start_date: Mapped[date]
    planned_end_date: Mapped[date | None]
    end_date: Mapped[date | None]
    outcome: Mapped[Outcome | None] = mapped_column(vocabulary(Outcome))
    status: Mapped[ParticipantStatus] = mapped_column(
        vocabulary(ParticipantStatus), default=ParticipantStatus.ACTIVE, index=True
    )
    nav_office: Mapped[str | None] = mapped_column(String(120))
    nav_contact: Mapped[str | None] = mapped_column(String(120))
    consent_nav_reporting: Mapped[bool] = mapped_column(Boolean, default=False)
    # The group the participant belongs to now (its history: GroupMembership).
    group_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("groups.id"), index=True)
    # The legal basis of the place where the country has several (Denmark: § 103 or § 104).
    enrolment_type: Mapped[EnrolmentType | None] = mapped_column(vocabulary(EnrolmentType))
    # How much of the week: full- or part-time, or a number of days a week.
    participation: Mapped[Participation | None] = mapped_column(vocabulary(Participation))
    days_per_week: Mapped[int | None] = mapped_column(Integer)
    # Optimistic locking: the ETag is derived from it and a concurrent write fails.
    version: Mapped[int] = mapped_column(Integer, default=1)

    department: Mapped[Department] = relationship()

    __mapper_args__ = {"version_id_col": version}
