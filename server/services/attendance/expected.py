"""Who is expected when: the plan's schedule in force that day, for a participant who is
active, in the programme that day, not on leave and not on a public holiday of the
organisation's country."""

import uuid
from collections import defaultdict
from datetime import date, time

from sqlalchemy import and_, or_, select

from server.database import db
from server.models import Attendance, Leave, Participant, Plan, ScheduleSlot
from shared.calendar import is_public_holiday
from shared.schedule import plan_in_force
from shared.vocab import AbsenceReason, AttendanceStatus, Country, ParticipantStatus


def in_programme(participant, day: date) -> bool:
    """Whether the participant is in the programme on ``day``: started on or before it and
    not ended before it. ``participant`` is a Participant or a row with its dates."""
    return participant.start_date <= day and (
        participant.end_date is None or day <= participant.end_date
    )


def in_programme_on(day: date):
    """The same rule as ``in_programme``, as a condition on participants in a query."""
    return and_(
        Participant.start_date <= day,
        or_(Participant.end_date.is_(None), Participant.end_date >= day),
    )


class Calendar:
    """Plans and leave of a set of participants over a period, loaded in a fixed number of
    queries, answering "expected on this day?" without touching the database again. The
    public holidays are those of ``country``, the participants' organisation's."""

    def __init__(
        self,
        participant_ids: list[uuid.UUID],
        first_day: date,
        last_day: date,
        country: Country,
    ):
        self.country = country
        # Plain rows, not ORM objects: a department's plans and slots are many rows.
        self.plans: dict[uuid.UUID, list] = defaultdict(list)
        self.slots_by_plan: dict[uuid.UUID, list] = defaultdict(list)
        self.leaves: dict[uuid.UUID, list] = defaultdict(list)
        self._holidays: dict[date, bool] = {}
        self._weekdays: dict[uuid.UUID, frozenset[int]] = {}
        if not participant_ids:
            return
        in_force = and_(Plan.participant_id.in_(participant_ids), Plan.valid_from <= last_day)
        for plan in db.session.execute(
            select(Plan.id, Plan.participant_id, Plan.version, Plan.valid_from).where(in_force)
        ):
            self.plans[plan.participant_id].append(plan)
        for slot in db.session.execute(
            select(
                ScheduleSlot.plan_id,
                ScheduleSlot.weekday,
                ScheduleSlot.start_time,
                ScheduleSlot.end_time,
            )
            .join(Plan, Plan.id == ScheduleSlot.plan_id)
            .where(in_force)
        ):
            self.slots_by_plan[slot.plan_id].append(slot)
        for leave in db.session.execute(
            select(Leave.participant_id, Leave.first_day, Leave.last_day).where(
                Leave.participant_id.in_(participant_ids),
                Leave.first_day <= last_day,
                Leave.last_day >= first_day,
            )
        ):
            self.leaves[leave.participant_id].append(leave)

    def slots(self, participant_id: uuid.UUID, day: date):
        plan = plan_in_force(self.plans[participant_id], day)
        if plan is None:
            return []
        weekday = day.isoweekday()
        return [slot for slot in self.slots_by_plan[plan.id] if slot.weekday == weekday]

    def on_leave(self, participant_id: uuid.UUID, day: date, record: Attendance | None = None):
        if record is not None and record.absence_reason == AbsenceReason.LEAVE:
            return True
        return any(lv.first_day <= day <= lv.last_day for lv in self.leaves[participant_id])

    def expected_start(
        self, participant: Participant, day: date, record: Attendance | None = None
    ) -> time | None:
        """The start of the first scheduled slot if the participant is expected, else None."""
        if (
            participant.status != ParticipantStatus.ACTIVE
            or not in_programme(participant, day)
            or is_public_holiday(day, self.country)
            or self.on_leave(participant.id, day, record)
        ):
            return None
        slots = self.slots(participant.id, day)
        return min((slot.start_time for slot in slots), default=None)

    def programme_days(self, participant: Participant, first_day: date, last_day: date):
        """The days of a period the plans then in force schedule, in the participant's
        time in the programme, public holidays left out: the days they are expected unless
        on leave. Past days count whatever the participant's status is now."""
        plans = self.plans[participant.id]
        day = max(first_day, participant.start_date)
        last = min(last_day, participant.end_date or last_day)
        while day <= last:
            plan = plan_in_force(plans, day)
            if (
                plan is not None
                and day.isoweekday() in self._weekdays_of(plan.id)
                and not self._holiday(day)
            ):
                yield day
            day = date.fromordinal(day.toordinal() + 1)

    def _holiday(self, day: date) -> bool:
        if day not in self._holidays:
            self._holidays[day] = is_public_holiday(day, self.country)
        return self._holidays[day]

    def _weekdays_of(self, plan_id: uuid.UUID) -> frozenset[int]:
        """The weekdays the plan has a slot on."""
        if plan_id not in self._weekdays:
            self._weekdays[plan_id] = frozenset(s.weekday for s in self.slots_by_plan[plan_id])
        return self._weekdays[plan_id]


def is_present(record: Attendance | None) -> bool:
    return record is not None and record.status == AttendanceStatus.PRESENT
