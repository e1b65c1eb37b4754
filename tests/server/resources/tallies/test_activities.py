"""The organisation's tally activities through HTTP: every staff member reads them in the
phone's order; only the admin adds, renames, moves or deactivates one; none is deleted."""

import pytest

from shared.vocab import Language, Role
from tests.conftest import expect, table_counts
from tests.factories import DepartmentFactory, OrganisationFactory, UserFactory
from tests.server.services.tallies.test_activities import DANISH, NORWEGIAN


@pytest.fixture
def admin(world, as_user):
    return as_user(world.admin)


def names(response) -> list[str]:
    return [activity["name"] for activity in expect(response, 200)]


@pytest.mark.parametrize("role", ["admin", "leader", "facilitator"])
def test_every_staff_member_reads_the_active_activities_in_order(world, as_user, role):
    assert names(as_user(world.user(role)).get("/tally-activities")) == NORWEGIAN


def test_a_danish_organisation_reads_them_in_danish(as_user):
    organisation = OrganisationFactory(language=Language.DANISH)
    department = DepartmentFactory(organisation=organisation)
    user = UserFactory(organisation=organisation, departments=[department])
    assert names(as_user(user).get("/tally-activities")) == DANISH


def test_the_admin_adds_one_last_in_the_order(admin):
    added = expect(admin.post("/tally-activities", json={"name": "  Kvinnegruppe "}), 201)
    assert (added["name"], added["active"], added["position"]) == ("Kvinnegruppe", True, 9)
    assert names(admin.get("/tally-activities")) == [*NORWEGIAN, "Kvinnegruppe"]


@pytest.mark.parametrize("role", ["leader", "facilitator"])
def test_only_the_admin_changes_the_list(world, as_user, admin, role):
    api = as_user(world.user(role))
    activity = expect(admin.get("/tally-activities"), 200)[0]
    before = table_counts()["tally_activities"]
    assert api.post("/tally-activities", json={"name": "Kvinnegruppe"}).status_code == 403
    patched = api.patch(f"/tally-activities/{activity['id']}", json={"name": "Noe annet"})
    assert patched.status_code == 403
    assert table_counts()["tally_activities"] == before
    assert names(admin.get("/tally-activities")) == NORWEGIAN


def test_an_active_name_is_taken_in_any_case(admin):
    counts = table_counts()
    taken = admin.post("/tally-activities", json={"name": "temakveld"})
    assert taken.status_code == 409, taken.json
    assert taken.json["errors"]["json"] == {"name": ["An active activity has this name already."]}
    assert table_counts() == counts
    first = expect(admin.get("/tally-activities"), 200)[0]
    renamed = admin.patch(f"/tally-activities/{first['id']}", json={"name": "TEMAKVELD"})
    assert renamed.status_code == 409


def test_deactivated_it_leaves_the_phones_list_and_frees_its_name(admin):
    walk_in = expect(admin.get("/tally-activities"), 200)[0]
    off = expect(admin.patch(f"/tally-activities/{walk_in['id']}", json={"active": False}), 200)
    assert off["active"] is False
    assert "Innom-stikk" not in names(admin.get("/tally-activities"))
    every = expect(admin.get("/tally-activities?include_inactive=true"), 200)
    assert [a["name"] for a in every] == NORWEGIAN
    # A new one may take the name; the old one cannot come back beside it.
    expect(admin.post("/tally-activities", json={"name": "Innom-stikk"}), 201)
    back = admin.patch(f"/tally-activities/{walk_in['id']}", json={"active": True})
    assert back.status_code == 409


def test_renamed_and_moved(admin):
    activities = expect(admin.get("/tally-activities"), 200)
    nada = activities[1]
    moved = expect(
        admin.patch(f"/tally-activities/{nada['id']}", json={"name": "NADA", "position": 0}), 200
    )
    assert (moved["name"], moved["position"]) == ("NADA", 0)
    assert names(admin.get("/tally-activities"))[:2] == ["NADA", "Innom-stikk"]


def test_another_organisations_activity_is_404(world, as_user, admin):
    theirs = expect(as_user(world.admin_b).get("/tally-activities"), 200)[0]
    assert (
        admin.patch(f"/tally-activities/{theirs['id']}", json={"active": False}).status_code == 404
    )


def test_no_activity_is_deleted(admin):
    activity = expect(admin.get("/tally-activities"), 200)[0]
    assert admin.delete(f"/tally-activities/{activity['id']}").status_code == 405


def test_leaders_of_another_organisation_see_their_own_list(as_user):
    organisation = OrganisationFactory()
    department = DepartmentFactory(organisation=organisation)
    leader = UserFactory(organisation=organisation, role=Role.LEADER, departments=[department])
    assert names(as_user(leader).get("/tally-activities")) == NORWEGIAN
