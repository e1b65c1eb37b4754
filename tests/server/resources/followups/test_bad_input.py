"""Bad input to logging a follow-up.

The cases and the checks: ``tests/server/resources/bad_input.py``."""

import uuid

import pytest

from tests.server.resources.bad_input import (
    DROP,
    NOT_UUID,
    Endpoint,
    accepts_its_body,
    case,
    future_moment,
    read,
    run_cases,
)

ENDPOINTS = {
    "put-followup": Endpoint(
        "PUT",
        lambda c: f"/followups/{c.followup_id}",
        lambda c: {
            "participant_id": c.participant_id,
            "kind": "home_visit",
            "occurred_at": "2026-02-03T10:00:00+01:00",
            "duration_minutes": 45,
            "note": "Hjemmebesøk; snakket om søvn og oppmøte.",
        },
        lambda c: (
            read(c, f"/followups/{c.followup_id}", c.leader),
            read(c, f"/followups?participant_id={c.participant_id}", c.leader),
        ),
        201,
        required=("participant_id", "kind", "occurred_at"),
        as_leader=True,
    ),
}


@pytest.mark.parametrize("name", ENDPOINTS)
def test_valid_body_is_accepted(ctx, name):
    accepts_its_body(ctx, ENDPOINTS[name])


SCHEMA_CASES = {
    "put-followup": [
        case("participant-id-invalid", {"participant_id": NOT_UUID}, "participant_id"),
        case("participant-id-null", {"participant_id": None}, "participant_id"),
        case("participant-id-missing", {"participant_id": DROP}, "participant_id"),
        case("kind-invalid", {"kind": "visit"}, "kind"),
        case("kind-upper-case", {"kind": "PHONE"}, "kind"),
        case("kind-null", {"kind": None}, "kind"),
        case("occurred-at-no-offset", {"occurred_at": "2026-02-03T10:00:00"}, "occurred_at"),
        case("occurred-at-date-only", {"occurred_at": "2026-02-03"}, "occurred_at"),
        case("occurred-at-number", {"occurred_at": 1770109200}, "occurred_at"),
        case("occurred-at-null", {"occurred_at": None}, "occurred_at"),
        case("occurred-at-year-2200", {"occurred_at": "2200-01-01T10:00:00Z"}, "occurred_at"),
        case("duration-zero", {"duration_minutes": 0}, "duration_minutes"),
        case("duration-negative", {"duration_minutes": -30}, "duration_minutes"),
        case("duration-over-a-day", {"duration_minutes": 24 * 60 + 1}, "duration_minutes"),
        case("duration-fraction", {"duration_minutes": 12.5}, "duration_minutes"),
        case("duration-string", {"duration_minutes": "30"}, "duration_minutes"),
        case("duration-bool", {"duration_minutes": True}, "duration_minutes"),
        case("note-number", {"note": 5}, "note"),
        case("note-list", {"note": ["Notat"]}, "note"),
        case("note-too-long", {"note": "x" * 4001}, "note"),
        case("read-only-id", {"id": str(uuid.uuid4())}, "id"),
        case("read-only-author-id", {"author_id": str(uuid.uuid4())}, "author_id"),
        case("read-only-has-note", {"has_note": False}, "has_note"),
        case("unknown-field", {"department_id": str(uuid.uuid4())}, "department_id"),
    ],
}


@pytest.mark.parametrize("name", SCHEMA_CASES)
def test_wrong_type_or_value_is_refused(ctx, subtests, name):
    run_cases(ctx, subtests, ENDPOINTS[name], SCHEMA_CASES[name])


RULE_CASES = {
    # The participant started on 5 January 2026; Oslo is an hour ahead of UTC in winter.
    "put-followup": [
        case("occurred-in-the-future", {"occurred_at": lambda c: future_moment()}, "occurred_at"),
        case(
            "occurred-before-the-start", {"occurred_at": "2026-01-04T12:00:00+01:00"}, "occurred_at"
        ),
        case(
            # 5 January in the offset given, 4 January in Oslo: the participant's day counts.
            "occurred-before-the-start-in-local-time",
            {"occurred_at": "2026-01-05T00:30:00+02:00"},
            "occurred_at",
        ),
        case(
            "occurred-after-the-end",
            {
                "participant_id": lambda c: c.ended_participant_id,
                "occurred_at": "2026-03-02T10:00:00+01:00",
            },
            "occurred_at",
        ),
        case(
            "participant-of-other-organisation",
            {"participant_id": lambda c: str(c.world.participant_b1.id)},
            status=404,
        ),
        case("participant-unknown", {"participant_id": str(uuid.uuid4())}, status=404),
    ],
}


@pytest.mark.parametrize("name", RULE_CASES)
def test_rule_violation_is_refused(ctx, subtests, name):
    run_cases(ctx, subtests, ENDPOINTS[name], RULE_CASES[name])
