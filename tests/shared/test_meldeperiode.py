"""NAV's reporting period and its day categories (shared/meldeperiode.py), and NAV's end
reasons (shared/nav.py)."""

from datetime import UTC, date, datetime

import pytest

from shared import meldeperiode as rules
from shared.i18n import texts
from shared.labels import LABELS, label
from shared.nav import END_REASONS, end_reason
from shared.vocab import NavDayCategory, NavEndReason, Outcome, values


def test_a_period_is_fourteen_days_from_a_monday():
    first = date(2026, 11, 16)
    assert rules.is_period_start(first)
    assert not rules.is_period_start(date(2026, 11, 17))
    days = rules.period_days(first)
    assert (len(days), days[0], days[-1]) == (14, first, date(2026, 11, 29))
    assert rules.period_end(first) == date(2026, 11, 29)
    assert rules.period_weeks(first) == (47, 48)


def test_a_period_across_the_new_year_has_the_weeks_of_both_years():
    assert rules.period_weeks(date(2026, 12, 21)) == (52, 53)  # 2026 has 53 ISO weeks
    assert rules.period_weeks(date(2026, 12, 28)) == (53, 1)


@pytest.mark.parametrize(
    ("minutes", "hours"),
    [(0, 0.0), (14, 0.0), (15, 0.5), (44, 0.5), (45, 1.0), (318, 5.5), (255, 4.5), (300, 5.0)],
)
def test_hours_are_rounded_to_the_nearest_half_hour(minutes, hours):
    start = datetime(2026, 5, 11, 7, 0, tzinfo=UTC)
    end = datetime.fromtimestamp(start.timestamp() + minutes * 60, UTC)
    assert rules.hours_between(start, end) == hours


def test_share_of_a_full_time_week():
    assert rules.FULL_TIME_HOURS == 37.5
    assert rules.share_of_full_time(37.5) == 1
    assert rules.share_of_full_time(25) == 0.6667
    assert rules.share_of_full_time(18.75) == 0.5


def day(programme_day=True, present=False, reason=None, on_leave=False, gone_by=True):
    return rules.category(
        programme_day=programme_day,
        present=present,
        absence_reason=reason,
        on_leave=on_leave,
        gone_by=gone_by,
    )


@pytest.mark.parametrize(
    ("kwargs", "category"),
    [
        ({"present": True}, "attended"),
        ({"present": True, "programme_day": False}, "attended"),  # came on a day off
        ({"reason": "sick"}, "sick"),
        ({"reason": "sick_child"}, "sick_child"),
        ({"reason": "appointment"}, "welfare"),
        ({"reason": "leave"}, "approved"),
        ({"on_leave": True}, "approved"),  # planned leave
        ({"reason": "no_show"}, "other_absence"),
        ({"reason": "other"}, "other_absence"),
        ({"programme_day": False}, "not_programme_day"),
        ({"programme_day": False, "reason": "sick"}, "not_programme_day"),
        ({"programme_day": False, "on_leave": True}, "not_programme_day"),
        ({}, "unregistered"),  # never guessed
        ({"gone_by": False}, None),  # still to come
        ({"gone_by": False, "on_leave": True}, "approved"),
        ({"gone_by": False, "programme_day": False}, "not_programme_day"),
    ],
)
def test_each_day_has_its_meldekort_category(kwargs, category):
    assert day(**kwargs) == category


def test_nav_categories_have_navs_own_words_in_norwegian():
    nb = texts("nb")
    assert [label(nb, c, NavDayCategory) for c in NavDayCategory] == [
        "Deltatt",
        "Fravær syk",
        "Fravær sykt barn",
        "Fravær velferd eller jobbintervju",
        "Fravær godkjent av NAV",
        "Annet fravær",
        "Ikke tiltaksdag",
        "Ikke registrert",
    ]
    da = texts("da")
    assert label(da, NavDayCategory.ATTENDED) == "Deltaget"
    assert set(LABELS[NavDayCategory]) == set(values(NavDayCategory))


def test_every_outcome_has_a_nav_end_reason():
    assert set(END_REASONS) == set(Outcome)
    assert {outcome.value: end_reason(outcome).value for outcome in Outcome} == {
        "ordinary_work": "got_job",
        "education": "education",
        "disability_benefit": "sick",
        "other_measure": "needs_other_support",
        "dropped_out": "did_not_attend",
        "other": "other",
    }
    assert end_reason(None) is None
    nb = texts("nb")
    assert [label(nb, r, NavEndReason) for r in NavEndReason] == [
        "Fått jobb",
        "Utdanning",
        "Syk",
        "Trenger annen støtte",
        "Ikke møtt",
        "Annet",
    ]
