"""Groups through HTTP: made by the department's leader, listed to its staff, one group at
a time for a participant with the history kept, and never a group of another department."""

import json

import pytest

from tests.conftest import expect
from tests.factories import DepartmentFactory, ParticipantFactory, UserFactory


@pytest.fixture
def leader(world, as_user):
    return as_user(world.leader)


@pytest.fixture
def admin(world, as_user):
    return as_user(world.admin)


def make_group(api, department, name, responsible=None, status=201):
    body = {"name": name}
    if responsible is not None:
        body["responsible_user_id"] = str(responsible.id)
    return expect(api.post(f"/departments/{department.id}/groups", json=body), status)


def move(api, participant, **changes):
    """PATCH the participant with their current ETag."""
    path = f"/participants/{participant.id}"
    read = api.get(path)
    assert read.status_code == 200, read.json
    return api.patch(path, json=changes, headers={"If-Match": read.headers["ETag"]})


def history(api, participant):
    return expect(api.get(f"/participants/{participant.id}/groups"), 200)


def test_leader_makes_lists_and_changes_groups(world, leader, as_user):
    kitchen = make_group(leader, world.dept_a1, " Kjøkkenet ", world.facilitator)
    assert kitchen["name"] == "Kjøkkenet"
    assert kitchen["department_id"] == str(world.dept_a1.id)
    assert kitchen["responsible_user_id"] == str(world.facilitator.id)
    assert kitchen["active"] is True
    make_group(leader, world.dept_a1, "Butikken")
    make_group(leader, world.dept_a1, "Åpen verksted")

    facilitator = as_user(world.facilitator)
    response = facilitator.get(f"/departments/{world.dept_a1.id}/groups?page_size=2")
    assert response.status_code == 200
    assert [g["name"] for g in response.json] == ["Butikken", "Kjøkkenet"]
    assert json.loads(response.headers["X-Pagination"])["total"] == 3

    changed = expect(
        leader.patch(
            f"/groups/{kitchen['id']}",
            json={"name": "Kjøkken og kafé", "responsible_user_id": None, "active": False},
        ),
        200,
    )
    assert (changed["name"], changed["responsible_user_id"], changed["active"]) == (
        "Kjøkken og kafé",
        None,
        False,
    )
    assert expect(facilitator.get(f"/groups/{kitchen['id']}"), 200) == changed
    open_only = facilitator.get(f"/departments/{world.dept_a1.id}/groups?active=true").json
    assert [g["name"] for g in open_only] == ["Butikken", "Åpen verksted"]
    # The facilitator reads them but makes and changes none.
    assert (
        facilitator.post(f"/departments/{world.dept_a1.id}/groups", json={"name": "X"}).status_code
        == 403
    )
    assert facilitator.patch(f"/groups/{kitchen['id']}", json={"name": "X"}).status_code == 403


def test_groups_are_scoped_to_departments_and_organisations(world, admin, leader, as_user):
    a2 = make_group(admin, world.dept_a2, "Arendal-gruppa")
    b1 = make_group(as_user(world.admin_b), world.dept_b1, "Bergen-gruppa")
    # The leader of A1 sees neither A2's group nor B's, as if they did not exist.
    for group in (a2, b1):
        assert leader.get(f"/groups/{group['id']}").status_code == 404
        assert leader.patch(f"/groups/{group['id']}", json={"name": "Mine"}).status_code == 404
    assert leader.get(f"/departments/{world.dept_a2.id}/groups").status_code == 404
    # The admin of A sees A2's group but not B's.
    assert admin.get(f"/groups/{a2['id']}").status_code == 200
    assert admin.get(f"/groups/{b1['id']}").status_code == 404
    assert admin.get(f"/departments/{world.dept_b1.id}/groups").status_code == 404
    # Nor do the lists show them.
    assert leader.get(f"/departments/{world.dept_a1.id}/groups").json == []


def test_the_responsible_user_must_work_in_the_department(world, leader):
    inactive = UserFactory(
        organisation=world.org_a, username="sluttet", departments=[world.dept_a1], active=False
    )
    for user in (world.facilitator_a2, world.admin_b, world.admin, inactive):
        response = leader.post(
            f"/departments/{world.dept_a1.id}/groups",
            json={"name": "Verkstedet", "responsible_user_id": str(user.id)},
        )
        assert response.status_code == 422, (user.username, response.json)
        assert set(response.json["errors"]["json"]) == {"responsible_user_id"}
    assert make_group(leader, world.dept_a1, "Verkstedet", world.leader)["responsible_user_id"]


def test_membership_history_after_several_moves(world, leader, as_user):
    participant = world.participant_a1
    kitchen = make_group(leader, world.dept_a1, "Kjøkkenet")
    shop = make_group(leader, world.dept_a1, "Butikken")
    assert history(leader, participant) == []
    assert (
        expect(move(leader, participant, group_id=kitchen["id"]), 200)["group_id"]
        == (kitchen["id"])
    )
    expect(move(leader, participant, group_id=shop["id"]), 200)
    # The same group again changes nothing.
    expect(move(leader, participant, group_id=shop["id"]), 200)
    expect(move(leader, participant, group_id=None), 200)
    expect(move(leader, participant, group_id=kitchen["id"]), 200)

    spans = history(as_user(world.facilitator), participant)
    assert [(s["group"]["name"], s["left_at"] is None) for s in spans] == [
        ("Kjøkkenet", True),
        ("Butikken", False),
        ("Kjøkkenet", False),
    ]
    assert spans[0]["group"] == {"id": kitchen["id"], "name": "Kjøkkenet"}
    # Each span ends where the next begins or later, newest first.
    assert spans[1]["joined_at"] <= spans[1]["left_at"] <= spans[0]["joined_at"]
    assert spans[2]["left_at"] <= spans[1]["joined_at"]
    # A read of the history is in the participant's access log.
    log = expect(leader.get(f"/participants/{participant.id}/access-log"), 200)
    assert any(entry["resource"] == "group_membership" for entry in log)


def test_a_participant_joins_a_group_when_registered(world, leader):
    kitchen = make_group(leader, world.dept_a1, "Kjøkkenet")
    created = expect(
        leader.post(
            "/participants",
            json={
                "first_name": "Ny",
                "last_name": "Deltaker",
                "department_id": str(world.dept_a1.id),
                "gender": "female",
                "start_date": "2026-03-02",
                "consent_nav_reporting": True,
                "group_id": kitchen["id"],
                "participation": "part_time",
                "days_per_week": 3,
            },
        ),
        201,
    )
    assert created["group_id"] == kitchen["id"]
    assert (created["participation"], created["days_per_week"]) == ("part_time", 3)
    spans = expect(leader.get(f"/participants/{created['id']}/groups"), 200)
    assert [(s["group"]["name"], s["left_at"]) for s in spans] == [("Kjøkkenet", None)]


def test_only_an_open_group_of_the_participants_department(world, admin, leader, as_user):
    participant = world.participant_a1
    closed = make_group(leader, world.dept_a1, "Nedlagt")
    expect(leader.patch(f"/groups/{closed['id']}", json={"active": False}), 200)
    a2 = make_group(admin, world.dept_a2, "Arendal-gruppa")
    b1 = make_group(as_user(world.admin_b), world.dept_b1, "Bergen-gruppa")
    for group in (closed, a2, b1, {"id": "00000000-0000-4000-8000-000000000000"}):
        for api in (leader, admin):
            response = move(api, participant, group_id=group["id"])
            assert response.status_code == 422, response.json
            assert set(response.json["errors"]["json"]) == {"group_id"}
    # Another department's group and a group nobody has read alike.
    unknown = move(leader, participant, group_id="00000000-0000-4000-8000-000000000000")
    assert move(leader, participant, group_id=b1["id"]).json == unknown.json
    assert history(admin, participant) == []


def test_a_department_move_closes_the_membership(world, admin, leader, as_user):
    participant = world.participant_a1
    kitchen = make_group(leader, world.dept_a1, "Kjøkkenet")
    expect(move(leader, participant, group_id=kitchen["id"]), 200)

    moved = expect(move(admin, participant, department_id=str(world.dept_a2.id)), 200)

    assert moved["group_id"] is None
    spans = history(admin, participant)
    assert len(spans) == 1 and spans[0]["left_at"] is not None
    # Moving with a group of the new department places them in it at once ...
    harbour = make_group(admin, world.dept_a2, "Havna")
    expect(move(admin, participant, department_id=str(world.dept_a1.id)), 200)
    both = expect(
        move(admin, participant, department_id=str(world.dept_a2.id), group_id=harbour["id"]),
        200,
    )
    assert both["group_id"] == harbour["id"]
    # ... and a group of the department left behind is refused, nothing changed.
    refused = move(admin, participant, department_id=str(world.dept_a1.id), group_id=harbour["id"])
    assert refused.status_code == 422
    assert set(refused.json["errors"]["json"]) == {"group_id"}
    names = [(s["group"]["name"], s["left_at"] is None) for s in history(admin, participant)]
    assert names == [("Havna", True), ("Kjøkkenet", False)]


def test_closing_a_group_leaves_its_members_without_one(world, leader, admin):
    """Its members' spans end when it closes; a client that sends the whole participant
    back, group included, can still change them until they have a new group."""
    participant = world.participant_a1
    kitchen = make_group(leader, world.dept_a1, "Kjøkkenet")
    expect(move(leader, participant, group_id=kitchen["id"]), 200)
    # Sending back the group one is in changes nothing, whatever has become of it.
    expect(move(leader, participant, group_id=kitchen["id"], nav_office="NAV Vennesla"), 200)
    assert len(history(admin, participant)) == 1

    expect(leader.patch(f"/groups/{kitchen['id']}", json={"active": False}), 200)

    person = expect(leader.get(f"/participants/{participant.id}"), 200)
    assert person["group_id"] is None
    [span] = history(admin, participant)
    assert span["group"]["name"] == "Kjøkkenet" and span["left_at"] is not None
    again = move(leader, participant, group_id=kitchen["id"])
    assert again.status_code == 422 and set(again.json["errors"]["json"]) == {"group_id"}


def test_ending_a_participant_ends_their_membership(world, leader, admin):
    participant = world.participant_a1
    kitchen = make_group(leader, world.dept_a1, "Kjøkkenet")
    expect(move(leader, participant, group_id=kitchen["id"]), 200)

    ended = leader.post(
        f"/participants/{participant.id}/end",
        json={"end_date": "2026-06-01", "outcome": "education"},
    )

    assert expect(ended, 200)["group_id"] is None
    [span] = history(admin, participant)
    assert span["left_at"] is not None


def test_the_export_holds_the_groups_and_the_terms_of_the_place(world, leader):
    participant = world.participant_a1
    kitchen = make_group(leader, world.dept_a1, "Kjøkkenet")
    expect(move(leader, participant, group_id=kitchen["id"], participation="full_time"), 200)
    document = expect(leader.get(f"/participants/{participant.id}/export?reason=Innsyn"), 200)
    assert [m["group_id"] for m in document["group_memberships"]] == [kitchen["id"]]
    assert document["participant"]["group_id"] == kitchen["id"]
    assert document["participant"]["participation"] == "full_time"
    assert "enrolment_type" in document["participant"]


def test_groups_of_a_new_department_start_empty(world, admin):
    department = DepartmentFactory(organisation=world.org_a, name="Mandal")
    ParticipantFactory(department=department)
    assert expect(admin.get(f"/departments/{department.id}/groups"), 200) == []


@pytest.mark.postgres(reason="concurrent requests are tested on PostgreSQL")
def test_two_moves_at_once_leave_one_open_membership(app, world, leader):
    import threading

    from sqlalchemy import func, select

    from server.database import db
    from server.models import GroupMembership
    from tests.conftest import login

    participant = world.participant_a1
    names = [f"Gruppe {n}" for n in range(6)]
    ids = [make_group(leader, world.dept_a1, name)["id"] for name in names]
    token = login(app.test_client(), world.leader.username)["access_token"]
    path = f"/api/v1/participants/{participant.id}"
    for round_ in range(3):
        etag = leader.get(f"/participants/{participant.id}").headers["ETag"]
        barrier, answers = threading.Barrier(2), []

        def phone(group_id, etag=etag, barrier=barrier, answers=answers):
            client = app.test_client()
            barrier.wait()
            response = client.patch(
                path,
                json={"group_id": group_id},
                headers={"Authorization": f"Bearer {token}", "If-Match": etag},
            )
            answers.append(response.status_code)

        pair = ids[2 * round_ : 2 * round_ + 2]
        threads = [threading.Thread(target=phone, args=(group_id,)) for group_id in pair]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert sorted(answers) == [200, 412], answers
        db.session.expire_all()
        open_spans = db.session.scalar(
            select(func.count())
            .select_from(GroupMembership)
            .where(
                GroupMembership.participant_id == participant.id,
                GroupMembership.left_at.is_(None),
            )
        )
        assert open_spans == 1
        current = leader.get(f"/participants/{participant.id}").json["group_id"]
        assert current in pair
        assert history(leader, participant)[0]["group"]["id"] == current
    assert len(history(leader, participant)) == 3
