"""The attendance lists a screen shows name each row's participant, in a fixed number of
queries however long the list."""

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from server.database import db
from tests.conftest import expect
from tests.factories import ParticipantFactory, make_plan
from tests.querycount import count_queries, without_log_inserts

OSLO = ZoneInfo("Europe/Oslo")
NOW = datetime(2026, 6, 15, 10, 0, tzinfo=OSLO)  # a Monday


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def api(world, as_user):
    return as_user(world.facilitator)


def fill(world, count: int) -> list:
    people = [
        ParticipantFactory(department=world.dept_a1, first_name=f"Navn{n}", last_name=f"Etter{n}")
        for n in range(count)
    ]
    for participant in people:
        make_plan(participant, world.admin)
    return people


def present(api, participant, day="2026-06-15"):
    body = {"participant_id": str(participant.id), "date": day, "status": "present"}
    expect(api.put(f"/attendance/{uuid.uuid4()}", json=body), 201)


def named(participant) -> dict:
    return {
        "id": str(participant.id),
        "first_name": participant.first_name,
        "last_name": participant.last_name,
    }


def test_the_days_records_name_their_participant(api, world):
    people = fill(world, 3)
    for participant in people:
        present(api, participant)
    query = {"department_id": str(world.dept_a1.id), "date": "2026-06-15"}
    rows = expect(api.get("/attendance", query_string=query), 200)
    assert [row["participant"] for row in rows] == [named(p) for p in people]
    assert [row["participant_id"] for row in rows] == [str(p.id) for p in people]

    by_participant = {
        "participant_id": str(people[0].id),
        "from": "2026-06-01",
        "to": "2026-06-15",
    }
    [row] = expect(api.get("/attendance", query_string=by_participant), 200)
    assert row["participant"] == named(people[0])


def test_rates_name_their_participant(api, world):
    people = fill(world, 2)
    present(api, people[1], "2026-06-12")
    rates = expect(
        api.get(
            "/attendance/rates",
            query_string={
                "department_id": str(world.dept_a1.id),
                "from": "2026-06-08",
                "to": "2026-06-12",
            },
        ),
        200,
    )
    by_name = {row["participant"]["first_name"]: row for row in rates}
    assert by_name["Navn1"]["participant"] == named(people[1])
    assert by_name["Navn1"]["present_days"] == 1
    assert by_name["PersonA1"]["participant_id"] == str(world.participant_a1.id)


def test_lists_cost_the_same_however_long(api, world):
    queries = {
        "/attendance": {
            "department_id": str(world.dept_a1.id),
            "date": "2026-06-15",
            "page_size": 100,
        },
        "/attendance/rates": {
            "department_id": str(world.dept_a1.id),
            "from": "2026-06-01",
            "to": "2026-06-15",
        },
    }

    def measure():
        counts, lengths = {}, {}
        for path, query in queries.items():
            with count_queries() as seen:
                lengths[path] = len(expect(api.get(path, query_string=query), 200))
            counts[path] = len(without_log_inserts(seen))
        return counts, lengths

    for participant in fill(world, 2):
        present(api, participant)
    few, few_lengths = measure()
    for participant in fill(world, 30):
        present(api, participant)
    db.session.commit()
    many, many_lengths = measure()
    assert many_lengths == {"/attendance": 32, "/attendance/rates": 33}
    assert few_lengths == {"/attendance": 2, "/attendance/rates": 3}
    assert many == few
