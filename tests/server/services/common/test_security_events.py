"""The security event log: each event recorded by the action that causes it, through
HTTP; never a password or a token; admins only, within their organisation; filters and
pages; append-only in the database but for clearing old addresses."""

import json
import uuid
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from server import clock
from server.database import db
from server.models import AccessLogEntry, LoginCounter, SecurityEvent
from tests.conftest import Api, expect, login
from tests.factories import PASSWORD

NEW_PASSWORD = "Ny-Solsikke-Bolle-77"


def rows(type=None) -> list[SecurityEvent]:
    stmt = select(SecurityEvent).order_by(SecurityEvent.at)
    if type:
        stmt = stmt.where(SecurityEvent.type == type)
    return list(db.session.scalars(stmt))


def events(api: Api, **query) -> list[dict]:
    response = api.get("/security-events", query_string={"page_size": 100, **query})
    assert response.status_code == 200, response.json
    return response.json


def only(api: Api, type: str) -> dict:
    found = events(api, type=type)
    assert len(found) == 1, found
    return found[0]


def fail_login(client, username, address="10.0.0.7", password="wrong-password-1"):
    return client.post(
        "/api/v1/auth/login",
        json={"username": username, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


@pytest.fixture
def admin(world, as_user) -> Api:
    return as_user(world.admin)


# --------------------------------------------------------------------------------------
# Each event, from the action that causes it.


def test_login_is_recorded_with_user_and_address(client, world, admin):
    response = client.post(
        "/api/v1/auth/login",
        json={"username": world.leader.username, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "10.2.3.4"},
    )
    assert response.status_code == 200
    event = events(admin, user_id=str(world.leader.id))[0]
    assert event["type"] == "login"
    assert event["user_id"] == str(world.leader.id)
    assert event["username"] == world.leader.username
    assert event["address"] == "10.2.3.4"
    assert uuid.UUID(event["detail"]["session_id"])
    assert set(event) == {
        "id",
        "at",
        "type",
        "user_id",
        "username",
        "subject_user_id",
        "subject_username",
        "address",
        "detail",
    }


def test_failed_login_of_an_account_is_recorded_in_its_organisation(client, world, admin):
    assert fail_login(client, world.leader.username).status_code == 401
    event = only(admin, "login_failed")
    assert event["user_id"] == str(world.leader.id)
    assert event["username"] == world.leader.username
    assert event["address"] == "10.0.0.7"
    assert event["detail"] == {"reason": "wrong_password"}
    # A deactivated account's right password is a failure too, and says why.
    assert admin.patch(f"/users/{world.facilitator.id}", json={"active": False}).status_code == 200
    assert fail_login(client, world.facilitator.username, password=PASSWORD).status_code == 401
    failed = events(admin, type="login_failed", user_id=str(world.facilitator.id))
    assert [e["detail"] for e in failed] == [{"reason": "inactive"}]


def test_failed_login_for_an_unknown_username_belongs_to_no_organisation(
    client, world, admin, as_user
):
    """What was typed as a username may be a password typed in the wrong field: it is not
    stored, and no organisation's admin sees the attempt."""
    typed = "Hemmelig-Passord-123"
    assert fail_login(client, typed).status_code == 401
    (event,) = rows("login_failed")
    assert event.organisation_id is None and event.user_id is None
    assert event.address == "10.0.0.7"
    assert event.detail == {"reason": "unknown_user"}
    assert typed.casefold() not in json.dumps(event.detail).casefold()
    assert events(admin, type="login_failed") == []
    assert events(as_user(world.admin_b), type="login_failed") == []


def test_throttling_is_recorded_with_the_limit_passed(client, world, admin):
    for _ in range(5):
        assert fail_login(client, world.leader.username).status_code == 401
    assert fail_login(client, world.leader.username).status_code == 429
    event = only(admin, "throttled")
    assert event["user_id"] == str(world.leader.id)
    assert event["detail"] == {"limits": ["account"]}
    assert event["address"] == "10.0.0.7"


def test_logout_is_recorded(client, world, admin):
    tokens = login(client, world.leader.username)
    api = Api(client, tokens["access_token"])
    assert api.post("/auth/logout").status_code == 204
    event = only(admin, "logout")
    assert event["user_id"] == str(world.leader.id)
    assert event["address"] == "127.0.0.1"
    assert event["detail"]["session_ids"]


def test_replayed_refresh_token_is_recorded(client, world, admin):
    tokens = login(client, world.leader.username)
    first = Api(client, tokens["refresh_token"]).post("/auth/refresh")
    assert first.status_code == 200
    replay = Api(client, tokens["refresh_token"]).post(
        "/auth/refresh", environ_base={"REMOTE_ADDR": "10.6.6.6"}
    )
    assert replay.status_code == 401
    event = only(admin, "refresh_replayed")
    assert event["user_id"] == str(world.leader.id)
    assert event["address"] == "10.6.6.6"
    assert event["detail"]["session_id"]


def test_account_creation_and_changes_are_recorded(world, admin):
    created = admin.post(
        "/users",
        json={
            "username": "kari.nordmann",
            "full_name": "Kari Nordmann",
            "role": "facilitator",
            "department_ids": [str(world.dept_a1.id)],
            "password": "Lang-Og-Trygg-Frase-8",
        },
    )
    assert created.status_code == 201, created.json
    kari = created.json["id"]
    event = only(admin, "user_created")
    assert event["user_id"] == str(world.admin.id)
    assert event["username"] == world.admin.username
    assert event["subject_user_id"] == kari
    assert event["subject_username"] == "kari.nordmann"
    assert event["detail"] == {
        "role": "facilitator",
        "department_ids": [str(world.dept_a1.id)],
        "active": True,
    }

    changed = admin.patch(
        f"/users/{kari}",
        json={"role": "leader", "department_ids": [str(world.dept_a2.id)]},
    )
    assert changed.status_code == 200, changed.json
    event = only(admin, "user_changed")
    assert event["subject_user_id"] == kari
    assert event["detail"] == {
        "role": {"from": "facilitator", "to": "leader"},
        "department_ids": {"added": [str(world.dept_a2.id)], "removed": [str(world.dept_a1.id)]},
    }

    assert admin.patch(f"/users/{kari}", json={"password": NEW_PASSWORD}).status_code == 200
    assert only(admin, "password_reset")["subject_user_id"] == kari
    assert admin.patch(f"/users/{kari}", json={"active": False}).status_code == 200
    assert only(admin, "user_deactivated")["subject_user_id"] == kari
    assert admin.patch(f"/users/{kari}", json={"active": True}).status_code == 200
    reactivated = events(admin, type="user_changed")[0]
    assert reactivated["detail"] == {"active": {"from": False, "to": True}}
    # All of it is found by the account it was about.
    about_kari = [e["type"] for e in events(admin, user_id=kari)]
    assert about_kari == [
        "user_changed",
        "user_deactivated",
        "password_reset",
        "user_changed",
        "user_created",
    ]


def test_a_change_that_changes_nothing_is_no_event(world, admin):
    same = {"role": "leader", "department_ids": [str(world.dept_a1.id)]}
    assert admin.patch(f"/users/{world.leader.id}", json=same).status_code == 200
    assert events(admin, type="user_changed") == []


def test_a_refused_change_leaves_no_event(world, admin):
    response = admin.patch(f"/users/{world.leader.id}", json={"password": "short"})
    assert response.status_code == 422
    assert rows("password_reset") == []


def test_account_created_on_the_command_line_is_recorded(runner, monkeypatch, world, admin):
    monkeypatch.setenv("SPIRE_PASSWORD", "Lang-Og-Trygg-Frase-8")
    result = runner.invoke(
        args=[
            "create-user",
            "ola",
            "--role",
            "leader",
            "--organisation",
            "Org A",
            "--department",
            world.dept_a1.name,
        ]
    )
    assert result.exit_code == 0, result.output
    event = only(admin, "user_created")
    assert event["user_id"] is None and event["address"] is None
    assert event["subject_username"] == "ola"
    assert event["detail"] == {
        "role": "leader",
        "department_ids": [str(world.dept_a1.id)],
        "active": True,
        "via": "command_line",
    }


def test_refusals_are_recorded_though_the_request_is_rolled_back(world, as_user, admin):
    facilitator = as_user(world.facilitator)
    assert facilitator.get("/users").status_code == 403
    pid = world.participant_a1.id
    assert facilitator.get(f"/participants/{pid}/export?reason=Innsyn").status_code == 403
    # What the caller may not see is not found (404), not refused: no event.
    assert as_user(world.facilitator_a2).get(f"/participants/{pid}").status_code == 404
    found = events(admin, type="forbidden")
    assert [(e["detail"]["method"], e["detail"]["endpoint"]) for e in found] == [
        ("GET", "/api/v1/participants/<uuid:participant_id>/export"),
        ("GET", "/api/v1/users"),
    ]
    assert {e["user_id"] for e in found} == {str(world.facilitator.id)}
    assert found[0]["detail"]["message"] == "Your role does not allow this."
    assert found[0]["address"] == "127.0.0.1"
    # Nothing else the refused requests did was kept.
    assert db.session.scalars(select(AccessLogEntry)).all() == []


def test_a_refusal_inside_a_service_is_recorded(world, as_user, admin):
    """An admin who does not work in the department may not write follow-ups (403 from
    the department rule, not from the role check)."""
    response = admin.put(
        f"/followups/{uuid.uuid4()}",
        json={
            "participant_id": str(world.participant_a1.id),
            "kind": "conversation",
            "occurred_at": "2026-01-06T10:00:00+01:00",
        },
    )
    assert response.status_code == 403, response.json
    event = only(admin, "forbidden")
    assert event["detail"]["endpoint"] == "/api/v1/followups/<uuid:followup_id>"
    assert event["detail"]["method"] == "PUT"


# --------------------------------------------------------------------------------------
# The export's stated reason.


def test_export_needs_a_reason(world, as_user):
    leader = as_user(world.leader)
    pid = world.participant_a1.id
    for query in ({}, {"reason": ""}, {"reason": "   "}, {"reason": "x" * 201}):
        response = leader.get(f"/participants/{pid}/export", query_string=query)
        assert response.status_code == 422, query
        assert response.json["code"] == 422
        assert list(response.json["errors"]) == ["query"]
        assert "reason" in response.json["errors"]["query"]
    assert rows("export") == []
    assert db.session.scalars(select(AccessLogEntry)).all() == []


def test_export_reason_is_kept_in_both_logs_and_shown_to_the_participants_log(
    world, as_user, admin
):
    leader = as_user(world.leader)
    pid = world.participant_a1.id
    reason = "Innsynskrav mottatt 2026-11-02"
    response = leader.get(f"/participants/{pid}/export", query_string={"reason": reason})
    assert response.status_code == 200
    logged = db.session.scalars(select(AccessLogEntry)).one()
    assert (logged.action, logged.resource, logged.reason) == ("export", "participant", reason)

    event = only(admin, "export")
    assert event["user_id"] == str(world.leader.id)
    assert event["detail"] == {
        "participant_id": str(pid),
        "resource": "participant",
        "reason": reason,
    }

    log = leader.get(f"/participants/{pid}/access-log")
    assert log.status_code == 200
    export_rows = [row for row in log.json if row["action"] == "export"]
    assert [(row["reason"], row["user"]["id"]) for row in export_rows] == [
        (reason, str(world.leader.id))
    ]
    assert {row["reason"] for row in log.json if row["action"] != "export"} <= {None}


def test_meeting_summary_download_is_an_export_event(world, as_user, admin):
    leader = as_user(world.leader)
    created = leader.post(
        f"/participants/{world.participant_a1.id}/meetings",
        json={"scheduled_at": "2026-02-02T10:00:00+01:00", "members": []},
    )
    assert created.status_code == 201, created.json
    summary = leader.get(f"/meetings/{created.json['id']}/summary.pdf")
    assert summary.status_code == 200
    event = only(admin, "export")
    assert event["detail"] == {
        "participant_id": str(world.participant_a1.id),
        "resource": "meeting_summary",
        "meeting_id": created.json["id"],
    }


# --------------------------------------------------------------------------------------
# Never a password or a token.


def test_no_event_holds_a_password_or_a_token(client, world, admin):
    secrets = [PASSWORD, NEW_PASSWORD, "Lang-Og-Trygg-Frase-8", "wrong-password-1"]
    tokens = login(client, world.leader.username)
    secrets += [tokens["access_token"], tokens["refresh_token"]]
    expect(Api(client, tokens["refresh_token"]).post("/auth/refresh"), 200)
    expect(Api(client, tokens["refresh_token"]).post("/auth/refresh"), 401)  # replayed
    again = login(client, world.leader.username)
    secrets += [again["access_token"], again["refresh_token"]]
    logout = {"refresh_token": again["refresh_token"]}
    expect(Api(client, again["access_token"]).post("/auth/logout", json=logout), 204)
    assert fail_login(client, world.leader.username).status_code == 401
    # A password typed as the username.
    assert fail_login(client, "Lang-Og-Trygg-Frase-8").status_code == 401
    created = admin.post(
        "/users",
        json={
            "username": "kari.nordmann",
            "full_name": "Kari Nordmann",
            "role": "facilitator",
            "department_ids": [str(world.dept_a1.id)],
            "password": "Lang-Og-Trygg-Frase-8",
        },
    )
    assert created.status_code == 201
    assert (
        admin.patch(f"/users/{created.json['id']}", json={"password": NEW_PASSWORD}).status_code
        == 200
    )

    stored = db.session.execute(text("SELECT * FROM security_events")).mappings().all()
    assert {row["type"] for row in stored} >= {
        "login",
        "login_failed",
        "logout",
        "refresh_replayed",
        "user_created",
        "password_reset",
    }
    dump = json.dumps([dict(row) for row in stored], default=str) + json.dumps(events(admin))
    for secret in secrets:
        assert secret not in dump
        # Nor the signature or payload part of a token on its own.
        for part in secret.split(".") if secret.count(".") == 2 else []:
            assert part not in dump


# --------------------------------------------------------------------------------------
# Who reads it, and what they see.


@pytest.mark.parametrize("role", ["leader", "facilitator"])
def test_only_admins_read_the_log(world, as_user, role):
    response = as_user(world.user(role)).get("/security-events")
    assert response.status_code == 403
    assert response.json["code"] == 403


def test_another_organisations_events_are_never_visible(client, world, admin, as_user):
    admin_b = as_user(world.admin_b)
    assert fail_login(client, world.admin_b.username).status_code == 401
    assert (
        admin_b.post(
            "/users",
            json={
                "username": "bjorn",
                "full_name": "Bjørn B",
                "role": "admin",
                "password": "Lang-Og-Trygg-Frase-8",
            },
        ).status_code
        == 201
    )
    mine = events(admin)
    theirs = events(admin_b)
    assert {e["user_id"] for e in mine} == {str(world.admin.id)}
    assert {e["user_id"] for e in theirs} == {str(world.admin_b.id)}
    assert {e["type"] for e in theirs} == {"login", "login_failed", "user_created"}
    assert events(admin, user_id=str(world.admin_b.id)) == []
    assert events(admin, type="user_created") == []


def test_filters_and_pages(client, world, admin):
    with time_machine.travel(clock.now(), tick=False) as traveller:
        for _ in range(3):
            login(client, world.leader.username)
        traveller.shift(timedelta(days=3))
        assert fail_login(client, world.leader.username).status_code == 401
        traveller.shift(timedelta(seconds=1))
        login(client, world.facilitator.username)
    everything = events(admin)
    assert [e["type"] for e in everything][:2] == ["login", "login_failed"]  # newest first
    ats = [e["at"] for e in everything]
    assert ats == sorted(ats, reverse=True)

    logins = events(admin, type="login", user_id=str(world.leader.id))
    assert len(logins) == 3 and {e["user_id"] for e in logins} == {str(world.leader.id)}
    today = clock.local_today("Europe/Oslo")
    recent = events(admin, **{"from": (today + timedelta(days=2)).isoformat()})
    assert sorted(e["type"] for e in recent) == ["login", "login_failed"]
    early = events(admin, to=(today + timedelta(days=1)).isoformat())
    assert len(early) == len(everything) - 2

    page = admin.get("/security-events", query_string={"page": 2, "page_size": 2})
    assert page.status_code == 200
    assert json.loads(page.headers["X-Pagination"])["total"] == len(everything)
    assert [e["id"] for e in page.json] == [e["id"] for e in everything[2:4]]

    bad = admin.get("/security-events", query_string={"type": "coffee"})
    assert bad.status_code == 422
    assert "type" in bad.json["errors"]["query"]


# --------------------------------------------------------------------------------------
# Append-only, and addresses kept for a limited time.


def test_the_log_is_append_only_in_the_database(client, world):
    login(client, world.leader.username)
    for statement in (
        "UPDATE security_events SET type = 'logout'",
        "UPDATE security_events SET detail = '{}'",
        "UPDATE security_events SET address = '10.9.9.9'",
        "UPDATE security_events SET address = NULL, type = 'logout'",
        "DELETE FROM security_events",
    ):
        with pytest.raises(DatabaseError, match="append-only"):
            db.session.execute(text(statement))
        db.session.rollback()
    (event,) = rows()
    assert (event.type, event.address) == ("login", "127.0.0.1")
    # The one change allowed: clearing the address.
    db.session.execute(text("UPDATE security_events SET address = NULL"))
    db.session.commit()
    db.session.expire_all()
    assert rows()[0].address is None


def test_addresses_are_cleared_after_their_retention(client, world, runner, admin):
    with time_machine.travel(clock.now() - timedelta(days=91), tick=False):
        login(client, world.leader.username)
    with time_machine.travel(clock.now() - timedelta(days=89), tick=False):
        login(client, world.facilitator.username)

    result = runner.invoke(args=["security-events", "clear-addresses"])

    assert result.exit_code == 0, result.output
    assert "Cleared the address of 1 events older than 90 days" in result.output
    by_user = {e["user_id"]: e for e in events(admin, type="login")}
    assert by_user[str(world.leader.id)]["address"] is None
    assert by_user[str(world.facilitator.id)]["address"] == "127.0.0.1"
    assert by_user[str(world.leader.id)]["detail"]["session_id"]  # the rest is kept

    shorter = runner.invoke(args=["security-events", "clear-addresses", "--days", "0"])
    assert shorter.exit_code == 0, shorter.output
    assert {e["address"] for e in events(admin)} == {None}


# --------------------------------------------------------------------------------------
# Login counters in the database.


def test_login_counters_hold_hashes_and_expire(client, world):
    with time_machine.travel(clock.now(), tick=False) as traveller:
        assert fail_login(client, world.leader.username).status_code == 401
        keys = set(db.session.scalars(select(LoginCounter.key)))
        assert len(keys) == 2
        assert all(world.leader.username not in key and "10.0.0.7" not in key for key in keys)
        traveller.shift(timedelta(minutes=16))
        assert fail_login(client, "someone-else", address="10.0.0.8").status_code == 401
        db.session.expire_all()
        remaining = db.session.scalars(select(LoginCounter)).all()
        assert len(remaining) == 2  # the ended windows were swept, the new ones counted
        assert {c.attempts for c in remaining} == {1}
        assert not keys & {c.key for c in remaining}


def test_counters_are_shared_by_two_app_instances_on_one_database(app, client, world, database_url):
    """Two workers (two app instances) count against the same rows."""
    from server import create_app
    from tests.conftest import base_config

    other_app = create_app(base_config(database_url))
    other_worker = other_app.test_client()
    try:
        for worker in [client, other_worker] * 2 + [client]:
            assert fail_login(worker, world.leader.username).status_code == 401
        blocked = other_worker.post(
            "/api/v1/auth/login", json={"username": world.leader.username, "password": PASSWORD}
        )
        assert blocked.status_code == 429
    finally:
        with other_app.app_context():
            db.engine.dispose()
