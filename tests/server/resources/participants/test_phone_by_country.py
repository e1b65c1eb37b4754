"""A phone number typed without a country code is one of the organisation's country: a
Danish workshop's eight digits are +45, a Norwegian café's +47; a number with its code
stays what it says."""

from tests.conftest import expect
from tests.countries import danish_workshop, new_participant


def person(department, phone) -> dict:
    return new_participant(department, phone=phone, enrolment_type="dk_103")


def test_eight_digits_are_a_number_of_the_organisations_country(app, world, as_user):
    workshop = danish_workshop()
    danish = as_user(workshop.pedagogue)
    norwegian = as_user(world.leader)

    citizen = expect(
        danish.post("/participants", json=person(workshop.department, "20 12 34 56")), 201
    )
    assert citizen["phone"] == "+4520123456"
    abroad = expect(
        danish.post("/participants", json=person(workshop.department, "+47 912 34 567")), 201
    )
    assert abroad["phone"] == "+4791234567"

    schedule = danish.put(
        f"/participants/{citizen['id']}/wakeup-schedule",
        json={"weekdays": [1, 2, 3], "time": "07:30", "phone": "31 23 45 67"},
    )
    assert expect(schedule, 201)["phone"] == "+4531234567"

    participant = norwegian.get(f"/participants/{world.participant_a1.id}")
    changed = norwegian.patch(
        f"/participants/{world.participant_a1.id}",
        json={"phone": "912 34 567"},
        headers={"If-Match": participant.headers["ETag"]},
    )
    assert expect(changed, 200)["phone"] == "+4791234567"
