"""The organisation (GET|PATCH /organisation): every staff member reads their own, its
admin changes it, with history, and no one reaches another organisation's."""

from sqlalchemy import select

from server.database import db
from server.models import ChangeRecord
from tests.conftest import expect

NORWEGIAN = {"country": "NO", "language": "nb", "timezone": "Europe/Oslo"}


def test_every_staff_member_reads_their_own_organisation(world, as_user):
    for user in (world.admin, world.leader, world.facilitator, world.facilitator_a2):
        body = expect(as_user(user).get("/organisation"), 200)
        assert body == {"id": str(world.org_a.id), "name": "Org A", **NORWEGIAN}
    other = expect(as_user(world.admin_b).get("/organisation"), 200)
    assert other == {"id": str(world.org_b.id), "name": "Org B", **NORWEGIAN}


def test_the_admin_changes_it_and_the_history_keeps_what_was(world, as_user):
    admin = as_user(world.admin)
    change = {
        "name": "Værkstedet",
        "country": "DK",
        "language": "da",
        "timezone": "Europe/Copenhagen",
    }
    changed = expect(admin.patch("/organisation", json=change), 200)
    assert changed == {"id": str(world.org_a.id), **change}
    assert expect(as_user(world.facilitator).get("/organisation"), 200) == changed

    renamed = expect(admin.patch("/organisation", json={"name": " Værkstedet Øst "}), 200)
    assert {**changed, "name": "Værkstedet Øst"} == renamed

    records = db.session.scalars(
        select(ChangeRecord)
        .where(ChangeRecord.entity == "organisation", ChangeRecord.entity_id == world.org_a.id)
        .order_by(ChangeRecord.at)
    ).all()
    assert [record.changes for record in records] == [
        {
            "name": ["Org A", "Værkstedet"],
            "country": ["NO", "DK"],
            "language": ["nb", "da"],
            "timezone": ["Europe/Oslo", "Europe/Copenhagen"],
        },
        {"name": ["Værkstedet", "Værkstedet Øst"]},
    ]
    assert {record.user_id for record in records} == {world.admin.id}
    assert {record.organisation_id for record in records} == {world.org_a.id}


def test_nothing_changed_keeps_no_history(world, as_user):
    admin = as_user(world.admin)
    assert expect(admin.patch("/organisation", json={}), 200)["country"] == "NO"
    assert expect(admin.patch("/organisation", json=NORWEGIAN), 200)["name"] == "Org A"
    assert (
        db.session.scalars(select(ChangeRecord).where(ChangeRecord.entity == "organisation")).all()
        == []
    )


def test_another_organisation_is_out_of_reach(world, as_user):
    expect(as_user(world.admin).patch("/organisation", json={"country": "DK"}), 200)
    other = expect(as_user(world.admin_b).get("/organisation"), 200)
    assert (other["id"], other["country"]) == (str(world.org_b.id), "NO")
    expect(as_user(world.admin_b).patch("/organisation", json={"language": "da"}), 200)
    own = expect(as_user(world.admin).get("/organisation"), 200)
    assert (own["country"], own["language"]) == ("DK", "nb")


def test_staff_below_admin_may_not_change_it(world, as_user):
    for user in (world.leader, world.facilitator):
        refused = expect(as_user(user).patch("/organisation", json={"country": "DK"}), 403)
        assert refused["code"] == 403
    assert expect(as_user(world.admin).get("/organisation"), 200)["country"] == "NO"
