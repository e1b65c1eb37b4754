"""The anonymous tally behind a demo organisation: in every department, a few tallies on
each working day of the last fourteen months (so this year and last year both have
figures), by the department's staff, from the default activities; a theme evening now and
then. Its random numbers are its own, so the rest of the demo stays as it was."""

import random
import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select

from server.database import db
from server.models import Organisation, Tally, TallyActivity, User
from shared.calendar import is_public_holiday
from shared.vocab import TallyWho

# How far back the tallies reach: fourteen months.
DAYS = 425
# How often each default activity comes up on an ordinary day, by its place in the set:
# walk-in, NADA, support conversation, phone/SMS/e-mail, theme evening (on evenings of
# its own, below), accompaniment, home visit, cooperation meeting.
ACTIVITY_WEIGHTS = (30, 12, 18, 24, 0, 8, 6, 5)
THEME_EVENING = 5
COOPERATION_MEETING = 8
WHO_WEIGHTS = {
    TallyWho.FEMALE: 40,
    TallyWho.MALE: 38,
    TallyWho.AGENCY: 9,
    TallyWho.CHILD_YOUTH: 6,
    TallyWho.UNSPECIFIED: 7,
}
# Some walk-ins and calls are from someone new; other activities seldom are.
FIRST_CONTACT = {1: 0.15, 4: 0.12}
FIRST_CONTACT_OTHERWISE = 0.03


def seed(organisation: Organisation, users: dict[str, User], today: date, seed: int) -> None:
    """Tallies in every department of ``organisation`` up to yesterday, by its staff."""
    rng = random.Random(seed)
    activities = list(
        db.session.scalars(
            select(TallyActivity)
            .where(TallyActivity.organisation_id == organisation.id)
            .order_by(TallyActivity.position)
        )
    )
    zone = ZoneInfo(organisation.timezone)
    staff: dict[uuid.UUID, list[uuid.UUID]] = {}
    for user in sorted(users.values(), key=lambda u: u.username):
        for department in user.departments:
            staff.setdefault(department.id, []).append(user.id)
    rows = []
    for department_id, recorders in sorted(staff.items()):
        for day in _working_days(today, organisation.country):
            for activity, who, count in _day(rng, activities, day):
                rows.append(
                    _row(rng, department_id, activity, who, count, day, rng.choice(recorders), zone)
                )
    if rows:
        db.session.execute(insert(Tally), rows)


def _working_days(today: date, country: str):
    for days_back in range(DAYS, 0, -1):
        day = today - timedelta(days=days_back)
        if day.isoweekday() <= 5 and not is_public_holiday(day, country):
            yield day


def _day(rng: random.Random, activities: list[TallyActivity], day: date):
    """(activity, who, count) of one department's day."""
    weights = ACTIVITY_WEIGHTS[: len(activities)]
    for _ in range(rng.randint(1, 5)):
        activity = rng.choices(activities, weights)[0]
        if activity.position == COOPERATION_MEETING:
            yield activity, TallyWho.AGENCY, 1
            continue
        who = rng.choices(list(WHO_WEIGHTS), list(WHO_WEIGHTS.values()))[0]
        count = rng.choice((1, 1, 1, 2, 3)) if activity.position == 2 else 1
        yield activity, who, count
    # A theme evening on the first Thursday of the month: women and men, a handful of each.
    if day.isoweekday() == 4 and day.day <= 7 and len(activities) >= THEME_EVENING:
        evening = activities[THEME_EVENING - 1]
        yield evening, TallyWho.FEMALE, rng.randint(4, 14)
        yield evening, TallyWho.MALE, rng.randint(2, 10)


def _row(rng, department_id, activity, who, count, day, recorder, zone) -> dict:
    first = rng.random() < FIRST_CONTACT.get(activity.position, FIRST_CONTACT_OTHERWISE)
    at = datetime.combine(day, time(rng.randint(9, 15), rng.randrange(60)), zone)
    return {
        "id": uuid.UUID(int=rng.getrandbits(128), version=4),
        "department_id": department_id,
        "activity_id": activity.id,
        "who": who,
        "count": count,
        "date": day,
        "first_contact": first,
        "recorded_by_id": recorder,
        "updated_by_id": recorder,
        "created_at": at,
        "updated_at": at,
    }
