"""Follow-ups through HTTP: logged by client id, corrected with history, listed without
notes, counted by kind, and the list of participants nobody has followed up lately."""

import json
import logging
import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from server.database import db
from server.models import AccessLogEntry, ChangeRecord, FollowUp
from tests.conftest import expect, table_counts
from tests.factories import ParticipantFactory, UserFactory
from tests.querycount import count_queries, without_log_inserts

OSLO = ZoneInfo("Europe/Oslo")
NOW = datetime(2026, 6, 17, 14, 0, tzinfo=OSLO)  # a Wednesday


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def api(world, as_user):
    return as_user(world.facilitator)


def body(participant, **extra) -> dict:
    return {
        "participant_id": str(participant.id),
        "kind": "conversation",
        "occurred_at": (NOW - timedelta(hours=2)).isoformat(),
        "duration_minutes": 30,
        "note": "Snakket om søvn og oppmøte. Vil prøve å legge seg før midnatt.",
        **extra,
    }


def log(api, participant, followup_id=None, **extra):
    return api.put(f"/followups/{followup_id or uuid.uuid4()}", json=body(participant, **extra))


def test_logging_is_safe_to_repeat(api, world):
    followup_id = uuid.uuid4()
    first = log(api, world.participant_a1, followup_id)
    assert first.status_code == 201, first.json
    assert first.json["id"] == str(followup_id)
    assert first.json["note"].startswith("Snakket om søvn")
    assert first.json["author"]["id"] == str(world.facilitator.id)

    counts = table_counts()
    again = log(api, world.participant_a1, followup_id)
    assert again.status_code == 200
    assert again.json == first.json
    after = table_counts()
    assert after.pop("access_log") == counts.pop("access_log") + 1  # the repeat is a read
    assert after == counts


def test_same_id_with_another_body_corrects_it_and_keeps_history(api, world):
    followup_id = uuid.uuid4()
    expect(log(api, world.participant_a1, followup_id), 201)
    corrected = log(api, world.participant_a1, followup_id, kind="home_visit", note="Hjemme.")
    assert corrected.status_code == 200
    assert (corrected.json["kind"], corrected.json["note"]) == ("home_visit", "Hjemme.")
    assert db.session.scalar(select(FollowUp.kind).where(FollowUp.id == followup_id)) == (
        "home_visit"
    )
    change = db.session.scalars(
        select(ChangeRecord).where(ChangeRecord.entity_id == followup_id)
    ).one()
    assert change.changes["kind"] == ["conversation", "home_visit"]
    assert change.changes["note"][1] == "Hjemme."
    assert change.user_id == world.facilitator.id


def test_an_id_never_moves_to_another_participant(api, world, as_user):
    other = ParticipantFactory(department=world.dept_a1)
    followup_id = uuid.uuid4()
    expect(log(api, world.participant_a1, followup_id), 201)
    moved = log(api, other, followup_id)
    assert moved.status_code == 409
    assert db.session.get(FollowUp, followup_id).participant_id == world.participant_a1.id


def test_only_the_author_or_a_leader_corrects(api, world, as_user):
    followup_id = uuid.uuid4()
    expect(log(api, world.participant_a1, followup_id), 201)
    colleague = UserFactory(
        organisation=world.org_a, username="kollega", departments=[world.dept_a1]
    )
    refused = log(as_user(colleague), world.participant_a1, followup_id, note="Endret.")
    assert refused.status_code == 403
    leader = log(as_user(world.leader), world.participant_a1, followup_id, note="Rettet.")
    assert leader.status_code == 200
    assert leader.json["note"] == "Rettet."


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"kind": "visit"}, "kind"),
        ({"occurred_at": (NOW + timedelta(hours=1)).isoformat()}, "occurred_at"),
        ({"occurred_at": "2025-12-01T10:00:00+01:00"}, "occurred_at"),  # before the start
        ({"occurred_at": "2026-06-17T10:00:00"}, "occurred_at"),  # no offset
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": 24 * 60 + 1}, "duration_minutes"),
        ({"duration_minutes": 12.5}, "duration_minutes"),
        ({"note": "x" * 4001}, "note"),
        ({"author_id": "00000000-0000-0000-0000-000000000000"}, "author_id"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(api, world, extra, field):
    counts = table_counts()
    response = log(api, world.participant_a1, **extra)
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]["json"]
    assert table_counts() == counts


def test_notes_are_for_the_department_staff_only(api, world, as_user):
    followup_id = uuid.uuid4()
    expect(log(api, world.participant_a1, followup_id), 201)
    assert api.get(f"/followups/{followup_id}").json["note"].startswith("Snakket")

    # The admin sees that there was a follow-up, but does not work in Songdalen.
    admin = as_user(world.admin)
    read = admin.get(f"/followups/{followup_id}")
    assert read.status_code == 200
    assert (read.json["note"], read.json["note_withheld"]) == (None, True)
    assert log(admin, world.participant_a1).status_code == 403
    # Staff of another department do not see it at all.
    assert as_user(world.facilitator_a2).get(f"/followups/{followup_id}").status_code == 404
    assert as_user(world.admin_b).get(f"/followups/{followup_id}").status_code == 404


def test_every_read_is_in_the_access_log(api, world):
    followup_id = uuid.uuid4()
    expect(log(api, world.participant_a1, followup_id), 201)
    api.get(f"/followups/{followup_id}")
    api.get("/followups", query_string={"participant_id": str(world.participant_a1.id)})
    actions = db.session.scalars(
        select(AccessLogEntry.action)
        .where(AccessLogEntry.resource.in_(["followup", "followup_list"]))
        .order_by(AccessLogEntry.at, AccessLogEntry.action)
    ).all()
    assert sorted(actions) == ["create", "list", "read"]


def test_list_by_period_never_carries_notes(api, world):
    pid = world.participant_a1.id
    for days_ago, kind in [(1, "phone"), (10, "home_visit"), (40, "accompaniment")]:
        moment = NOW - timedelta(days=days_ago)
        response = log(api, world.participant_a1, kind=kind, occurred_at=moment.isoformat())
        assert response.status_code == 201
    response = api.get(
        "/followups", query_string={"participant_id": str(pid), "from": "2026-06-01"}
    )
    assert response.status_code == 200
    assert [item["kind"] for item in response.json] == ["phone", "home_visit"]
    assert json.loads(response.headers["X-Pagination"])["total"] == 2
    for item in response.json:
        assert "note" not in item
        assert item["has_note"] is True
    assert "Snakket" not in response.get_data(as_text=True)

    by_kind = api.get("/followups", query_string={"participant_id": str(pid), "kind": "phone"})
    assert [item["kind"] for item in by_kind.json] == ["phone"]
    department = api.get("/followups", query_string={"department_id": str(world.dept_a1.id)})
    assert len(department.json) == 3
    # A department's list spans participants: each row names whom it is about.
    assert department.json[0]["participant"] == {
        "id": str(pid),
        "first_name": "PersonA1",
        "last_name": "Hansen",
    }
    assert department.json[0]["participant_id"] == str(pid)
    assert api.get("/followups").status_code == 422
    backwards = {"participant_id": str(pid), "from": "2026-06-10", "to": "2026-06-01"}
    assert api.get("/followups", query_string=backwards).status_code == 422


def test_a_period_is_in_local_days(api, world):
    """23:30 in Oslo on 31 May is 21:30 UTC: it belongs to May, not to June."""
    late = datetime(2026, 5, 31, 23, 30, tzinfo=OSLO)
    expect(log(api, world.participant_a1, occurred_at=late.isoformat()), 201)
    june = api.get(
        "/followups",
        query_string={"participant_id": str(world.participant_a1.id), "from": "2026-06-01"},
    )
    may = api.get(
        "/followups",
        query_string={
            "participant_id": str(world.participant_a1.id),
            "from": "2026-05-31",
            "to": "2026-05-31",
        },
    )
    assert (len(june.json), len(may.json)) == (0, 1)


def test_counts_by_kind_per_participant_and_department(api, world):
    other = ParticipantFactory(department=world.dept_a1, first_name="Annen", last_name="Aas")
    ParticipantFactory(department=world.dept_a1, first_name="Stille", last_name="Berg")
    for participant, kind, minutes in [
        (world.participant_a1, "conversation", 30),
        (world.participant_a1, "conversation", 15),
        (world.participant_a1, "home_visit", 60),
        (other, "accompaniment", 120),
        (other, "phone", None),
    ]:
        response = log(api, participant, kind=kind, duration_minutes=minutes)
        assert response.status_code == 201, response.json
    period = {"from": "2026-06-01", "to": "2026-06-30"}

    one = api.get(
        "/followups/counts", query_string={"participant_id": str(world.participant_a1.id), **period}
    ).json
    assert one["by_kind"] == {
        "conversation": 2,
        "phone": 0,
        "home_visit": 1,
        "accompaniment": 0,
        "other": 0,
    }
    assert (one["total"], one["minutes"]) == (3, 105)

    department = api.get(
        "/followups/counts", query_string={"department_id": str(world.dept_a1.id), **period}
    ).json
    assert department["total"] == 5
    assert department["by_kind"]["accompaniment"] == 1
    rows = {row["participant"]["first_name"]: row for row in department["participants"]}
    assert set(rows) == {"Annen", "Stille", "PersonA1"}  # everyone in the programme
    assert rows["Annen"]["total"] == 2
    assert rows["Stille"]["total"] == 0
    assert department["minutes"] == 225

    other_dept = {"department_id": str(world.dept_a2.id), **period}
    assert api.get("/followups/counts", query_string=other_dept).status_code == 404
    assert api.get("/followups/counts", query_string=period).status_code == 422


def test_participants_with_no_recent_followup(api, world):
    recent = ParticipantFactory(department=world.dept_a1, first_name="Nylig")
    quiet = ParticipantFactory(department=world.dept_a1, first_name="Lenge")
    ParticipantFactory(department=world.dept_a1, first_name="Ny", start_date=date(2026, 7, 1))
    expect(log(api, recent, occurred_at=(NOW - timedelta(days=3)).isoformat()), 201)
    expect(log(api, quiet, occurred_at=(NOW - timedelta(days=20)).isoformat()), 201)

    response = api.get("/worklists/no-recent-followup")
    assert response.status_code == 200
    names = [item["participant"]["first_name"] for item in response.json]
    # Never followed up first, then the longest waiting; not yet started: not listed.
    assert names == ["PersonA1", "Lenge"]
    assert response.json[0]["last_followup_at"] is None
    assert response.json[1]["days_since"] == 20

    shorter = api.get("/worklists/no-recent-followup", query_string={"days": 2})
    assert shorter.status_code == 200, shorter.json
    shorter = shorter.json
    assert [item["participant"]["first_name"] for item in shorter] == [
        "PersonA1",
        "Lenge",
        "Nylig",
    ]
    assert api.get("/worklists/no-recent-followup", query_string={"days": 0}).status_code == 422


def test_the_lists_run_a_fixed_number_of_statements(api, world):
    def fill(count):
        for n in range(count):
            moment = NOW - timedelta(days=n % 30, hours=1)
            participant = ParticipantFactory(department=world.dept_a1)
            assert log(api, participant, occurred_at=moment.isoformat()).status_code == 201

    queries = {
        "/followups": {"department_id": str(world.dept_a1.id), "page_size": 100},
        "/worklists/no-recent-followup": {"days": 1, "page_size": 100},
        "/followups/counts": {
            "department_id": str(world.dept_a1.id),
            "from": "2026-05-01",
            "to": "2026-06-30",
        },
    }

    def measure():
        sizes, statements = {}, {}
        for path, query in queries.items():
            with count_queries() as seen:
                response = api.get(path, query_string=query)
            assert response.status_code == 200
            sizes[path] = response.json
            statements[path] = len(without_log_inserts(seen))
        return sizes, statements

    fill(3)
    few_items, few = measure()
    fill(60)
    many_items, many = measure()
    assert len(many_items["/followups"]) == 63
    assert len(many_items["/followups/counts"]["participants"]) > 60
    assert many == few
    assert max(few.values()) <= 8, few


def time_of(day: date, hour: int) -> str:
    return datetime.combine(day, time(hour), OSLO).isoformat()


def test_the_phone_syncs_follow_ups_in_one_batch(api, world):
    good, repeated = str(uuid.uuid4()), str(uuid.uuid4())
    operations = [
        {
            "op_id": "1",
            "method": "PUT",
            "path": f"/followups/{good}",
            "body": body(world.participant_a1),
        },
        {
            "op_id": "2",
            "method": "PUT",
            "path": f"/followups/{uuid.uuid4()}",
            "body": body(world.participant_a1, kind="coffee"),
        },
        {
            "op_id": "3",
            "method": "PUT",
            "path": f"/followups/{repeated}",
            "body": body(world.participant_a1, kind="phone"),
        },
    ]
    first = api.post("/sync", json={"operations": operations})
    assert first.status_code == 200
    assert [r["status"] for r in first.json["results"]] == [201, 422, 201]
    assert first.json["results"][0]["body"]["id"] == good
    again = api.post("/sync", json={"operations": operations})
    assert again.status_code == 200
    assert [r["status"] for r in again.json["results"]] == [200, 422, 200]
    stored = db.session.scalars(
        select(FollowUp.id).where(FollowUp.participant_id == world.participant_a1.id)
    ).all()
    assert sorted(map(str, stored)) == sorted([good, repeated])


def test_notes_and_minutes_never_reach_the_server_log(api, world, as_user, caplog):
    """Everything that touches a note or minutes, including refused and stale requests, with
    every logger at DEBUG and SQLAlchemy logging each statement: the text is in no record
    (statements are logged without their parameters)."""
    secret = "Tilbakefall etter begravelsen"
    leader = as_user(world.leader)
    with caplog.at_level(logging.DEBUG), caplog.at_level(logging.INFO, "sqlalchemy.engine"):
        followup_id = uuid.uuid4()
        expect(log(api, world.participant_a1, followup_id, note=secret), 201)
        expect(log(api, world.participant_a1, followup_id, note=secret), 200)
        expect(log(api, world.participant_a1, followup_id, note=secret, kind="nope"), 422)
        expect(log(as_user(world.facilitator_a2), world.participant_a1, note=secret), 404)
        api.get(f"/followups/{followup_id}")
        api.get("/followups", query_string={"participant_id": str(world.participant_a1.id)})
        meeting = leader.post(
            f"/participants/{world.participant_a1.id}/meetings",
            json={"scheduled_at": (NOW - timedelta(days=1)).isoformat()},
        )
        expect(meeting, 201)
        etag = meeting.headers["ETag"]
        path = f"/meetings/{meeting.json['id']}"
        expect(leader.patch(path, json={"minutes": secret}, headers={"If-Match": etag}), 200)
        # Another change on the old ETag: the 412 carries the minutes as they are now. (The
        # same body again would be a repeat, answered 200.)
        stale = {"minutes": f"{secret} igjen"}
        expect(leader.patch(path, json=stale, headers={"If-Match": etag}), 412)
        leader.get(path)
        leader.get(f"{path}/summary.pdf")
    assert any("INSERT INTO followups" in r.getMessage() for r in caplog.records)
    logged = "\n".join(
        f"{record.getMessage()} {record.args} {record.exc_text}" for record in caplog.records
    )
    assert secret not in logged
