"""No wake-up calls on a public holiday of the organisation's country (GET /wakeups): none in
Norway on 17 May, none in Denmark on Grundlovsdag, and the other country's calls as usual."""

import pytest
import time_machine

from tests.conftest import expect
from tests.countries import (
    DANISH_HOLIDAY,
    NORWEGIAN_HOLIDAY,
    danish_workshop,
    local,
    wake_up_at_seven,
)


@pytest.fixture
def workshop(world):
    workshop = danish_workshop()
    wake_up_at_seven(world.participant_a1, world.admin)
    wake_up_at_seven(workshop.citizen, workshop.admin)
    return workshop


def calls(api, department) -> list[str]:
    listing = expect(api.get("/wakeups", query_string={"department_id": str(department.id)}), 200)
    return [call["participant"]["first_name"] for call in listing]


def test_on_17_may_only_the_danish_citizen_is_called(world, workshop, as_user):
    with time_machine.travel(local(NORWEGIAN_HOLIDAY, 6), tick=False):
        assert calls(as_user(world.facilitator), world.dept_a1) == []
        assert calls(as_user(workshop.pedagogue), workshop.department) == ["Mette"]


def test_on_grundlovsdag_only_the_norwegian_participant_is_called(world, workshop, as_user):
    with time_machine.travel(local(DANISH_HOLIDAY, 6), tick=False):
        assert calls(as_user(world.facilitator), world.dept_a1) == ["PersonA1"]
        assert calls(as_user(workshop.pedagogue), workshop.department) == []


def test_a_change_of_country_cancels_the_days_calls(world, workshop, as_user):
    """Today's calls are brought in line the next time the list is read."""
    with time_machine.travel(local(DANISH_HOLIDAY, 6), tick=False):
        staff = as_user(world.facilitator)
        [call] = expect(
            staff.get("/wakeups", query_string={"department_id": str(world.dept_a1.id)}), 200
        )
        assert call["status"] == "pending"
        expect(as_user(world.admin).patch("/organisation", json={"country": "DK"}), 200)
        [after] = expect(
            staff.get("/wakeups", query_string={"department_id": str(world.dept_a1.id)}), 200
        )
        assert (after["id"], after["status"]) == (call["id"], "cancelled")
