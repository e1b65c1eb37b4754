import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, text, true
from sqlalchemy.orm import Mapped, mapped_column, validates

from server.models.base import Base, Timestamps, UTCDateTime, UUIDPrimaryKey
from server.models.types import vocabulary
from shared.vocab import TallyWho


class TallyActivity(UUIDPrimaryKey, Timestamps, Base):
    """One of the organisation's kinds of anonymous work (walk-ins, NADA, calls ...): an
    admin edits the list. Never deleted, since tallies refer to it: deactivated instead."""

    __tablename__ = "tally_activities"
    __table_args__ = (
        # Two active activities of an organisation never share a name (in any case).
        Index(
            "uq_tally_activities_active_name",
            "organisation_id",
            "name_key",
            unique=True,
            sqlite_where=text("active"),
            postgresql_where=text("active"),
        ),
    )

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    # The name case-folded, for the rule above.
    name_key: Mapped[str] = mapped_column(String(320))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # The order the phone shows the activities in, lowest first.
    position: Mapped[int] = mapped_column(Integer, default=0)

    @validates("name")
    def _keep_name_key(self, _key, name: str) -> str:
        self.name_key = name.casefold()
        return name


class Tally(Timestamps, Base):
    """An anonymous count (anonym registrering) of an activity with people who are not
    enrolled: which activity, who (woman, man, public agency ...), how many, the local date
    and whether it was a first contact. No participant, no name, no free text. By a
    client-chosen id, so the phone can send it again. An undone tally (DELETE) stays,
    marked ``withdrawn_at``, so a late repeat is recognised: counts leave those out."""

    __tablename__ = "tallies"
    __table_args__ = (
        Index("ix_tallies_department_date", "department_id", "date"),
        CheckConstraint("count BETWEEN 1 AND 500", name="count_range"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    department_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("departments.id"))
    activity_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tally_activities.id"), index=True)
    who: Mapped[TallyWho] = mapped_column(vocabulary(TallyWho))
    count: Mapped[int] = mapped_column(Integer, default=1)
    date: Mapped[date]
    first_contact: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    updated_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
