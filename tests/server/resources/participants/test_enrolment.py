"""The terms of a place: the enrolment type follows the organisation's country (Denmark:
§ 103 or § 104, required; Norway: none), and full-time means five days a week or more."""

import pytest

from tests.conftest import expect
from tests.countries import danish_workshop, new_participant


def patch(api, participant_id, **changes):
    path = f"/participants/{participant_id}"
    etag = api.get(path).headers["ETag"]
    return api.patch(path, json=changes, headers={"If-Match": etag})


def test_denmark_requires_an_enrolment_type(app, as_user):
    workshop = danish_workshop()
    department = workshop.department
    api = as_user(workshop.leader)

    missing = api.post("/participants", json=new_participant(department))
    empty = api.post("/participants", json=new_participant(department, enrolment_type=None))
    created = api.post("/participants", json=new_participant(department, enrolment_type="dk_104"))

    for response in (missing, empty):
        assert response.status_code == 422, response.json
        assert set(response.json["errors"]["json"]) == {"enrolment_type"}
    body = expect(created, 201)
    assert body["enrolment_type"] == "dk_104"
    changed = expect(patch(api, body["id"], enrolment_type="dk_103"), 200)
    assert changed["enrolment_type"] == "dk_103"
    cleared = patch(api, body["id"], enrolment_type=None)
    assert cleared.status_code == 422
    assert set(cleared.json["errors"]["json"]) == {"enrolment_type"}
    # Other changes leave the type alone.
    assert expect(patch(api, body["id"], phone="+45 20 12 34 56"), 200)["phone"] == "+4520123456"


def test_norway_has_no_enrolment_types(world, as_user):
    api = as_user(world.facilitator)
    refused = api.post(
        "/participants", json=new_participant(world.dept_a1, enrolment_type="dk_103")
    )
    assert refused.status_code == 422, refused.json
    assert set(refused.json["errors"]["json"]) == {"enrolment_type"}
    created = expect(api.post("/participants", json=new_participant(world.dept_a1)), 201)
    assert created["enrolment_type"] is None
    patched = patch(api, created["id"], enrolment_type="dk_104")
    assert patched.status_code == 422
    assert expect(patch(api, created["id"], enrolment_type=None), 200)["enrolment_type"] is None


def test_unknown_enrolment_type_is_refused(world, as_user):
    response = as_user(world.admin).post(
        "/participants", json=new_participant(world.dept_a1, enrolment_type="no_1")
    )
    assert response.status_code == 422
    assert set(response.json["errors"]["json"]) == {"enrolment_type"}


@pytest.mark.parametrize(
    "participation, days, status",
    [
        ("full_time", 5, 201),
        ("full_time", 7, 201),
        ("full_time", None, 201),
        ("full_time", 4, 422),
        ("part_time", 2, 201),
        ("part_time", 5, 201),
        (None, 3, 201),
        ("part_time", 0, 422),
        ("part_time", 8, 422),
        ("half_time", None, 422),
    ],
)
def test_participation_and_days_a_week(world, as_user, participation, days, status):
    body = new_participant(world.dept_a1, participation=participation, days_per_week=days)
    response = as_user(world.facilitator).post("/participants", json=body)
    assert response.status_code == status, response.json
    if status == 201:
        assert (response.json["participation"], response.json["days_per_week"]) == (
            participation,
            days,
        )
    else:
        assert set(response.json["errors"]["json"]) <= {"participation", "days_per_week"}


def test_a_change_to_part_days_keeps_full_time_honest(world, as_user):
    api = as_user(world.facilitator)
    created = expect(
        api.post("/participants", json=new_participant(world.dept_a1, participation="full_time")),
        201,
    )
    assert patch(api, created["id"], days_per_week=3).status_code == 422
    both = expect(patch(api, created["id"], participation="part_time", days_per_week=3), 200)
    assert (both["participation"], both["days_per_week"]) == ("part_time", 3)
