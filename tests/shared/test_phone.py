"""Phone numbers as the phone app shows and dials them."""

import pytest

from shared.phone import display_phone, tel_uri


@pytest.mark.parametrize(
    "stored, country, shown",
    [
        ("+4791234567", "NO", "912 34 567"),  # mobile: 3-2-3
        ("+4741234567", "NO", "412 34 567"),
        ("+4722123456", "NO", "22 12 34 56"),  # landline: 2-2-2-2
        ("+4755123456", "NO", "55 12 34 56"),
        ("+4780012345", "NO", "800 12 345"),  # a free number
        ("91234567", "NO", "912 34 567"),  # stored before numbers were normalised
        ("+4520123456", "DK", "20 12 34 56"),
        ("+4551234567", "DK", "51 23 45 67"),
        ("+4520123456", "NO", "+45 20 12 34 56"),  # foreign: international form
        ("+4791234567", "DK", "+47 912 34 567"),
        ("+4722123456", "DK", "+47 22 12 34 56"),
        ("+46701234567", "NO", "+46 70 123 45 67"),
        ("+14155552671", "DK", "+1 415-555-2671"),
        ("ring mor", "NO", "ring mor"),  # not a number: as it was
        ("", "NO", ""),
    ],
)
def test_a_number_is_shown_as_people_of_the_country_write_it(stored, country, shown):
    assert display_phone(stored, country) == shown


def test_the_dialer_gets_the_global_number():
    assert tel_uri("+4791234567") == "tel:+4791234567"
    assert tel_uri("912 34 567") == "tel:+4791234567"
    assert tel_uri("20 12 34 56", "DK") == "tel:+4520123456"
    assert tel_uri("+46 70 123 45 67", "DK") == "tel:+46701234567"
    assert tel_uri("ring mor") is None
