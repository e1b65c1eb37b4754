"""Input at the edges: never a 500, and a failing write in /sync fails only itself."""

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

NOW = datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Europe/Oslo"))


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def api(world, as_user):
    return as_user(world.admin)


def present(participant, **extra):
    return {
        "participant_id": str(participant.id),
        "date": "2026-06-15",
        "status": "present",
        "check_in_at": NOW.isoformat(),
        **extra,
    }


def test_lone_surrogates_are_422_even_before_login(client):
    response = client.post(
        "/api/v1/auth/login",
        data='{"username": "a\\ud800b", "password": "x"}',
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "username" in response.json["errors"]["json"]


@pytest.mark.parametrize("field", ["first_name", "nav_contact"])
def test_lone_surrogates_in_participant_text(api, world, field):
    body = {
        "first_name": "Ola",
        "last_name": "Nordmann",
        "department_id": str(world.dept_a1.id),
        "gender": "male",
        "start_date": "2026-01-05",
        "consent_nav_reporting": True,
    }
    response = api.client.post(
        "/api/v1/participants",
        data=__import__("json").dumps({**body, field: "x\ud800y"}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {api.token}"},
    )
    assert response.status_code == 422
    assert field in response.json["errors"]["json"]


@pytest.mark.parametrize(
    "extra",
    [
        {"check_in_at": "0001-01-01T00:00:00+01:00"},
        {"recorded_at": "9999-12-31T23:59:59-01:00"},
        {"date": "0001-01-01", "check_in_at": None},
    ],
)
def test_timestamps_and_dates_out_of_range_are_422(api, world, extra):
    response = api.put(f"/attendance/{uuid.uuid4()}", json=present(world.participant_a1, **extra))
    assert response.status_code == 422, response.json


@pytest.mark.parametrize(
    "path",
    [
        "/audit?to=9999-12-31",
        "/participants/{pid}/attendance-summary?from=2026-01-01&to=9999-12-31",
        "/attendance/rates?department_id={dept}&from=0001-01-01&to=2026-01-01",
        "/participants?page=1000000000000000000",
    ],
)
def test_extreme_query_values_are_422(api, world, path):
    """Well-formed values no date or page can reach: input that breaks a rule."""
    url = path.format(pid=world.participant_a1.id, dept=world.dept_a1.id)
    response = api.get(url)
    assert response.status_code == 422, response.json
    assert response.json["code"] == 422


def test_a_write_that_fails_on_the_server_fails_alone_in_sync(api, world, monkeypatch):
    from server.services.attendance import records as attendance

    real = attendance._validate

    def flaky(participant, body, timezone):
        if body.get("note") == "boom":
            raise RuntimeError("a bug")
        return real(participant, body, timezone)

    monkeypatch.setattr(attendance, "_validate", flaky)
    operations = [
        {
            "op_id": "1",
            "method": "PUT",
            "path": f"/attendance/{uuid.uuid4()}",
            "body": present(world.participant_a1),
        },
        {
            "op_id": "2",
            "method": "PUT",
            "path": f"/attendance/{uuid.uuid4()}",
            "body": present(world.participant_a2, note="boom"),
        },
        {
            "op_id": "3",
            "method": "PUT",
            "path": f"/attendance/{uuid.uuid4()}",
            "body": present(world.participant_a2),
        },
    ]
    response = api.post("/sync", json={"operations": operations})
    assert response.status_code == 200
    assert [r["status"] for r in response.json["results"]] == [201, 500, 201]
    assert response.json["results"][1]["body"]["code"] == 500
