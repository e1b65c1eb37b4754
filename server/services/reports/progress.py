"""A participant's progress report (framdriftsrapport), or their final report
(sluttrapport) once they have ended: the plan's goals and their status, the work areas,
attendance over the period (by the rules of the attendance figures), follow-ups counted
by kind, the responsibility-group meetings held, and how the programme ended, with NAV's
reason beside Spire's outcome. Never a progress note, a follow-up's note or the minutes.
For a leader or admin, of a participant who has consented to reports going to NAV,
logged as an export."""

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from server import clock
from server.database import db
from server.models import FollowUp, Meeting
from server.services.attendance.stats import Period
from server.services.common import periods
from server.services.common.actor import Actor
from server.services.common.errors import Conflict, Invalid
from server.services.participants.plans import current_plan
from server.services.reports.access import log_export
from server.services.reports.nav import Subject, participant_for_nav, subject
from shared.i18n import gettext
from shared.nav import end_reason
from shared.vocab import (
    FollowUpKind,
    GoalStatus,
    MeetingStatus,
    NavEndReason,
    Outcome,
    ParticipantStatus,
    values,
)

RESOURCE = "progress_report"


@dataclass(frozen=True)
class GoalLine:
    title: str
    status: GoalStatus
    due_date: date | None


@dataclass(frozen=True)
class PlanSummary:
    """The current plan version: its goals with their status, and the work areas."""

    version: int
    valid_from: date
    goals: list[GoalLine]
    work_areas: list[str]


@dataclass(frozen=True)
class MeetingsHeld:
    dates: list[date]

    @property
    def count(self) -> int:
        return len(self.dates)


@dataclass(frozen=True)
class ProgressReport:
    subject: Subject
    # A final report (sluttrapport) for a participant who has ended, else a progress
    # report (framdriftsrapport).
    final: bool
    first_day: date
    last_day: date
    # Attendance is counted to here: days after it have not happened.
    counted_to: date
    made_on: date
    start_date: date
    planned_end_date: date | None
    end_date: date | None
    plan: PlanSummary | None
    attendance: dict
    followups: dict
    meetings_held: MeetingsHeld
    outcome: Outcome | None
    nav_end_reason: NavEndReason | None

    @property
    def participant(self):
        return self.subject.participant


def progress_report(
    actor: Actor,
    participant_id: uuid.UUID,
    first_day: date | None = None,
    last_day: date | None = None,
) -> ProgressReport:
    """Over ``first_day`` to ``last_day``: by default from the participant's start to
    their end, or to today while they take part."""
    if first_day and last_day and last_day < first_day:
        raise Invalid({"to": gettext("Must not be before from.")})
    participant = participant_for_nav(actor, participant_id)
    about = subject(actor, participant)
    today = clock.local_today(about.timezone)
    final = participant.status == ParticipantStatus.ENDED
    if first_day is None and participant.start_date > today:
        raise Conflict(gettext("The participant has not started in the programme yet."))
    first_day = first_day or participant.start_date
    last_day = last_day or (participant.end_date if final and participant.end_date else today)
    if first_day > today:
        raise Invalid({"from": gettext("The period has not started yet.")})
    if last_day < first_day:
        raise Invalid({"to": gettext("Must not be before from.")})
    counted_to = min(last_day, today)
    period = Period([participant], first_day, counted_to, about.country)
    summary = period.summary(participant)
    report = ProgressReport(
        subject=about,
        final=final,
        first_day=first_day,
        last_day=last_day,
        counted_to=counted_to,
        made_on=today,
        start_date=participant.start_date,
        planned_end_date=participant.planned_end_date,
        end_date=participant.end_date,
        plan=_plan(participant),
        attendance={
            key: summary[key]
            for key in (
                "expected_days",
                "present_days",
                "present_on_expected_days",
                "absent",
                "unregistered_expected_days",
                "attendance_rate",
            )
        },
        followups=_followups(participant.id, first_day, last_day, about.timezone),
        meetings_held=_meetings_held(participant.id, first_day, last_day, about.timezone),
        outcome=participant.outcome,
        nav_end_reason=end_reason(participant.outcome),
    )
    log_export(
        actor,
        RESOURCE,
        [participant.id],
        first_day=first_day.isoformat(),
        last_day=last_day.isoformat(),
        final=final,
    )
    db.session.commit()
    return report


def _plan(participant) -> PlanSummary | None:
    plan = current_plan(participant)
    if plan is None:
        return None
    return PlanSummary(
        version=plan.version,
        valid_from=plan.valid_from,
        goals=[GoalLine(g.title, g.goal.status, g.due_date) for g in plan.plan_goals],
        work_areas=list(plan.work_areas or []),
    )


def _followups(participant_id: uuid.UUID, first_day: date, last_day: date, timezone: str):
    """Follow-ups by kind, counted: never their notes."""
    counts = dict(
        db.session.execute(
            select(FollowUp.kind, func.count())
            .where(
                FollowUp.participant_id == participant_id,
                *periods.within(FollowUp.occurred_at, first_day, last_day, timezone),
            )
            .group_by(FollowUp.kind)
        ).all()
    )
    by_kind = {kind: counts.get(kind, 0) for kind in values(FollowUpKind)}
    return {"by_kind": by_kind, "total": sum(by_kind.values())}


def _meetings_held(participant_id: uuid.UUID, first_day: date, last_day: date, timezone: str):
    """The local dates of the responsibility-group meetings held: never their minutes."""
    dates = [
        clock.local_date(moment, timezone)
        for moment in db.session.scalars(
            select(Meeting.scheduled_at)
            .where(
                Meeting.participant_id == participant_id,
                Meeting.status == MeetingStatus.HELD,
                *periods.within(Meeting.scheduled_at, first_day, last_day, timezone),
            )
            .order_by(Meeting.scheduled_at)
        )
    ]
    return MeetingsHeld(dates)
