"""The access log: a row for every read and change of a participant's data, none for
refused requests; readable per participant (leader, admin) and across the organisation
(admin); append-only in the database itself."""

import uuid

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from server.database import db
from server.models import AccessLogEntry
from tests.conftest import expect


def log_rows(participant_id=None):
    stmt = select(AccessLogEntry).order_by(AccessLogEntry.at)
    if participant_id:
        stmt = stmt.where(AccessLogEntry.participant_id == participant_id)
    return [(row.user_id, row.action, row.resource) for row in db.session.scalars(stmt)]


def test_reads_and_writes_are_logged(world, as_user):
    api = as_user(world.facilitator)
    pid = world.participant_a1.id
    etag = api.get(f"/participants/{pid}").headers["ETag"]
    changed = api.patch(
        f"/participants/{pid}", json={"phone": "91234567"}, headers={"If-Match": etag}
    )
    expect(changed, 200)
    api.get(f"/participants/{pid}/plan")
    goal = api.get(f"/participants/{pid}/plan").json["goals"][0]
    started = api.patch(
        f"/participants/{pid}/plan/goals/{goal['id']}", json={"status": "in_progress"}
    )
    expect(started, 200)
    api.get("/participants")
    me = world.facilitator.id
    assert log_rows(pid) == [
        (me, "read", "participant"),
        (me, "update", "participant"),
        (me, "read", "plan"),
        (me, "read", "plan"),
        (me, "update", "goal"),
        (me, "list", "participant"),
    ]


def test_create_end_and_export_are_logged(world, as_user):
    leader = as_user(world.leader)
    response = leader.post(
        "/participants",
        json={
            "first_name": "Ny",
            "last_name": "Deltaker",
            "department_id": str(world.dept_a1.id),
            "gender": "male",
            "start_date": "2026-01-05",
            "consent_nav_reporting": False,
        },
    )
    created = expect(response, 201)
    ended = leader.post(
        f"/participants/{created['id']}/end",
        json={"end_date": "2026-02-01", "outcome": "education"},
    )
    expect(ended, 200)
    leader.get(f"/participants/{created['id']}/export?reason=Innsyn")
    actions = [action for _, action, _ in log_rows(uuid.UUID(created["id"]))]
    assert actions == ["create", "end", "export"]


@pytest.mark.parametrize(
    "who, method, path, body, status",
    [
        ("facilitator", "GET", "/participants/{other}", None, 404),
        ("facilitator", "GET", "/participants/{own}/export?reason=Innsyn", None, 403),
        ("facilitator", "GET", "/participants/{own}/access-log", None, 403),
        ("facilitator", "PUT", "/participants/{own}/plan", {"valid_from": "2026-01-05"}, 403),
        ("facilitator", "PATCH", "/participants/{own}", {"phone": "91234567"}, 428),
        ("facilitator", "PATCH", "/participants/{own}", {"phone": "nope"}, 422),
        (
            "facilitator",
            "POST",
            "/participants/{own}/end",
            {"end_date": "2099-01-01", "outcome": "other"},
            422,
        ),
        (
            "leader",
            "PUT",
            "/participants/{own}/plan",
            {
                "valid_from": "2026-01-05",
                "schedule": [{"weekday": 1, "start": "10:00", "end": "09:00"}],
            },
            422,
        ),
    ],
)
def test_refused_requests_leave_no_row(world, as_user, who, method, path, body, status):
    api = as_user(world.user(who))
    url = path.format(own=world.participant_a1.id, other=world.participant_a2.id)
    response = api.request(method, url, json=body)
    assert response.status_code == status
    assert log_rows() == []


def test_participant_log_for_leaders(world, as_user):
    facilitator = as_user(world.facilitator)
    facilitator.get(f"/participants/{world.participant_a1.id}")
    leader = as_user(world.leader)
    response = leader.get(f"/participants/{world.participant_a1.id}/access-log")
    assert response.status_code == 200
    entry = response.json[0]
    assert entry["user"]["full_name"] == world.facilitator.full_name
    assert entry["action"] == "read"
    assert entry["resource"] == "participant"
    # Reading the log is itself logged.
    assert log_rows(world.participant_a1.id)[-1] == (world.leader.id, "read", "access_log")


def test_audit_for_admins_filters_by_user_and_participant(world, as_user):
    as_user(world.facilitator).get(f"/participants/{world.participant_a1.id}")
    as_user(world.leader).get(f"/participants/{world.participant_a1.id}")
    as_user(world.admin_b).get(f"/participants/{world.participant_b1.id}")
    admin = as_user(world.admin)
    everything = admin.get("/audit").json
    assert {e["user"]["id"] for e in everything} == {
        str(world.facilitator.id),
        str(world.leader.id),
    }
    by_user = admin.get("/audit", query_string={"user_id": str(world.leader.id)}).json
    assert [e["user"]["id"] for e in by_user] == [str(world.leader.id)]
    assert by_user[0]["participant_name"] == "PersonA1 Hansen"
    by_participant = admin.get(
        "/audit", query_string={"participant_id": str(world.participant_b1.id)}
    ).json
    assert by_participant == []  # organisation B's log is not organisation A's
    today = admin.get("/audit", query_string={"from": "2026-01-01", "to": "2099-12-31"}).json
    assert len(today) == 2
    none = admin.get("/audit", query_string={"from": "2000-01-01", "to": "2000-01-02"}).json
    assert none == []


def test_audit_filters_by_action(world, as_user):
    pid = world.participant_a1.id
    as_user(world.facilitator).get(f"/participants/{pid}")
    leader = as_user(world.leader)
    expect(leader.get(f"/participants/{pid}/export", query_string={"reason": "Innsyn"}), 200)
    admin = as_user(world.admin)
    exports = admin.get("/audit", query_string={"action": "export"}).json
    assert [(e["user"]["id"], e["reason"]) for e in exports] == [(str(world.leader.id), "Innsyn")]
    reads = admin.get("/audit", query_string={"action": "read"}).json
    assert [e["user"]["id"] for e in reads] == [str(world.facilitator.id)]
    expect(admin.get("/audit", query_string={"action": "peek"}), 422)


def test_log_is_append_only_in_the_database(world, as_user):
    as_user(world.facilitator).get(f"/participants/{world.participant_a1.id}")
    for statement in ("UPDATE access_log SET action = 'update'", "DELETE FROM access_log"):
        with pytest.raises(DatabaseError, match="append-only"):
            db.session.execute(text(statement))
        db.session.rollback()
    assert len(log_rows()) == 1


def test_export_holds_everything_stored(world, as_user):
    leader = as_user(world.leader)
    pid = world.participant_a1.id
    etag = leader.get(f"/participants/{pid}").headers["ETag"]
    changed = leader.patch(
        f"/participants/{pid}", json={"nav_contact": "Kari"}, headers={"If-Match": etag}
    )
    expect(changed, 200)
    export = leader.get(f"/participants/{pid}/export?reason=Innsyn")
    assert export.status_code == 200
    body = export.json
    assert body["participant"]["id"] == str(pid)
    assert body["participant"]["nav_contact"] == "Kari"
    assert body["plans"][0]["schedule"] and body["plans"][0]["goals"]
    assert body["goals"][0]["status"] == "not_started"
    assert body["changes"][0]["changes"] == {"nav_contact": [None, "Kari"]}
    assert {row["action"] for row in body["access_log"]} == {"read", "update"}
    assert export.headers["Cache-Control"] == "no-store"


def test_export_covers_every_table_about_a_participant():
    """A table that refers to a participant, or to a row that does, is in the export."""
    from server.models import Base
    from server.services.participants.export import covered_tables

    about_participants = {"participants"}
    changed = True
    while changed:
        changed = False
        for table in Base.metadata.sorted_tables:
            refers = {fk.column.table.name for fk in table.foreign_keys}
            if table.name not in about_participants and refers & about_participants:
                about_participants.add(table.name)
                changed = True
    assert about_participants - covered_tables() == set()


def test_export_has_attendance_leave_and_wakeups(world, as_user):
    from datetime import datetime, time

    from server.models import WakeupCall, WakeupSchedule

    leader = as_user(world.leader)
    pid = world.participant_a1.id
    write_id = uuid.uuid4()
    absent = leader.put(
        f"/attendance/{write_id}",
        json={
            "participant_id": str(pid),
            "date": "2026-02-02",
            "status": "absent",
            "absence_reason": "sick",
            "note": "Hadde tilbakefall i helga",
        },
    )
    expect(absent, 201)
    leave = leader.post(
        f"/participants/{pid}/leaves",
        json={"first_day": "2026-02-09", "last_day": "2026-02-10", "note": "Behandling"},
    )
    expect(leave, 201)
    db.session.add(
        WakeupSchedule(participant_id=pid, weekdays=[1], time=time(7), updated_by_id=world.admin.id)
    )
    due = datetime(2026, 2, 2, 6, tzinfo=__import__("datetime").UTC)
    db.session.add(
        WakeupCall(
            organisation_id=world.org_a.id,
            participant_id=pid,
            department_id=world.dept_a1.id,
            date=due.date(),
            due_at=due,
            next_due_at=due,
        )
    )
    db.session.commit()
    body = leader.get(f"/participants/{pid}/export?reason=Innsyn").json
    assert body["attendance"][0]["note"] == "Hadde tilbakefall i helga"
    assert body["attendance"][0]["writes"][0]["id"] == str(write_id)
    assert body["leaves"][0]["note"] == "Behandling"
    assert body["wakeup_schedule"][0]["weekdays"] == [1]
    assert body["wakeup_calls"][0]["attempts"] == []


def test_reading_a_participants_empty_period_is_logged(world, as_user):
    api = as_user(world.facilitator)
    pid = world.participant_a1.id
    response = api.get(
        "/attendance",
        query_string={"participant_id": str(pid), "from": "2026-01-05", "to": "2026-01-06"},
    )
    assert response.json == []
    assert log_rows(pid) == [(world.facilitator.id, "read", "attendance")]


def test_a_list_read_is_logged_once_an_hour(world, as_user):
    """A phone refreshes the day's list every few seconds: each participant on it is
    logged once per user, resource and clock hour (UTC), not once per refresh."""
    from datetime import UTC, datetime, timedelta

    import time_machine

    from tests.factories import ParticipantFactory, make_plan

    second = ParticipantFactory(department=world.dept_a1, first_name="Andre")
    make_plan(second, world.admin)
    on_list = {world.participant_a1.id, second.id}
    today = {"department_id": str(world.dept_a1.id)}

    def listed(user=None):
        rows = [row for row in log_rows() if row[1:] == ("list", "today")]
        return len([row for row in rows if user is None or row[0] == user.id])

    with time_machine.travel(datetime(2026, 6, 15, 6, 50, tzinfo=UTC), tick=False) as clock:
        facilitator = as_user(world.facilitator)
        leader = as_user(world.leader)
        for minute in (50, 55, 59):
            clock.move_to(datetime(2026, 6, 15, 6, minute, tzinfo=UTC))
            expect(facilitator.get("/today", query_string=today), 200)
        assert listed() == len(on_list)
        assert {pid for pid in on_list if len(log_rows(pid)) == 1} == on_list

        # Another user, and another list of the same participants, are logged apart.
        expect(leader.get("/today", query_string=today), 200)
        expect(facilitator.get("/participants", query_string=today), 200)
        assert listed(world.leader) == len(on_list)
        assert len([r for r in log_rows() if r[1:] == ("list", "participant")]) == 2

        # A single read is logged every time.
        for _ in range(2):
            expect(facilitator.get(f"/participants/{world.participant_a1.id}"), 200)
        reads = [r for r in log_rows(world.participant_a1.id) if r[1] == "read"]
        assert len(reads) == 2

        # The next clock hour begins: one more row each.
        clock.move_to(datetime(2026, 6, 15, 7, 0, tzinfo=UTC) + timedelta(seconds=1))
        for _ in range(3):
            expect(facilitator.get("/today", query_string=today), 200)
        assert listed(world.facilitator) == 2 * len(on_list)


def test_a_list_read_costs_one_select_more(world, as_user):
    """The rule asks the log once per list, whatever its length."""
    from tests.factories import ParticipantFactory
    from tests.querycount import count_queries

    api = as_user(world.facilitator)
    query = {"department_id": str(world.dept_a1.id), "page_size": 100}
    with count_queries() as few:
        expect(api.get("/participants", query_string=query), 200)
    for _ in range(20):
        ParticipantFactory(department=world.dept_a1)
    with count_queries() as many:
        body = expect(api.get("/participants", query_string=query), 200)
    assert len(body) == 21
    assert len(many) == len(few)
    asked = [sql for sql in many if "FROM access_log" in sql and sql.lstrip().startswith("SELECT")]
    assert len(asked) == 1


def test_each_list_is_logged_under_its_own_name_and_one_participants_records_each_time(
    world, as_user
):
    """Within one hour the day's list does not hide the attendance list or the rates read
    after it (each its own resource), and one participant's records over a period are a
    read of that participant, logged every time."""
    from datetime import UTC, datetime

    import time_machine

    pid = world.participant_a1.id
    department = str(world.dept_a1.id)
    with time_machine.travel(datetime(2026, 6, 15, 8, 0, tzinfo=UTC), tick=False):
        api = as_user(world.facilitator)
        expect(
            api.put(
                f"/attendance/{uuid.uuid4()}",
                json={
                    "participant_id": str(pid),
                    "date": "2026-06-15",
                    "status": "present",
                    "check_in_at": "2026-06-15T08:00:00+00:00",
                },
            ),
            201,
        )
        reads = [
            ("/today", {"department_id": department}),
            ("/attendance", {"department_id": department, "date": "2026-06-15"}),
            (
                "/attendance/rates",
                {"department_id": department, "from": "2026-06-01", "to": "2026-06-15"},
            ),
        ]
        for path, query in reads * 2:
            expect(api.get(path, query_string=query), 200)
        one = {"participant_id": str(pid), "from": "2026-06-01", "to": "2026-06-15"}
        for _ in range(2):
            expect(api.get("/attendance", query_string=one), 200)

    listed = sorted(resource for _, action, resource in log_rows(pid) if action == "list")
    assert listed == ["attendance_list", "attendance_rates", "today"]
    assert [row for row in log_rows(pid) if row[1] == "read"] == [
        (world.facilitator.id, "read", "attendance")
    ] * 2
