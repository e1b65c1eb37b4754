"""The anonymous activity tally through HTTP: recorded by client id in two taps, safe to
repeat, corrected with history by its author or a leader, undone, listed per department;
no participant anywhere, so no access-log rows."""

import json
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from server.database import db
from server.models import ChangeRecord, Tally, TallyActivity
from shared.vocab import Role
from tests.conftest import expect, table_counts
from tests.factories import DepartmentFactory, UserFactory

OSLO = ZoneInfo("Europe/Oslo")
NOW = datetime(2026, 6, 17, 14, 0, tzinfo=OSLO)  # a Wednesday
TODAY = "2026-06-17"


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def api(world, as_user):
    return as_user(world.facilitator)


def activity_id(organisation, name="Innom-stikk") -> str:
    return str(
        db.session.scalar(
            select(TallyActivity.id).where(
                TallyActivity.organisation_id == organisation.id, TallyActivity.name == name
            )
        )
    )


def body(world, **extra) -> dict:
    return {
        "department_id": str(world.dept_a1.id),
        "activity": activity_id(world.org_a),
        "who": "female",
        "date": TODAY,
        **extra,
    }


def record(api, world, tally_id=None, **extra):
    return api.put(f"/tallies/{tally_id or uuid.uuid4()}", json=body(world, **extra))


def history_of(tally_id) -> list[dict]:
    return [
        change.changes
        for change in db.session.scalars(
            select(ChangeRecord)
            .where(ChangeRecord.entity == "tally", ChangeRecord.entity_id == tally_id)
            .order_by(ChangeRecord.at)
        )
    ]


def test_two_taps_record_a_tally_with_the_defaults(api, world):
    tally_id = uuid.uuid4()
    counts = table_counts()
    created = expect(record(api, world, tally_id), 201)
    assert created["id"] == str(tally_id)
    assert (created["activity"], created["activity_name"]) == (
        activity_id(world.org_a),
        "Innom-stikk",
    )
    assert (created["who"], created["count"], created["first_contact"]) == ("female", 1, False)
    assert (created["date"], created["recorded_by_id"]) == (TODAY, str(world.facilitator.id))
    after = table_counts()
    # One row, and nothing about anyone: no access log, no history.
    assert after.pop("tallies") == counts.pop("tallies") + 1
    assert after == counts


def test_the_same_id_and_body_again_changes_nothing(api, world):
    tally_id = uuid.uuid4()
    first = expect(record(api, world, tally_id, count=3, first_contact=True), 201)
    counts = table_counts()
    again = record(api, world, tally_id, count=3, first_contact=True)
    assert again.status_code == 200
    assert again.json == first
    assert table_counts() == counts


def test_the_author_corrects_it_and_the_history_keeps_what_was_there(api, world):
    tally_id = uuid.uuid4()
    expect(record(api, world, tally_id), 201)
    corrected = expect(record(api, world, tally_id, who="male", count=2), 200)
    assert (corrected["who"], corrected["count"]) == ("male", 2)
    stored = db.session.get(Tally, tally_id)
    db.session.refresh(stored)
    assert (stored.who, stored.count) == ("male", 2)
    assert history_of(tally_id) == [{"who": ["female", "male"], "count": [1, 2]}]


def test_a_leader_corrects_a_facilitators_tally_and_another_facilitator_may_not(
    api, world, as_user
):
    tally_id = uuid.uuid4()
    expect(record(api, world, tally_id), 201)
    colleague = UserFactory(organisation=world.org_a, departments=[world.dept_a1])
    refused = record(as_user(colleague), world, tally_id, who="agency")
    assert refused.status_code == 403, refused.json
    assert refused.json["message"] == "Only the author or a leader may change a tally."
    leader = expect(record(as_user(world.leader), world, tally_id, who="agency"), 200)
    assert leader["who"] == "agency"
    assert leader["recorded_by_id"] == str(world.facilitator.id)
    change = db.session.scalars(
        select(ChangeRecord).where(ChangeRecord.entity_id == tally_id)
    ).one()
    assert change.user_id == world.leader.id
    assert change.participant_id is None


def test_an_id_used_for_another_department_is_a_conflict(world, as_user):
    admin = as_user(world.admin)
    tally_id = uuid.uuid4()
    expect(record(admin, world, tally_id), 201)
    moved = record(admin, world, tally_id, department_id=str(world.dept_a2.id))
    assert moved.status_code == 409, moved.json
    assert db.session.get(Tally, tally_id).department_id == world.dept_a1.id


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"date": "2026-06-18"}, "date"),
        ({"date": "2025-06-16"}, "date"),
        ({"count": 0}, "count"),
        ({"count": 501}, "count"),
        ({"who": "child"}, "who"),
        ({"activity": str(uuid.uuid4())}, "activity"),
    ],
)
def test_refusals_on_the_body_are_422_and_store_nothing(api, world, change, field):
    counts = table_counts()
    refused = record(api, world, **change)
    assert refused.status_code == 422, refused.json
    assert set(refused.json["errors"]["json"]) == {field}
    assert table_counts() == counts


def test_a_year_back_is_the_limit(api, world):
    expect(record(api, world, date="2025-06-17"), 201)
    assert record(api, world, date="2025-06-16").status_code == 422


def test_an_inactive_or_another_organisations_activity_is_refused(api, world, as_user):
    admin = as_user(world.admin)
    nada = activity_id(world.org_a, "NADA-øreakupunktur")
    expect(admin.patch(f"/tally-activities/{nada}", json={"active": False}), 200)
    inactive = record(api, world, activity=nada)
    assert inactive.status_code == 422
    assert inactive.json["errors"]["json"] == {"activity": ["The activity is no longer in use."]}
    other = record(api, world, activity=activity_id(world.org_b))
    assert other.status_code == 422
    assert other.json["errors"]["json"] == {"activity": ["Unknown activity."]}


def test_a_repeat_still_answers_after_its_activity_was_deactivated(api, world, as_user):
    tally_id = uuid.uuid4()
    first = expect(record(api, world, tally_id), 201)
    walk_in = activity_id(world.org_a)
    expect(as_user(world.admin).patch(f"/tally-activities/{walk_in}", json={"active": False}), 200)
    assert expect(record(api, world, tally_id), 200) == first


@pytest.mark.parametrize("where", ["dept_a2", "dept_b1"])
def test_a_department_outside_the_callers_is_404(api, world, where):
    refused = record(api, world, department_id=str(getattr(world, where).id))
    assert refused.status_code == 404, refused.json


def test_a_closed_department_takes_no_tallies(world, as_user):
    admin = as_user(world.admin)
    expect(admin.patch(f"/departments/{world.dept_a1.id}", json={"active": False}), 200)
    refused = record(admin, world)
    assert refused.status_code == 422
    assert set(refused.json["errors"]["json"]) == {"department_id"}


def test_undo_is_safe_to_repeat_and_the_tally_no_longer_counts(api, world):
    tally_id = uuid.uuid4()
    expect(record(api, world, tally_id), 201)
    assert api.delete(f"/tallies/{tally_id}").status_code == 204
    assert api.delete(f"/tallies/{tally_id}").status_code == 204
    listed = expect(api.get(f"/tallies?department_id={world.dept_a1.id}"), 200)
    assert listed == []
    assert history_of(tally_id) == [{"withdrawn": [False, True]}]
    # A late repeat of the write does not bring it back.
    late = record(api, world, tally_id)
    assert late.status_code == 410, late.json
    assert api.delete(f"/tallies/{uuid.uuid4()}").status_code == 404


def test_only_the_author_or_a_leader_undoes_a_tally(api, world, as_user):
    tally_id = uuid.uuid4()
    expect(record(api, world, tally_id), 201)
    colleague = UserFactory(organisation=world.org_a, departments=[world.dept_a1])
    assert as_user(colleague).delete(f"/tallies/{tally_id}").status_code == 403
    assert as_user(world.facilitator_a2).delete(f"/tallies/{tally_id}").status_code == 404
    assert as_user(world.admin_b).delete(f"/tallies/{tally_id}").status_code == 404
    assert as_user(world.leader).delete(f"/tallies/{tally_id}").status_code == 204


def test_the_list_is_the_departments_newest_first_with_the_activitys_name(api, world, as_user):
    expect(record(api, world, date="2026-06-15", who="male"), 201)
    expect(
        record(api, world, date="2026-06-17", activity=activity_id(world.org_a, "Temakveld")), 201
    )
    expect(record(api, world, date="2026-06-16", who="agency"), 201)
    expect(record(as_user(world.facilitator_a2), world, department_id=str(world.dept_a2.id)), 201)
    admin_b = as_user(world.admin_b)
    expect(
        record(
            admin_b, world, department_id=str(world.dept_b1.id), activity=activity_id(world.org_b)
        ),
        201,
    )

    response = api.get(f"/tallies?department_id={world.dept_a1.id}")
    listed = expect(response, 200)
    assert [(t["date"], t["activity_name"], t["who"]) for t in listed] == [
        ("2026-06-17", "Temakveld", "female"),
        ("2026-06-16", "Innom-stikk", "agency"),
        ("2026-06-15", "Innom-stikk", "male"),
    ]
    assert json.loads(response.headers["X-Pagination"])["total"] == 3
    period = expect(
        api.get(f"/tallies?department_id={world.dept_a1.id}&from=2026-06-16&to=2026-06-16"), 200
    )
    assert [t["who"] for t in period] == ["agency"]
    # Without a department: the caller's departments; never another organisation's.
    assert {t["department_id"] for t in expect(api.get("/tallies"), 200)} == {str(world.dept_a1.id)}
    admin = {t["department_id"] for t in expect(as_user(world.admin).get("/tallies"), 200)}
    assert admin == {str(world.dept_a1.id), str(world.dept_a2.id)}
    assert api.get(f"/tallies?department_id={world.dept_a2.id}").status_code == 404
    assert api.get(f"/tallies?department_id={world.dept_b1.id}").status_code == 404


def test_the_list_pages(api, world):
    for day in ("2026-06-10", "2026-06-11", "2026-06-12"):
        expect(record(api, world, date=day), 201)
    page = api.get(f"/tallies?department_id={world.dept_a1.id}&page=2&page_size=2")
    assert [t["date"] for t in expect(page, 200)] == ["2026-06-10"]
    assert json.loads(page.headers["X-Pagination"])["total_pages"] == 2


def test_a_danish_caller_reads_the_refusal_in_danish(world, client):
    department = DepartmentFactory(organisation=world.org_a)
    user = UserFactory(organisation=world.org_a, role=Role.LEADER, departments=[department])
    token = client.post(
        "/api/v1/auth/login", json={"username": user.username, "password": "Riktig-Hest-Batteri-9"}
    ).json["access_token"]
    response = client.put(
        f"/api/v1/tallies/{uuid.uuid4()}",
        json={**body(world, department_id=str(department.id)), "date": "2026-06-18"},
        headers={"Authorization": f"Bearer {token}", "Accept-Language": "da"},
    )
    assert response.status_code == 422
    assert response.json["errors"]["json"]["date"] == ["Må ikke ligge i fremtiden."]
