"""Bad input to the meeting and action item writes, and what an ended participant, a
cancelled meeting or a stale ETag refuses.

The cases and the checks: ``tests/server/resources/bad_input.py``."""

import uuid

import pytest

from tests.conftest import expect, table_counts
from tests.server.resources.bad_input import (
    DROP,
    JSON,
    NOT_UUID,
    Endpoint,
    accepts_its_body,
    case,
    future_moment,
    member,
    read,
    refused,
    run_cases,
    send,
)

ENDPOINTS = {
    "create-meeting": Endpoint(
        "POST",
        lambda c: f"/participants/{c.participant_id}/meetings",
        lambda c: {
            "id": str(uuid.uuid4()),
            "scheduled_at": "2026-02-10T10:00:00+01:00",
            "location": "NAV Songdalen",
            "agenda": "Status og veien videre",
            "members": [
                {
                    "id": c.meeting["members"][0]["id"],
                    "name": "Kari Veileder",
                    "organisation": "NAV Songdalen",
                    "role": "Veileder",
                    "phone": "+47 912 34 567",
                    "email": "kari.veileder@nav.no",
                },
                {"name": "Per Lege", "organisation": "Songdalen legekontor"},
            ],
        },
        # The participant's meetings, and the group the next meeting starts with.
        lambda c: (
            read(c, f"/participants/{c.participant_id}/meetings"),
            read(c, f"/participants/{c.participant_id}/group-members"),
        ),
        201,
        required=("scheduled_at",),
    ),
    "update-meeting": Endpoint(
        "PATCH",
        lambda c: f"/meetings/{c.meeting_id}",
        lambda c: {
            "scheduled_at": "2026-02-10T10:00:00+01:00",
            "location": "Songdalen kommune, møterom 2",
            "agenda": "Status og veien videre",
            "status": "held",
            "minutes": "Deltakeren trives på kjøkkenet og møter presis.",
            "decisions": "Øke til fire dager i uka fra mars.",
            "next_meeting_at": "2026-05-12T10:00:00+02:00",
            "members": [{"name": "Kari Veileder", "organisation": "NAV Songdalen"}],
        },
        lambda c: (
            c.meeting_state(),
            read(c, f"/participants/{c.participant_id}/meetings"),
            read(c, f"/participants/{c.participant_id}/group-members"),
        ),
        200,
        if_match=lambda c: c.meeting_etag(),
        as_leader=True,
    ),
    "add-action": Endpoint(
        "POST",
        lambda c: f"/meetings/{c.meeting_id}/actions",
        lambda c: {
            "id": str(uuid.uuid4()),
            "description": "Søke om arbeidstrening hos Coop",
            "responsible": "Kari Veileder (NAV)",
            "due_date": "2026-03-01",
        },
        lambda c: c.meeting_state(),
        201,
        required=("description", "responsible"),
    ),
    "update-action": Endpoint(
        "PATCH",
        lambda c: f"/meetings/{c.meeting_id}/actions/{c.action_id}",
        lambda c: {
            "description": "Søke om arbeidstrening hos Coop",
            "responsible": "Per Lege",
            "due_date": "2026-03-15",
            "done": True,
        },
        lambda c: c.meeting_state(),
        200,
    ),
}


@pytest.mark.parametrize("name", ENDPOINTS)
def test_valid_body_is_accepted(ctx, name):
    accepts_its_body(ctx, ENDPOINTS[name])


SCHEMA_CASES = {
    "create-meeting": [
        case("id-invalid", {"id": NOT_UUID}, "id"),
        case("id-number", {"id": 7}, "id"),
        case("scheduled-at-no-offset", {"scheduled_at": "2026-02-10T10:00:00"}, "scheduled_at"),
        case("scheduled-at-date-only", {"scheduled_at": "2026-02-10"}, "scheduled_at"),
        case("scheduled-at-words", {"scheduled_at": "neste tirsdag"}, "scheduled_at"),
        case("scheduled-at-null", {"scheduled_at": None}, "scheduled_at"),
        case("scheduled-at-missing", {"scheduled_at": DROP}, "scheduled_at"),
        case("location-number", {"location": 5}, "location"),
        case("location-too-long", {"location": "x" * 201}, "location"),
        case("agenda-too-long", {"agenda": "x" * 4001}, "agenda"),
        case("members-object", {"members": member()}, "members"),
        case("members-of-strings", {"members": ["Kari Veileder"]}, "members.0"),
        case(
            "members-too-many", {"members": [member(name=f"M {i}") for i in range(31)]}, "members"
        ),
        case("member-id-invalid", {"members": [member(id=NOT_UUID)]}, "members.0.id"),
        case("member-name-missing", {"members": [{"organisation": "NAV"}]}, "members.0.name"),
        case("member-name-blank", {"members": [member(name=" ")]}, "members.0.name"),
        case("member-name-too-long", {"members": [member(name="x" * 121)]}, "members.0.name"),
        case(
            "member-organisation-null",
            {"members": [member(organisation=None)]},
            "members.0.organisation",
        ),
        case("member-phone-letters", {"members": [member(phone="ring meg")]}, "members.0.phone"),
        case("member-email-invalid", {"members": [member(email="kari@")]}, "members.0.email"),
        case(
            "member-unknown-field",
            {"members": [member(participant_id=str(uuid.uuid4()))]},
            "members.0.participant_id",
        ),
        case("read-only-status", {"status": "held"}, "status"),
        case("read-only-version", {"version": 1}, "version"),
        case("unknown-field", {"minutes": "Skrevet før møtet."}, "minutes"),
    ],
    "update-meeting": [
        case("scheduled-at-null", {"scheduled_at": None}, "scheduled_at"),
        case("scheduled-at-no-offset", {"scheduled_at": "2026-02-10T10:00:00"}, "scheduled_at"),
        case("status-invalid", {"status": "done"}, "status"),
        case("status-upper-case", {"status": "HELD"}, "status"),
        case("status-null", {"status": None}, "status"),
        case("minutes-number", {"minutes": 5}, "minutes"),
        case("minutes-too-long", {"minutes": "x" * 20_001}, "minutes"),
        case("decisions-list", {"decisions": ["Øke"]}, "decisions"),
        case("decisions-too-long", {"decisions": "x" * 8001}, "decisions"),
        case("next-meeting-at-words", {"next_meeting_at": "til våren"}, "next_meeting_at"),
        case("next-meeting-at-date-only", {"next_meeting_at": "2026-05-12"}, "next_meeting_at"),
        case("members-string", {"members": "Kari Veileder"}, "members"),
        case("member-email-invalid", {"members": [member(email="kari")]}, "members.0.email"),
        case("read-only-id", {"id": str(uuid.uuid4())}, "id"),
        case("read-only-version", {"version": 7}, "version"),
        case(
            "read-only-next-meeting-id", {"next_meeting_id": str(uuid.uuid4())}, "next_meeting_id"
        ),
        case("read-only-minutes-withheld", {"minutes_withheld": False}, "minutes_withheld"),
        case("unknown-field", {"participant_id": str(uuid.uuid4())}, "participant_id"),
    ],
    "add-action": [
        case("id-invalid", {"id": NOT_UUID}, "id"),
        case("description-number", {"description": 5}, "description"),
        case("description-blank", {"description": "  "}, "description"),
        case("description-too-long", {"description": "x" * 1001}, "description"),
        case("description-missing", {"description": DROP}, "description"),
        case("responsible-null", {"responsible": None}, "responsible"),
        case("responsible-list", {"responsible": ["Kari"]}, "responsible"),
        case("responsible-too-long", {"responsible": "x" * 201}, "responsible"),
        case("due-date-feb-30", {"due_date": "2026-02-30"}, "due_date"),
        case("due-date-with-time", {"due_date": "2026-03-01T10:00:00"}, "due_date"),
        case("due-date-norwegian-format", {"due_date": "01.03.2026"}, "due_date"),
        case("read-only-done", {"done": True}, "done"),
        case("read-only-meeting-id", {"meeting_id": str(uuid.uuid4())}, "meeting_id"),
        case("unknown-field", {"done_by_id": str(uuid.uuid4())}, "done_by_id"),
    ],
    "update-action": [
        case("done-string", {"done": "maybe"}, "done"),
        case("done-null", {"done": None}, "done"),
        case("done-list", {"done": [True]}, "done"),
        case("description-null", {"description": None}, "description"),
        case("description-blank", {"description": ""}, "description"),
        case("responsible-number", {"responsible": 5}, "responsible"),
        case("due-date-month-13", {"due_date": "2026-13-01"}, "due_date"),
        case("read-only-id", {"id": str(uuid.uuid4())}, "id"),
        case("read-only-done-at", {"done_at": "2026-03-01T10:00:00Z"}, "done_at"),
        case("unknown-field", {"done_by_id": str(uuid.uuid4())}, "done_by_id"),
    ],
}


@pytest.mark.parametrize("name", SCHEMA_CASES)
def test_wrong_type_or_value_is_refused(ctx, subtests, name):
    run_cases(ctx, subtests, ENDPOINTS[name], SCHEMA_CASES[name])


RULE_CASES = {
    "create-meeting": [
        case(
            "scheduled-before-the-start",
            {"scheduled_at": "2026-01-04T10:00:00+01:00"},
            "scheduled_at",
        ),
        case(
            "member-id-unknown",
            {"members": [member(id=str(uuid.uuid4()))]},
            "members.0.id",
        ),
        case(
            "member-of-another-participants-group",
            {"members": lambda c: [member(id=c.other_meeting["members"][0]["id"])]},
            "members.0.id",
        ),
    ],
    "update-meeting": [
        case(
            "next-meeting-before-the-meeting",
            {"next_meeting_at": "2026-02-09T10:00:00+01:00"},
            "next_meeting_at",
        ),
        case(
            "next-meeting-at-the-same-moment",
            {"next_meeting_at": "2026-02-10T09:00:00Z"},
            "next_meeting_at",
        ),
        case(
            "held-in-the-future",
            {"scheduled_at": lambda c: future_moment(), "next_meeting_at": DROP},
            "status",
        ),
        case(
            "scheduled-before-the-start",
            {"scheduled_at": "2026-01-04T10:00:00+01:00"},
            "scheduled_at",
        ),
        case("member-id-unknown", {"members": [member(id=str(uuid.uuid4()))]}, "members.0.id"),
        case(
            "member-of-another-participants-group",
            {"members": lambda c: [member(id=c.other_meeting["members"][0]["id"])]},
            "members.0.id",
        ),
    ],
}


@pytest.mark.parametrize("name", RULE_CASES)
def test_rule_violation_is_refused(ctx, subtests, name):
    run_cases(ctx, subtests, ENDPOINTS[name], RULE_CASES[name])


def test_no_meeting_is_planned_for_an_ended_participant(ctx):
    meeting = ENDPOINTS["create-meeting"].body(ctx)  # names a member of the group as it was
    end = {"end_date": ctx.world.participant_a1.start_date.isoformat(), "outcome": "ordinary_work"}
    expect(ctx.admin.post(f"/participants/{ctx.participant_id}/end", json=end), 200)
    refused(ctx, ENDPOINTS["create-meeting"], 409, json=meeting)


def test_a_cancelled_meeting_takes_no_action_items(ctx):
    cancel = {"status": "cancelled"}
    response = send(
        ctx, ENDPOINTS["update-meeting"], json=cancel, headers={"If-Match": ctx.meeting_etag()}
    )
    assert response.status_code == 200, response.json
    refused(ctx, ENDPOINTS["add-action"], 409, json=ENDPOINTS["add-action"].body(ctx))


def test_patch_meeting_needs_the_current_etag(ctx, subtests):
    """A stale ETag answers 412 with the meeting as it is now in ``current``, to merge from:
    the one member the envelope has beyond the usual ones."""
    body = ENDPOINTS["update-meeting"].body(ctx)
    with subtests.test("missing"):
        refused(ctx, ENDPOINTS["update-meeting"], 428, headers={"If-Match": ""}, json=body)
    with subtests.test("stale"):
        before = ctx.meeting_state()
        counts = table_counts()
        response = send(
            ctx, ENDPOINTS["update-meeting"], headers={"If-Match": '"stale"'}, json=body
        )
        assert response.status_code == 412, response.json
        assert response.mimetype == JSON
        envelope = dict(response.json)
        current = envelope.pop("current")
        assert set(envelope) == {"code", "status", "message"}, envelope
        assert envelope["code"] == 412
        assert (current, response.headers["ETag"]) == before
        after = table_counts()
        # Nothing changed; the meeting shown in the answer is logged as a read.
        assert after.pop("access_log") == counts.pop("access_log") + 1
        assert after == counts
        assert ctx.meeting_state() == before
