"""Schedule maths shared by the server and the app (pure functions)."""

from datetime import date, time


def overlapping_slots(slots: list[tuple[int, time, time]]) -> set[int]:
    """Indexes of (weekday, start, end) slots that overlap another slot on the same day."""
    clashes = set()
    for i, (day_a, start_a, end_a) in enumerate(slots):
        for j in range(i + 1, len(slots)):
            day_b, start_b, end_b = slots[j]
            if day_a == day_b and start_a < end_b and start_b < end_a:
                clashes.update((i, j))
    return clashes


def plan_in_force(plans: list, day: date):
    """The plan version in force on ``day``: of the versions whose valid_from is on or
    before it, the one entered last (the highest version number). A new version replaces
    every earlier one from its valid_from on, so a backdated correction takes effect at
    once. ``plans`` are objects with ``valid_from`` and ``version``."""
    candidates = [plan for plan in plans if plan.valid_from <= day]
    return max(candidates, key=lambda plan: plan.version, default=None)


def first_plan_in_force(plans: list):
    """The version that will be in force first, for a participant whose plans all start
    later than today."""
    first_day = min((plan.valid_from for plan in plans), default=None)
    return None if first_day is None else plan_in_force(plans, first_day)
