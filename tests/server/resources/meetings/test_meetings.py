"""Responsibility-group meetings through HTTP: the group kept per participant, If-Match
edits that never overwrite each other, action items, the work lists and the PDF summary."""

import shutil
import subprocess
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from server.database import db
from server.models import AccessLogEntry, ChangeRecord, Meeting
from tests.conftest import expect, table_counts
from tests.factories import ParticipantFactory
from tests.querycount import count_queries

OSLO = ZoneInfo("Europe/Oslo")
NOW = datetime(2026, 6, 17, 14, 0, tzinfo=OSLO)  # a Wednesday

NAV = {
    "name": "Kari Nordmann",
    "organisation": "NAV Songdalen",
    "role": "Veileder",
    "phone": "91234567",
    "email": "kari.nordmann@nav.no",
}
GP = {"name": "Per Lege", "organisation": "Fastlege Vågsbygd", "role": "Fastlege"}


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def leader(world, as_user):
    return as_user(world.leader)


def at(days: int, hour: int = 10) -> str:
    """A time ``days`` from today at ``hour`` in Oslo."""
    day = NOW.date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, tzinfo=OSLO).isoformat()


def plan(api, participant, **extra):
    body = {"scheduled_at": at(7), "location": "Kafeen, møterommet", "members": [NAV, GP]}
    return api.post(f"/participants/{participant.id}/meetings", json={**body, **extra})


def patch(api, meeting_id, etag, **fields):
    return api.patch(f"/meetings/{meeting_id}", json=fields, headers={"If-Match": etag})


def test_a_meeting_is_planned_with_outside_members(leader, world):
    response = plan(leader, world.participant_a1, agenda="1. Status\n2. Arbeidstrening")
    assert response.status_code == 201, response.json
    meeting = response.json
    assert response.headers["ETag"]
    assert meeting["status"] == "planned"
    assert [m["name"] for m in meeting["members"]] == ["Kari Nordmann", "Per Lege"]
    nav = meeting["members"][0]
    assert (nav["organisation"], nav["phone"]) == ("NAV Songdalen", "+4791234567")
    assert meeting["participant"]["first_name"] == "PersonA1"

    read = leader.get(f"/meetings/{meeting['id']}")
    assert read.status_code == 200
    assert read.headers["ETag"] == response.headers["ETag"]


def test_the_next_meeting_starts_with_the_same_group(leader, world):
    first = expect(plan(leader, world.participant_a1), 201)
    group = leader.get(f"/participants/{world.participant_a1.id}/group-members").json
    assert [m["name"] for m in group] == ["Kari Nordmann", "Per Lege"]

    second = plan(leader, world.participant_a1, members=None, scheduled_at=at(40))
    assert second.status_code == 422  # null is not "left out"
    body = {"scheduled_at": at(40)}
    second = expect(
        leader.post(f"/participants/{world.participant_a1.id}/meetings", json=body), 201
    )
    assert [m["id"] for m in second["members"]] == [m["id"] for m in first["members"]]

    # A new list is the group from now on: the GP leaves, the municipality joins, and NAV
    # is recognised by name and organisation (no duplicate contact).
    municipality = {"name": "Siv Kommune", "organisation": "Kristiansand kommune"}
    third = plan(leader, world.participant_a1, scheduled_at=at(80), members=[NAV, municipality])
    assert third.status_code == 201, third.json
    names = [m["name"] for m in third.json["members"]]
    assert names == ["Kari Nordmann", "Siv Kommune"]
    assert third.json["members"][0]["id"] == first["members"][0]["id"]
    group = leader.get(f"/participants/{world.participant_a1.id}/group-members").json
    assert [m["name"] for m in group] == ["Kari Nordmann", "Siv Kommune"]
    # The earlier meeting keeps the members it had.
    again = leader.get(f"/meetings/{first['id']}").json
    assert [m["name"] for m in again["members"]] == ["Kari Nordmann", "Per Lege"]


def test_planning_is_safe_to_repeat_with_a_client_id(leader, world):
    meeting_id = str(uuid.uuid4())
    first = plan(leader, world.participant_a1, id=meeting_id)
    assert first.status_code == 201
    counts = table_counts()
    again = plan(leader, world.participant_a1, id=meeting_id)
    assert again.status_code == 200
    assert again.json == first.json
    after = table_counts()
    assert after.pop("access_log") == counts.pop("access_log") + 1
    assert after == counts
    other = plan(leader, world.participant_a1, id=meeting_id, location="Et annet sted")
    assert other.status_code == 409


def test_writing_up_a_meeting_keeps_history(leader, world, frozen_clock):
    created = plan(leader, world.participant_a1, scheduled_at=at(-1))
    expect(created, 201)
    meeting_id, etag = created.json["id"], created.headers["ETag"]
    held = patch(
        leader,
        meeting_id,
        etag,
        status="held",
        minutes="Deltakeren fortalte om en tung vinter.",
        decisions="Øke til fire dager i uka fra august.",
        next_meeting_at=at(60),
    )
    assert held.status_code == 200, held.json
    assert held.headers["ETag"] != etag
    assert held.json["status"] == "held"
    assert held.json["version"] == 2
    change = db.session.scalars(
        select(ChangeRecord).where(ChangeRecord.entity_id == uuid.UUID(meeting_id))
    ).one()
    assert change.changes["status"] == ["planned", "held"]
    assert change.changes["minutes"] == [None, "Deltakeren fortalte om en tung vinter."]
    assert change.user_id == world.leader.id


def test_two_people_editing_the_minutes_never_overwrite_each_other(leader, world, as_user):
    created = plan(leader, world.participant_a1, scheduled_at=at(-1))
    expect(created, 201)
    meeting_id, etag = created.json["id"], created.headers["ETag"]
    colleague = as_user(world.admin)  # both read the same version

    mine = patch(leader, meeting_id, etag, decisions="Søke kurs i kaffebrenning.")
    assert mine.status_code == 200
    theirs = patch(colleague, meeting_id, etag, decisions="Praksis i kantina.")
    assert theirs.status_code == 412
    assert theirs.json["code"] == 412
    # The current version to merge from, and the ETag to send with the merge.
    assert theirs.json["current"]["decisions"] == "Søke kurs i kaffebrenning."
    assert theirs.json["current"]["version"] == 2
    assert theirs.headers["ETag"] == mine.headers["ETag"]
    merged = patch(
        colleague,
        meeting_id,
        theirs.headers["ETag"],
        decisions="Søke kurs i kaffebrenning.\nPraksis i kantina.",
    )
    assert merged.status_code == 200
    stored = db.session.get(Meeting, uuid.UUID(meeting_id))
    db.session.refresh(stored)
    assert stored.decisions == "Søke kurs i kaffebrenning.\nPraksis i kantina."

    assert leader.patch(f"/meetings/{meeting_id}", json={"location": "Ute"}).status_code == 428
    star = leader.patch(
        f"/meetings/{meeting_id}", json={"location": "Ute"}, headers={"If-Match": "*"}
    )
    assert star.status_code == 428


def test_minutes_are_for_the_department_staff_only(leader, world, as_user):
    created = plan(leader, world.participant_a1, scheduled_at=at(-1))
    expect(created, 201)
    etag = created.headers["ETag"]
    held = patch(leader, created.json["id"], etag, status="held", minutes="Sensitivt referat.")
    expect(held, 200)

    facilitator = as_user(world.facilitator).get(f"/meetings/{created.json['id']}").json
    assert facilitator["minutes"] == "Sensitivt referat."
    admin = as_user(world.admin)
    read = admin.get(f"/meetings/{created.json['id']}")
    assert (read.json["minutes"], read.json["minutes_withheld"]) == (None, True)
    # Writing minutes one may not read is refused too.
    refused = patch(admin, created.json["id"], read.headers["ETag"], minutes="Overskrevet.")
    assert refused.status_code == 403
    assert as_user(world.facilitator_a2).get(f"/meetings/{created.json['id']}").status_code == 404

    listed = leader.get(f"/participants/{world.participant_a1.id}/meetings")
    assert listed.status_code == 200
    assert "Sensitivt" not in listed.get_data(as_text=True)
    assert "minutes" not in listed.json[0]


def test_rules_of_a_meeting(leader, world, as_user):
    future = expect(plan(leader, world.participant_a1), 201)
    etag = leader.get(f"/meetings/{future['id']}").headers["ETag"]
    assert patch(leader, future["id"], etag, status="held").status_code == 422
    early = patch(leader, future["id"], etag, next_meeting_at=at(6))
    assert early.status_code == 422
    assert "next_meeting_at" in early.json["errors"]["json"]
    before_start = plan(leader, world.participant_a1, scheduled_at="2025-12-01T10:00:00+01:00")
    assert before_start.status_code == 422
    bad_email = plan(leader, world.participant_a1, members=[{**NAV, "email": "ikke-epost"}])
    assert bad_email.status_code == 422
    stranger = plan(leader, world.participant_a1, members=[{**NAV, "id": str(uuid.uuid4())}])
    assert stranger.status_code == 422
    assert plan(as_user(world.facilitator), world.participant_a1).status_code == 403


def test_holding_a_meeting_plans_the_next_one(leader, world):
    created = plan(leader, world.participant_a1, scheduled_at=at(-1))
    meeting_id, etag = expect(created, 201)["id"], created.headers["ETag"]
    held = expect(patch(leader, meeting_id, etag, status="held", next_meeting_at=at(60)), 200)
    following = leader.get(f"/meetings/{held['next_meeting_id']}").json
    assert following["status"] == "planned"
    assert following["scheduled_at"] == held["next_meeting_at"]
    assert [m["name"] for m in following["members"]] == ["Kari Nordmann", "Per Lege"]
    assert following["location"] == "Kafeen, møterommet"

    etag = leader.get(f"/meetings/{held['id']}").headers["ETag"]
    moved = expect(patch(leader, held["id"], etag, next_meeting_at=at(70)), 200)
    assert moved["next_meeting_id"] == following["id"]
    assert (
        leader.get(f"/meetings/{following['id']}").json["scheduled_at"] == moved["next_meeting_at"]
    )
    meetings = leader.get(f"/participants/{world.participant_a1.id}/meetings").json
    assert len(meetings) == 2


def test_action_items_are_added_and_ticked_off(leader, world, as_user, frozen_clock):
    meeting = expect(plan(leader, world.participant_a1, scheduled_at=at(-1)), 201)
    action_id = str(uuid.uuid4())
    body = {
        "id": action_id,
        "description": "Søke om arbeidsavklaringspenger",
        "responsible": "Kari Nordmann (NAV)",
        "due_date": (NOW.date() + timedelta(days=14)).isoformat(),
    }
    added = leader.post(f"/meetings/{meeting['id']}/actions", json=body)
    assert added.status_code == 201, added.json
    assert leader.post(f"/meetings/{meeting['id']}/actions", json=body).status_code == 200
    changed = {**body, "responsible": "Noen andre"}
    assert leader.post(f"/meetings/{meeting['id']}/actions", json=changed).status_code == 409

    facilitator = as_user(world.facilitator)
    path = f"/meetings/{meeting['id']}/actions/{action_id}"
    done = facilitator.patch(path, json={"done": True})
    assert done.status_code == 200
    assert done.json["done"] is True
    assert done.json["done_by_id"] == str(world.facilitator.id)
    assert done.json["done_at"]
    assert facilitator.patch(path, json={"responsible": "Meg"}).status_code == 403
    undone = expect(facilitator.patch(path, json={"done": False}), 200)
    assert (undone["done"], undone["done_at"], undone["done_by_id"]) == (False, None, None)
    read = leader.get(f"/meetings/{meeting['id']}").json
    assert [a["description"] for a in read["actions"]] == ["Søke om arbeidsavklaringspenger"]
    other = f"/meetings/{meeting['id']}/actions/{uuid.uuid4()}"
    assert facilitator.patch(other, json={"done": True}).status_code == 404


def test_the_work_lists(leader, world, as_user, frozen_clock):
    soon = expect(plan(leader, world.participant_a1, scheduled_at=at(3)), 201)
    later = expect(plan(leader, world.participant_a1, scheduled_at=at(30)), 201)
    past = plan(leader, world.participant_a1, scheduled_at=at(-20))
    expect(past, 201)
    held = expect(patch(leader, past.json["id"], past.headers["ETag"], status="held"), 200)
    for days, done in [(-5, False), (-2, True), (3, False)]:
        added = leader.post(
            f"/meetings/{held['id']}/actions",
            json={
                "description": f"Frist {days}",
                "responsible": "Tilrettelegger",
                "due_date": (NOW.date() + timedelta(days=days)).isoformat(),
            },
        )
        action = expect(added, 201)
        if done:
            ticked = {"done": True}
            expect(leader.patch(f"/meetings/{held['id']}/actions/{action['id']}", json=ticked), 200)
    # Another department's meeting is not on Songdalen's lists.
    admin = as_user(world.admin)
    expect(plan(admin, world.participant_a2, scheduled_at=at(2)), 201)

    upcoming = leader.get("/worklists/upcoming-meetings")
    assert upcoming.status_code == 200
    assert [m["id"] for m in upcoming.json] == [soon["id"], later["id"]]
    assert upcoming.json[0]["member_count"] == 2
    within = leader.get("/worklists/upcoming-meetings", query_string={"days": 7}).json
    assert [m["id"] for m in within] == [soon["id"]]
    assert len(admin.get("/worklists/upcoming-meetings").json) == 3

    overdue = leader.get("/worklists/overdue-actions")
    assert [a["description"] for a in overdue.json] == ["Frist -5"]
    assert overdue.json[0]["days_overdue"] == 5
    assert overdue.json[0]["participant"]["first_name"] == "PersonA1"
    other_department = {"department_id": str(world.dept_a2.id)}
    assert admin.get("/worklists/overdue-actions", query_string=other_department).json == []


def test_every_read_is_in_the_access_log(leader, world):
    meeting = expect(plan(leader, world.participant_a1), 201)
    leader.get(f"/meetings/{meeting['id']}")
    leader.get(f"/participants/{world.participant_a1.id}/meetings")
    leader.get(f"/meetings/{meeting['id']}/summary.pdf")
    actions = db.session.scalars(
        select(AccessLogEntry.action).where(
            AccessLogEntry.participant_id == world.participant_a1.id,
            AccessLogEntry.user_id == world.leader.id,
        )
    ).all()
    assert sorted(actions) == ["create", "export", "list", "read"]


def test_meeting_lists_run_a_fixed_number_of_statements(leader, world):
    def fill(count):
        for n in range(count):
            participant = ParticipantFactory(department=world.dept_a1)
            created = plan(leader, participant, scheduled_at=at(1 + n % 20))
            assert created.status_code == 201
            added = leader.post(
                f"/meetings/{created.json['id']}/actions",
                json={"description": "Ringe", "responsible": "NAV", "due_date": "2026-06-01"},
            )
            expect(added, 201)

    def measure():
        statements = {}
        for path in ("/worklists/upcoming-meetings", "/worklists/overdue-actions"):
            with count_queries() as seen:
                response = leader.get(path, query_string={"page_size": 100})
            assert response.status_code == 200
            statements[path] = (len(seen), len(response.json))
        with count_queries() as seen:
            response = leader.get(
                f"/participants/{world.participant_a1.id}/meetings",
                query_string={"page_size": 100},
            )
        statements["participant"] = (len(seen), len(response.json))
        return statements

    for n in range(2):
        expect(plan(leader, world.participant_a1, scheduled_at=at(5 + n)), 201)
    fill(2)
    # The participant's list has been read this hour: the log is asked, not written, both
    # times (the work lists write a row for the participants new to them both times).
    leader.get(f"/participants/{world.participant_a1.id}/meetings")
    few = measure()
    for n in range(40):
        expect(plan(leader, world.participant_a1, scheduled_at=at(10 + n), members=[NAV]), 201)
    fill(40)
    many = measure()
    assert many["/worklists/upcoming-meetings"][1] == 84
    assert many["/worklists/overdue-actions"][1] == 42
    assert many["participant"][1] == 42
    assert {k: v[0] for k, v in many.items()} == {k: v[0] for k, v in few.items()}


# --------------------------------------------------------------------------------------
# The summary for the members, as a PDF: read it the way a person would.

TOOLS = ("pdftoppm", "pdftotext", "tesseract")


def held_meeting(leader, world) -> str:
    """A held meeting with members, decisions, an action item, minutes and a follow-up note
    (neither of which may reach a summary); its id."""
    created = plan(leader, world.participant_a1, scheduled_at=at(-1), agenda="Status i tiltaket")
    expect(created, 201)
    meeting_id = created.json["id"]
    held = patch(
        leader,
        meeting_id,
        created.headers["ETag"],
        status="held",
        minutes="HEMMELIG REFERAT om rusbehandling",
        decisions="Øke til fire dager i uka fra august.\nSøke kurs i kaffebrenning.",
        next_meeting_at=at(60),
    )
    expect(held, 200)
    action = leader.post(
        f"/meetings/{meeting_id}/actions",
        json={
            "description": "Søke om AAP",
            "responsible": "Kari Nordmann",
            "due_date": "2026-07-01",
        },
    )
    expect(action, 201)
    followup = leader.put(
        f"/followups/{uuid.uuid4()}",
        json={
            "participant_id": str(world.participant_a1.id),
            "kind": "conversation",
            "occurred_at": at(-1),
            "note": "INTERN NOTAT om tilbakefall",
        },
    )
    expect(followup, 201)
    return meeting_id


def test_summary_pdf_has_members_decisions_and_actions_but_never_minutes(leader, world, tmp_path):
    meeting_id = held_meeting(leader, world)
    response = leader.get(f"/meetings/{meeting_id}/summary.pdf", headers={"Accept-Language": "nb"})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    assert "PersonA1" not in response.headers["Content-Disposition"]
    text, seen = _pdf_text(response, tmp_path, "nor")
    for expected in (
        "Ansvarsgruppemøte for PersonA1 Hansen",
        "Kari Nordmann",
        "NAV Songdalen",
        "Per Lege",
        "Fastlege Vågsbygd",
        "Øke til fire dager i uka fra august.",
        "Søke kurs i kaffebrenning.",
        "Søke om AAP",
        "1. juli 2026",
        "Neste møte",
        "søndag 16. august 2026 kl. 10.00",
        "tirsdag 16. juni 2026 kl. 10.00",
    ):
        assert expected in text, expected
    assert "HEMMELIG" not in text
    assert "INTERN" not in text
    # What a member sees on the first page, read back by OCR.
    for expected in ("Kari Nordmann", "NAV Songdalen", "Per Lege", "kaffebrenning", "Søke om AAP"):
        assert expected in seen, (expected, seen)
    assert "HEMMELIG" not in seen


def _pdf_text(response, tmp_path, language: str) -> tuple[str, str]:
    """The summary's text as a program reads it, and its first page read back by OCR."""
    missing = [tool for tool in TOOLS if not shutil.which(tool)]
    assert not missing, f"{missing}: manage.py test installs poppler-utils and tesseract-ocr"
    pdf = tmp_path / "summary.pdf"
    pdf.write_bytes(response.data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    page = next(tmp_path.glob("page*.png"))
    seen = subprocess.run(
        ["tesseract", str(page), "-", "-l", language], capture_output=True, text=True, check=True
    ).stdout
    return text, seen


@pytest.mark.parametrize("asked_by", ["accept-language", "organisation"])
def test_summary_pdf_in_danish(leader, world, tmp_path, asked_by):
    meeting_id = held_meeting(leader, world)
    headers = {"Accept-Language": "da-DK, da;q=0.9"}
    if asked_by == "organisation":
        # A Danish workshop: no header names a language, the organisation's is Danish.
        world.org_a.language = "da"
        db.session.commit()
        headers = {"Accept-Language": ""}
    response = leader.get(f"/meetings/{meeting_id}/summary.pdf", headers=headers)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    text, seen = _pdf_text(response, tmp_path, "dan")
    for expected in (
        "Netværksmøde for PersonA1 Hansen",
        "Opsummering til netværksgruppens medlemmer",
        "Medlemmer",
        "Beslutninger",
        "Øke til fire dager i uka fra august.",  # what was typed stays as typed
        "Opfølgningspunkter",
        "1. juli 2026",
        "Næste møde",
        "søndag den 16. august 2026 kl. 10.00",
        "tirsdag den 16. juni 2026 kl. 10.00",
        "Fortroligt: indeholder personoplysninger.",
        "Lavet i Spire 17. juni 2026 · side 1",
    ):
        assert expected in text, (expected, text)
    for norwegian in ("Ansvarsgruppemøte", "Neste møte", "Vedtak", "tirsdag 16. juni"):
        assert norwegian not in text
    assert "HEMMELIG" not in text and "INTERN" not in text
    for expected in ("Netværksmøde", "Medlemmer", "Beslutninger", "Kari Nordmann", "Søke om AAP"):
        assert expected in seen, (expected, seen)


def test_a_member_listed_twice_is_refused(leader, world):
    twice = [NAV, {**NAV, "name": "KARI NORDMANN"}]
    response = plan(leader, world.participant_a1, members=twice)
    assert response.status_code == 422
    assert "members" in response.json["errors"]["json"]


def test_correcting_an_old_meeting_leaves_the_group_alone(leader, world):
    municipality = {"name": "Siv Kommune", "organisation": "Kristiansand kommune"}
    old = plan(leader, world.participant_a1, scheduled_at=at(-30))
    expect(old, 201)
    newer = plan(leader, world.participant_a1, scheduled_at=at(-5), members=[NAV, GP, municipality])
    expect(newer, 201)
    corrected = patch(
        leader, old.json["id"], old.headers["ETag"], members=[{**NAV, "phone": "98765432"}]
    )
    assert corrected.status_code == 200
    assert [m["name"] for m in corrected.json["members"]] == ["Kari Nordmann"]
    group = leader.get(f"/participants/{world.participant_a1.id}/group-members").json
    assert [m["name"] for m in group] == ["Kari Nordmann", "Per Lege", "Siv Kommune"]
    assert group[0]["phone"] == "+4798765432"  # a contact's number is one number


def test_the_planned_next_meeting_follows_the_meeting_it_came_from(leader, world):
    created = plan(leader, world.participant_a1, scheduled_at=at(-1))
    expect(created, 201)
    held = patch(
        leader, created.json["id"], created.headers["ETag"], status="held", next_meeting_at=at(60)
    )
    expect(held, 200)
    following_id = held.json["next_meeting_id"]
    # Moving the date moves the planned meeting, and its history says so.
    moved = patch(leader, held.json["id"], held.headers["ETag"], next_meeting_at=at(70))
    expect(moved, 200)
    assert (
        leader.get(f"/meetings/{following_id}").json["scheduled_at"]
        == (moved.json["next_meeting_at"])
    )
    change = db.session.scalars(
        select(ChangeRecord).where(ChangeRecord.entity_id == uuid.UUID(following_id))
    ).one()
    assert list(change.changes) == ["scheduled_at"]
    # Written up as cancelled after all: the meeting it planned is cancelled too.
    cancelled = patch(leader, held.json["id"], moved.headers["ETag"], status="cancelled")
    assert cancelled.status_code == 200
    assert leader.get(f"/meetings/{following_id}").json["status"] == "cancelled"
    assert leader.get("/worklists/upcoming-meetings").json == []
    # Held after all, with a new date: a new meeting is planned.
    again = patch(leader, held.json["id"], cancelled.headers["ETag"], status="held")
    expect(again, 200)
    assert again.json["next_meeting_id"] not in (None, following_id)
    upcoming = leader.get("/worklists/upcoming-meetings").json
    assert [m["id"] for m in upcoming] == [again.json["next_meeting_id"]]


def test_work_lists_leave_out_ended_participants_and_unseen_departments(leader, world, as_user):
    participant = ParticipantFactory(department=world.dept_a1)
    expect(plan(leader, participant, scheduled_at=at(3)), 201)
    assert len(leader.get("/worklists/upcoming-meetings").json) == 1
    ended = leader.post(
        f"/participants/{participant.id}/end",
        json={"end_date": NOW.date().isoformat(), "outcome": "education"},
    )
    assert ended.status_code == 200
    assert leader.get("/worklists/upcoming-meetings").json == []
    for path in ("upcoming-meetings", "overdue-actions", "no-recent-followup"):
        unseen = {"department_id": str(world.dept_b1.id)}
        response = leader.get(f"/worklists/{path}", query_string=unseen)
        assert response.status_code == 404, path


def test_a_long_action_item_splits_across_pages(leader, world):
    assert shutil.which("pdftotext"), "manage.py test installs poppler-utils"
    meeting = expect(plan(leader, world.participant_a1, scheduled_at=at(-1)), 201)
    long = "\n".join(f"Punkt {n}" for n in range(1, 140))[:1000]
    added = leader.post(
        f"/meetings/{meeting['id']}/actions",
        json={"description": long, "responsible": "NAV"},
    )
    assert added.status_code == 201
    response = leader.get(f"/meetings/{meeting['id']}/summary.pdf")
    assert response.status_code == 200
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=response.data, capture_output=True, check=True
    ).stdout.decode()
    pages = text.count("\f")
    assert pages >= 2, pages
    assert long.splitlines()[-1] in text  # nothing was cut off


def test_the_pdf_is_named_by_the_local_date(leader, world):
    late = datetime(2026, 6, 10, 0, 30, tzinfo=OSLO)  # 9 June in UTC
    meeting = expect(plan(leader, world.participant_a1, scheduled_at=late.isoformat()), 201)
    path = f"/meetings/{meeting['id']}/summary.pdf"
    for language, name in (
        ("nb", "ansvarsgruppemote-2026-06-10.pdf"),
        ("da", "netvaerksmoede-2026-06-10.pdf"),
        ("en", "responsibility-group-meeting-2026-06-10.pdf"),
    ):
        response = leader.get(path, headers={"Accept-Language": language})
        assert f'filename="{name}"' in response.headers["Content-Disposition"]


def test_a_repeated_change_after_a_lost_answer_is_not_refused(leader, world, as_user):
    """The same PATCH again with the ETag it was sent with (its answer never arrived)
    changes nothing and answers 200 with the meeting; a stale ETag with a body that would
    change something is still 412."""
    created = plan(leader, world.participant_a1, scheduled_at=at(-1))
    assert created.status_code == 201, created.json
    meeting_id, etag = created.json["id"], created.headers["ETag"]
    body = {
        "status": "held",
        "minutes": "Gikk bra.",
        "decisions": "Fire dager i uka.",
        "next_meeting_at": at(60),
        "members": [NAV, GP],
    }
    first = patch(leader, meeting_id, etag, **body)
    assert first.status_code == 200, first.json
    counts = table_counts()

    again = patch(leader, meeting_id, etag, **body)
    assert again.status_code == 200, again.json
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.json == first.json
    after = table_counts()
    assert after.pop("access_log") == counts.pop("access_log") + 1  # the read it answers
    assert after == counts

    # Part of the same change, or with members named by id: still nothing to change.
    members = [
        {"id": m["id"], "name": m["name"], "organisation": m["organisation"]}
        for m in first.json["members"]
    ]
    partly = patch(leader, meeting_id, etag, decisions="Fire dager i uka.", members=members)
    assert partly.status_code == 200, partly.json
    assert partly.headers["ETag"] == first.headers["ETag"]

    # Anything that would change the meeting needs the current ETag.
    for change in (
        {"decisions": "Tre dager i uka."},
        {"members": [NAV]},
        {"members": [NAV, {**GP, "role": "Lege"}]},
        {"minutes": None},
    ):
        stale = patch(leader, meeting_id, etag, **{**body, **change})
        assert stale.status_code == 412, change
        assert stale.json["current"]["decisions"] == "Fire dager i uka."
    assert leader.patch(f"/meetings/{meeting_id}", json=body).status_code == 428


def test_action_items_change_the_meetings_etag(leader, world, as_user):
    created = plan(leader, world.participant_a1, scheduled_at=at(-1))
    assert created.status_code == 201, created.json
    meeting_id = created.json["id"]
    path = f"/meetings/{meeting_id}"
    read = leader.get(path)
    assert read.status_code == 200
    etag = read.headers["ETag"]

    action_id = str(uuid.uuid4())
    body = {"id": action_id, "description": "Søke kurs", "responsible": "Kari Nordmann (NAV)"}
    added = leader.post(f"{path}/actions", json=body)
    assert added.status_code == 201, added.json
    with_action = leader.get(path)
    assert with_action.headers["ETag"] != etag
    assert [a["id"] for a in with_action.json["actions"]] == [action_id]
    # An edit based on the meeting as it was before the action item is refused.
    stale = patch(leader, meeting_id, etag, decisions="Noe annet.")
    assert stale.status_code == 412
    assert [a["id"] for a in stale.json["current"]["actions"]] == [action_id]
    assert stale.headers["ETag"] == with_action.headers["ETag"]
    # The same action item again changes nothing, nor the ETag.
    assert leader.post(f"{path}/actions", json=body).status_code == 200
    assert leader.get(path).headers["ETag"] == with_action.headers["ETag"]

    ticked = as_user(world.facilitator).patch(f"{path}/actions/{action_id}", json={"done": True})
    assert ticked.status_code == 200, ticked.json
    after_tick = leader.get(path)
    assert after_tick.headers["ETag"] not in (etag, with_action.headers["ETag"])
    assert after_tick.json["actions"][0]["done"] is True
    # Ticking it again changes nothing.
    again = as_user(world.facilitator).patch(f"{path}/actions/{action_id}", json={"done": True})
    assert again.status_code == 200
    assert leader.get(path).headers["ETag"] == after_tick.headers["ETag"]
    assert patch(leader, meeting_id, after_tick.headers["ETag"], decisions="Ny").status_code == 200
