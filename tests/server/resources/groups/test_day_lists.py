"""The day's list (GET /today) and the wake-up list (GET /wakeups) by group: each row names
the participant's group, ``?group_id=`` narrows the list to one group of the department,
and the caller's own groups come first, then the others by name, then those in none, in
the list's usual order inside each. Without groups, the order is what it always was."""

import uuid
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine

from server.database import db
from server.models import WakeupSchedule
from tests.conftest import expect
from tests.factories import ParticipantFactory, UserFactory, make_plan
from tests.querycount import count_queries, without_log_inserts

OSLO = ZoneInfo("Europe/Oslo")
MONDAY = date(2026, 6, 15)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(datetime.combine(MONDAY, time(6), OSLO), tick=False) as traveller:
        yield traveller


@pytest.fixture
def scene(world, as_user):
    """In A1: the facilitator's group "Verkstedet", the leader's group "Butikken", a group
    "Arkivet" with nobody responsible, and people in each and in none; every one of them
    expected today, with a wake-up call at a time that orders them."""
    leader = as_user(world.leader)
    groups = {}
    for name, responsible in [
        ("Verkstedet", world.facilitator),
        ("Butikken", world.leader),
        ("Arkivet", None),
    ]:
        body = {"name": name}
        if responsible:
            body["responsible_user_id"] = str(responsible.id)
        groups[name] = expect(
            leader.post(f"/departments/{world.dept_a1.id}/groups", json=body), 201
        )["id"]
    people = {}
    for first, group, wake in [
        ("Anne", "Verkstedet", "07:30"),
        ("Bjørn", "Verkstedet", "07:00"),
        ("Cato", "Butikken", "07:15"),
        ("Dina", "Arkivet", "07:05"),
        ("Eli", None, "06:50"),
        ("Frode", "Butikken", "06:55"),
    ]:
        participant = ParticipantFactory(department=world.dept_a1, first_name=first)
        make_plan(participant, world.admin)
        db.session.add(
            WakeupSchedule(
                participant_id=participant.id,
                weekdays=[1, 2, 3, 4, 5],
                time=time.fromisoformat(wake),
                phone="+4791234567",
                updated_by_id=world.admin.id,
            )
        )
        db.session.commit()
        if group:
            path = f"/participants/{participant.id}"
            etag = leader.get(path).headers["ETag"]
            expect(
                leader.patch(path, json={"group_id": groups[group]}, headers={"If-Match": etag}),
                200,
            )
        people[first] = participant
    return groups, people


def today(api, world, **query):
    response = api.get("/today", query_string={"department_id": str(world.dept_a1.id), **query})
    assert response.status_code == 200, response.json
    return [
        (r["participant"]["first_name"], (r["group"] or {}).get("name"))
        for r in response.json["participants"]
    ]


def wakeups(api, world, **query):
    response = api.get("/wakeups", query_string={"department_id": str(world.dept_a1.id), **query})
    assert response.status_code == 200, response.json
    return [(r["participant"]["first_name"], (r["group"] or {}).get("name")) for r in response.json]


def test_today_shows_the_callers_own_group_first(world, as_user, scene):
    # The facilitator: Verkstedet first; then Arkivet, Butikken by name; then no group.
    # Inside each, the usual order: everyone is expected at 09:00, so by name.
    assert today(as_user(world.facilitator), world) == [
        ("Anne", "Verkstedet"),
        ("Bjørn", "Verkstedet"),
        ("Dina", "Arkivet"),
        ("Cato", "Butikken"),
        ("Frode", "Butikken"),
        ("Eli", None),
        ("PersonA1", None),
    ]
    # The leader: Butikken first.
    assert [name for name, _ in today(as_user(world.leader), world)][:3] == [
        "Cato",
        "Frode",
        "Dina",
    ]


def test_wakeups_show_the_callers_own_group_first_due_first_inside(world, as_user, scene):
    assert wakeups(as_user(world.facilitator), world) == [
        ("Bjørn", "Verkstedet"),  # 07:00
        ("Anne", "Verkstedet"),  # 07:30
        ("Dina", "Arkivet"),
        ("Frode", "Butikken"),  # 06:55
        ("Cato", "Butikken"),  # 07:15
        ("Eli", None),
    ]
    # The admin is responsible for none: the groups by name, then no group.
    assert [group for _, group in wakeups(as_user(world.admin), world)] == [
        "Arkivet",
        "Butikken",
        "Butikken",
        "Verkstedet",
        "Verkstedet",
        None,
    ]


def test_a_group_filter_narrows_both_lists(world, as_user, scene):
    groups, _ = scene
    api = as_user(world.facilitator)
    assert today(api, world, group_id=groups["Butikken"]) == [
        ("Cato", "Butikken"),
        ("Frode", "Butikken"),
    ]
    assert wakeups(api, world, group_id=groups["Butikken"]) == [
        ("Frode", "Butikken"),
        ("Cato", "Butikken"),
    ]


def test_a_group_of_another_department_is_404_on_both_lists(world, as_user, scene):
    other = expect(
        as_user(world.admin).post(
            f"/departments/{world.dept_a2.id}/groups", json={"name": "Arendal"}
        ),
        201,
    )
    api = as_user(world.facilitator)
    for path in ("/today", "/wakeups"):
        for group_id in (other["id"], str(uuid.uuid4())):
            response = api.get(
                path, query_string={"department_id": str(world.dept_a1.id), "group_id": group_id}
            )
            assert response.status_code == 404, (path, response.json)


def test_without_groups_the_order_is_as_before(world, as_user):
    for first in ("Åse", "Bo", "Cecilie"):
        make_plan(ParticipantFactory(department=world.dept_a1, first_name=first), world.admin)
    ParticipantFactory(department=world.dept_a1, first_name="Aldri")  # no plan: not expected
    # Expected first, then by name (all are Hansen), as the list has always been.
    assert today(as_user(world.facilitator), world) == [
        ("Bo", None),
        ("Cecilie", None),
        ("PersonA1", None),
        ("Åse", None),
        ("Aldri", None),
    ]


def test_group_rows_cost_no_query_per_row(world, as_user, scene):
    groups, _ = scene
    api = as_user(world.facilitator)
    today(api, world)
    wakeups(api, world)
    with count_queries() as few_today:
        today(api, world)
    with count_queries() as few_calls:
        wakeups(api, world)
    for n in range(30):
        participant = ParticipantFactory(department=world.dept_a1, first_name=f"P{n:02d}")
        participant.group_id = uuid.UUID(groups["Arkivet"]) if n % 2 else None
        make_plan(participant, world.admin)
    wakeups(api, world)
    with count_queries() as many_today:
        today(api, world)
    with count_queries() as many_calls:
        wakeups(api, world)
    # Whether the access log gets a row depends on who was listed this hour, not on how many.
    many_today, few_today = without_log_inserts(many_today), without_log_inserts(few_today)
    many_calls, few_calls = without_log_inserts(many_calls), without_log_inserts(few_calls)
    assert len(many_today) == len(few_today), "\n".join(many_today)
    assert len(many_calls) == len(few_calls), "\n".join(many_calls)


def test_the_responsible_staff_member_sees_their_group_first_on_another_users_list(
    world, as_user, scene
):
    groups, _ = scene
    second = UserFactory(
        organisation=world.org_a, username="tilrettelegger-b", departments=[world.dept_a1]
    )
    expect(
        as_user(world.leader).patch(
            f"/groups/{groups['Arkivet']}", json={"responsible_user_id": str(second.id)}
        ),
        200,
    )
    assert today(as_user(second), world)[0] == ("Dina", "Arkivet")
