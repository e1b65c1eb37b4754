"""Anonymous surveys: the questionnaire, its single-use codes and the responses.

What is stored is chosen so that nobody, not even someone with the whole database, can
tell who answered what: a code is kept only as a keyed hash with a used flag; a response
holds its survey, the survey round's date and the answers, nothing else (no code, no
user, no address, no time of day, a random id that follows no order)."""

import uuid
from datetime import date

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.base import Base, Timestamps, UUIDPrimaryKey
from server.models.types import JSONDocument, vocabulary
from shared.vocab import QuestionKind


class Survey(UUIDPrimaryKey, Timestamps, Base):
    """A questionnaire for a department, or the whole organisation (no department), open
    from ``opens_on`` to ``closes_on`` (local days, both included). A copy for the next
    round names the survey it was copied from, so that results compare the two."""

    __tablename__ = "surveys"
    __table_args__ = (
        CheckConstraint("min_responses >= 3", name="min_responses_floor"),
        CheckConstraint("closes_on >= opens_on", name="opens_before_closing"),
    )

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    department_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("departments.id"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    # What the participant reads first, and after answering.
    intro: Mapped[str | None] = mapped_column(Text)
    opens_on: Mapped[date]
    closes_on: Mapped[date]
    min_responses: Mapped[int] = mapped_column(Integer, default=5)
    previous_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("surveys.id"))
    created_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))

    questions: Mapped[list["SurveyQuestion"]] = relationship(
        order_by="SurveyQuestion.position", cascade="all, delete-orphan", lazy="selectin"
    )


class SurveyQuestion(UUIDPrimaryKey, Base):
    """One question, in its place in the survey. ``copied_from_id`` names the question of
    the previous round it repeats."""

    __tablename__ = "survey_questions"

    survey_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("surveys.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[QuestionKind] = mapped_column(vocabulary(QuestionKind))
    text: Mapped[str] = mapped_column(String(500))
    # The choices of a ``choice`` question, in order.
    options: Mapped[list | None] = mapped_column(JSONDocument)
    copied_from_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("survey_questions.id"))


class SurveyCode(Base):
    """A single-use code, kept only as a keyed hash (HMAC-SHA-256) and whether it was used.
    No time, no batch, no author: the server never learns who was handed which code."""

    __tablename__ = "survey_codes"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    survey_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("surveys.id"), index=True)
    used: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class SurveyResponse(Base):
    """One participant's answers ``{question id: value}``, with the survey and the day
    the round opened: no code, no user, no address, no time of day, a random id."""

    __tablename__ = "survey_responses"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    survey_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("surveys.id"), index=True)
    round_on: Mapped[date]
    answers: Mapped[dict] = mapped_column(JSONDocument)
