"""The day's list (GET /today) follows the public holidays of the organisation's country:
17 May in Norway, Grundlovsdag in Denmark, and a change of country from then on."""

import pytest
import time_machine

from tests.conftest import expect
from tests.countries import DANISH_HOLIDAY, NORWEGIAN_HOLIDAY, danish_workshop, local


@pytest.fixture
def workshop(world):
    return danish_workshop()


def day_list(api, department, day=None, language="") -> dict:
    """The day's list in the language asked for; by default none is asked for, so it is
    the user's (here their organisation's): the holiday's name in the staff's own words."""
    query = {"department_id": str(department.id)}
    if day:
        query["date"] = day.isoformat()
    headers = {"Accept-Language": language}
    return expect(api.get("/today", query_string=query, headers=headers), 200)


def expected(listing: dict) -> dict[str, bool]:
    return {row["participant"]["first_name"]: row["expected"] for row in listing["participants"]}


def test_on_17_may_norway_is_off_and_denmark_at_work(world, workshop, as_user):
    with time_machine.travel(local(NORWEGIAN_HOLIDAY, 8), tick=False):
        norway = day_list(as_user(world.facilitator), world.dept_a1)
        denmark = day_list(as_user(workshop.pedagogue), workshop.department)
    assert (norway["date"], denmark["date"]) == ("2028-05-17", "2028-05-17")
    assert expected(norway) == {"PersonA1": False}
    assert norway["holiday"] == "Grunnlovsdag"
    assert expected(denmark) == {"Mette": True}
    assert denmark["holiday"] is None
    with time_machine.travel(local(NORWEGIAN_HOLIDAY, 8), tick=False):
        english = day_list(as_user(world.facilitator), world.dept_a1, language="en")
    assert english["holiday"] == "Constitution Day"


def test_on_grundlovsdag_denmark_is_off_and_norway_at_work(world, workshop, as_user):
    with time_machine.travel(local(DANISH_HOLIDAY, 8), tick=False):
        norway = day_list(as_user(world.facilitator), world.dept_a1)
        denmark = day_list(as_user(workshop.pedagogue), workshop.department)
    assert expected(norway) == {"PersonA1": True}
    assert norway["holiday"] is None
    assert expected(denmark) == {"Mette": False}
    assert denmark["holiday"] == "Grundlovsdag"


def test_an_ordinary_day_is_no_holiday_anywhere(world, workshop, as_user):
    with time_machine.travel(local(DANISH_HOLIDAY, 8), tick=False):
        thursday = DANISH_HOLIDAY.replace(day=4)
        for api, department, name in (
            (as_user(world.facilitator), world.dept_a1, "PersonA1"),
            (as_user(workshop.pedagogue), workshop.department, "Mette"),
        ):
            listing = day_list(api, department, thursday)
            assert (expected(listing), listing["holiday"]) == ({name: True}, None)


def test_a_change_of_country_flips_the_expected_days(world, as_user):
    """Organisation A's admin makes it Danish: 1 May becomes a working day, Grundlovsdag a
    day off, in the day's list and in the attendance rates alike."""
    may_day = DANISH_HOLIDAY.replace(month=5, day=1)  # Friday 1 May 2026
    with time_machine.travel(local(DANISH_HOLIDAY.replace(day=15), 8), tick=False):
        staff, admin = as_user(world.facilitator), as_user(world.admin)
        summary_path = f"/participants/{world.participant_a1.id}/attendance-summary"
        june = {"from": "2026-06-01", "to": "2026-06-05"}

        assert expected(day_list(staff, world.dept_a1, DANISH_HOLIDAY)) == {"PersonA1": True}
        assert expected(day_list(staff, world.dept_a1, may_day)) == {"PersonA1": False}
        assert expect(staff.get(summary_path, query_string=june), 200)["expected_days"] == 5

        expect(admin.patch("/organisation", json={"country": "DK"}), 200)

        danish = day_list(staff, world.dept_a1, DANISH_HOLIDAY)
        assert (expected(danish), danish["holiday"]) == ({"PersonA1": False}, "Grundlovsdag")
        ordinary = day_list(staff, world.dept_a1, may_day)
        assert (expected(ordinary), ordinary["holiday"]) == ({"PersonA1": True}, None)
        assert expect(staff.get(summary_path, query_string=june), 200)["expected_days"] == 4
        # Organisation B keeps Norway's holidays.
        other = day_list(as_user(world.admin_b), world.dept_b1, may_day)
        assert (expected(other), other["holiday"]) == ({"PersonB1": False}, "Arbeidernes dag")
