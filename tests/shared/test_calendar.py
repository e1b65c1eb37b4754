"""Public holidays by country (shared/calendar.py): Norway's and Denmark's, with names in
the organisation's language."""

from datetime import date

import pytest

from shared.calendar import holiday_name, is_public_holiday
from shared.vocab import Country

NO, DK = Country.NORWAY, Country.DENMARK


@pytest.mark.parametrize(
    ("day", "norway", "denmark"),
    [
        (date(2028, 5, 17), True, False),  # Grunnlovsdag, a Wednesday
        (date(2026, 5, 1), True, False),  # Arbeidernes dag; an ordinary day in Denmark
        (date(2026, 6, 5), False, True),  # Grundlovsdag, a Friday
        (date(2026, 12, 24), False, True),  # juleaften / juleaftensdag
        (date(2026, 12, 31), False, False),  # New Year's Eve: an ordinary day in both
        (date(2027, 5, 17), True, True),  # Whit Monday in both (and Grunnlovsdag)
        (date(2026, 4, 2), True, True),  # Maundy Thursday
        (date(2026, 12, 25), True, True),
        (date(2026, 11, 22), False, False),  # an ordinary Sunday is no holiday
        (date(2026, 6, 15), False, False),  # an ordinary Monday
    ],
)
def test_each_country_has_its_own_holidays(day, norway, denmark):
    assert is_public_holiday(day, NO) is norway
    assert is_public_holiday(day, DK) is denmark


def test_the_country_may_be_given_by_its_code():
    assert is_public_holiday(date(2026, 6, 5), "DK")
    assert not is_public_holiday(date(2026, 6, 5), "NO")
    with pytest.raises(ValueError):
        is_public_holiday(date(2026, 6, 5), "SE")


def test_names_in_the_organisations_language_else_the_countrys_own():
    assert holiday_name(date(2028, 5, 17), NO, "nb") == "Grunnlovsdag"
    assert holiday_name(date(2026, 6, 5), DK, "da") == "Grundlovsdag"
    assert holiday_name(date(2026, 12, 24), DK, "da") == "Juleaftensdag"
    assert holiday_name(date(2026, 6, 5), DK, "en") == "Constitution Day"
    assert holiday_name(date(2028, 5, 17), NO, "en") == "Constitution Day"
    # The library has no Norwegian names for Danish holidays, nor Danish ones for Norwegian.
    assert holiday_name(date(2026, 6, 5), DK, "nb") == "Grundlovsdag"
    assert holiday_name(date(2028, 5, 17), NO, "da") == "Grunnlovsdag"


def test_two_holidays_on_one_day_are_both_named():
    assert holiday_name(date(2027, 5, 17), NO, "nb") == "Andre pinsedag; Grunnlovsdag"
    assert holiday_name(date(2028, 6, 5), DK, "da") == "Anden pinsedag; Grundlovsdag"


def test_no_name_on_an_ordinary_day():
    assert holiday_name(date(2026, 6, 5), NO, "nb") is None
    assert holiday_name(date(2026, 6, 15), DK, "da") is None
