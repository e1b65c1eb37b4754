import uuid
from datetime import date, datetime, time

from sqlalchemy import ForeignKey, Integer, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.base import Base, UTCDateTime, UUIDPrimaryKey, utcnow
from server.models.types import JSONDocument, vocabulary
from shared.vocab import GoalStatus


class Plan(UUIDPrimaryKey, Base):
    """One version of a participant's individual plan (tiltaksplan). Never edited in place."""

    __tablename__ = "plans"
    __table_args__ = (UniqueConstraint("participant_id", "version"),)

    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    valid_from: Mapped[date]
    review_date: Mapped[date | None]
    work_areas: Mapped[list] = mapped_column(JSONDocument, default=list)
    notes: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    schedule: Mapped[list["ScheduleSlot"]] = relationship(
        order_by="(ScheduleSlot.weekday, ScheduleSlot.start_time)",
        cascade="all, delete-orphan",
    )
    plan_goals: Mapped[list["PlanGoal"]] = relationship(
        order_by="PlanGoal.position", cascade="all, delete-orphan"
    )


class ScheduleSlot(UUIDPrimaryKey, Base):
    """When the participant is expected (oppmøteplan): a weekday and hours."""

    __tablename__ = "schedule_slots"

    plan_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("plans.id", ondelete="CASCADE"), index=True
    )
    weekday: Mapped[int] = mapped_column(Integer)  # 1 = Monday .. 7 = Sunday
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)


class Goal(UUIDPrimaryKey, Base):
    """A goal's identity and live status; it lives on through plan versions."""

    __tablename__ = "goals"

    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"), index=True)
    status: Mapped[GoalStatus] = mapped_column(
        vocabulary(GoalStatus), default=GoalStatus.NOT_STARTED
    )
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    updates: Mapped[list["GoalUpdate"]] = relationship(order_by="GoalUpdate.at")


class PlanGoal(Base):
    """A goal as one plan version worded it."""

    __tablename__ = "plan_goals"

    plan_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True
    )
    goal_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("goals.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    due_date: Mapped[date | None]

    goal: Mapped[Goal] = relationship(lazy="joined", innerjoin=True)


class GoalUpdate(UUIDPrimaryKey, Base):
    """The history of a goal: every status change or progress note, and who made it."""

    __tablename__ = "goal_updates"

    goal_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("goals.id"), index=True)
    status: Mapped[GoalStatus] = mapped_column(vocabulary(GoalStatus))
    progress_note: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
