"""Bad input to the plan and goal writes, and schedule slots that overlap.

The cases and the checks: ``tests/server/resources/bad_input.py``."""

import uuid

import pytest

from tests.server.resources.bad_input import (
    DROP,
    NOT_UUID,
    Endpoint,
    accepts_its_body,
    body_with,
    case,
    read,
    run_cases,
    send,
)


def slot(weekday=1, start="09:00", end="14:00", **extra) -> dict:
    return {"weekday": weekday, "start": start, "end": end, **extra}


ENDPOINTS = {
    "put-plan": Endpoint(
        "PUT",
        lambda c: f"/participants/{c.participant_id}/plan",
        lambda c: {
            "valid_from": "2026-02-01",
            "review_date": "2026-05-01",
            "goals": [
                {
                    "id": c.goal_id,
                    "title": "Møte presis",
                    "description": "Tre dager i uka",
                    "status": "in_progress",
                    "due_date": "2026-04-01",
                },
                {"title": "Lære kassa"},
            ],
            "work_areas": ["kjøkken", "lager"],
            "schedule": [
                {"weekday": 1, "start": "09:00", "end": "14:00"},
                {"weekday": 3, "start": "09:00", "end": "12:00"},
            ],
            "notes": "Trives best om morgenen.",
        },
        lambda c: read(c, f"/participants/{c.participant_id}/plan/versions"),
        201,
        required=("valid_from",),
    ),
    "update-goal": Endpoint(
        "PATCH",
        lambda c: f"/participants/{c.participant_id}/plan/goals/{c.goal_id}",
        lambda c: {"status": "achieved", "progress_note": "Har møtt presis i tre uker."},
        lambda c: read(c, f"/participants/{c.participant_id}/plan/versions"),
        200,
        required=("status",),
    ),
}


@pytest.mark.parametrize("name", ENDPOINTS)
def test_valid_body_is_accepted(ctx, name):
    accepts_its_body(ctx, ENDPOINTS[name])


SCHEMA_CASES = {
    "put-plan": [
        case("valid-from-month-13", {"valid_from": "2026-13-01"}, "valid_from"),
        case("valid-from-null", {"valid_from": None}, "valid_from"),
        case("valid-from-number", {"valid_from": 1}, "valid_from"),
        case("review-date-words", {"review_date": "next spring"}, "review_date"),
        case("goals-object", {"goals": {"title": "x"}}, "goals"),
        case("goals-of-strings", {"goals": ["Møte presis"]}, "goals.0"),
        case("goal-title-number", {"goals": [{"title": 5}]}, "goals.0.title"),
        case("goal-title-blank", {"goals": [{"title": " "}]}, "goals.0.title"),
        case("goal-title-missing", {"goals": [{"description": "x"}]}, "goals.0.title"),
        case("goal-id-invalid", {"goals": [{"id": NOT_UUID, "title": "x"}]}, "goals.0.id"),
        case(
            "goal-status-invalid", {"goals": [{"title": "x", "status": "done"}]}, "goals.0.status"
        ),
        case(
            "goal-due-date-feb-30",
            {"goals": [{"title": "x", "due_date": "2026-02-30"}]},
            "goals.0.due_date",
        ),
        case("goal-unknown-field", {"goals": [{"title": "x", "owner": "me"}]}, "goals.0.owner"),
        case("goals-too-many", {"goals": [{"title": f"Mål {i}"} for i in range(51)]}, "goals"),
        case("work-areas-string", {"work_areas": "kjøkken"}, "work_areas"),
        case("work-areas-of-numbers", {"work_areas": [5]}, "work_areas.0"),
        case("work-areas-blank", {"work_areas": [""]}, "work_areas.0"),
        case("work-areas-too-many", {"work_areas": [f"sted {i}" for i in range(21)]}, "work_areas"),
        case("schedule-object", {"schedule": slot()}, "schedule"),
        case("slot-as-list", {"schedule": [[1, "09:00", "14:00"]]}, "schedule.0"),
        case("weekday-0", {"schedule": [slot(weekday=0)]}, "schedule.0.weekday"),
        case("weekday-8", {"schedule": [slot(weekday=8)]}, "schedule.0.weekday"),
        case("weekday-name", {"schedule": [slot(weekday="monday")]}, "schedule.0.weekday"),
        case("weekday-null", {"schedule": [slot(weekday=None)]}, "schedule.0.weekday"),
        case("weekday-fraction", {"schedule": [slot(weekday=1.5)]}, "schedule.0.weekday"),
        case("start-25-00", {"schedule": [slot(start="25:00")]}, "schedule.0.start"),
        case("start-09-60", {"schedule": [slot(start="09:60")]}, "schedule.0.start"),
        case("start-with-seconds", {"schedule": [slot(start="09:00:00")]}, "schedule.0.start"),
        case("start-am-pm", {"schedule": [slot(start="9am")]}, "schedule.0.start"),
        case("start-number", {"schedule": [slot(start=900)]}, "schedule.0.start"),
        case("end-24-00", {"schedule": [slot(end="24:00")]}, "schedule.0.end"),
        case("end-missing", {"schedule": [{"weekday": 1, "start": "09:00"}]}, "schedule.0.end"),
        case("slot-unknown-field", {"schedule": [slot(room="A")]}, "schedule.0.room"),
        case(
            "schedule-too-many",
            {
                "schedule": [
                    slot(d, f"{h:02}:00", f"{h:02}:30")
                    for d in range(1, 8)
                    for h in (8, 10, 12, 14)
                ]
            },
            "schedule",
        ),
        case("notes-number", {"notes": 5}, "notes"),
        case("notes-too-long", {"notes": "x" * 10_001}, "notes"),
        case("read-only-version", {"version": 7}, "version"),
    ],
    "update-goal": [
        case("status-invalid", {"status": "done"}, "status"),
        case("status-null", {"status": None}, "status"),
        case("status-number", {"status": 2}, "status"),
        case("status-missing", {"status": DROP}, "status"),
        case("progress-note-number", {"progress_note": 5}, "progress_note"),
        case("progress-note-object", {"progress_note": {"text": "x"}}, "progress_note"),
        case("progress-note-too-long", {"progress_note": "x" * 4001}, "progress_note"),
        case("unknown-field", {"title": "Nytt navn"}, "title"),
    ],
}


@pytest.mark.parametrize("name", SCHEMA_CASES)
def test_wrong_type_or_value_is_refused(ctx, subtests, name):
    run_cases(ctx, subtests, ENDPOINTS[name], SCHEMA_CASES[name])


RULE_CASES = {
    "put-plan": [
        case(
            "slot-end-before-start",
            {"schedule": [slot(1, "09:00", "14:00"), slot(2, "14:00", "09:00")]},
            "schedule.1.end",
        ),
        case("slot-end-equals-start", {"schedule": [slot(3, "09:00", "09:00")]}, "schedule.0.end"),
        case(
            "slots-overlap-same-weekday",
            {"schedule": [slot(1, "09:00", "12:00"), slot(1, "11:00", "14:00")]},
            "schedule.0.start",
            "schedule.1.start",
        ),
        case(
            "slots-identical",
            {"schedule": [slot(5, "09:00", "12:00"), slot(5, "09:00", "12:00")]},
            "schedule.0.start",
            "schedule.1.start",
        ),
        case(
            "review-date-before-valid-from",
            {"valid_from": "2026-02-01", "review_date": "2026-01-31"},
            "review_date",
        ),
        case("unknown-goal-id", {"goals": [{"id": str(uuid.uuid4()), "title": "x"}]}, "goals"),
        case(
            "goal-id-of-another-participant",
            {"goals": lambda c: [{"id": c.other_participants_goal_id, "title": "x"}]},
            "goals",
        ),
        case(
            "same-goal-id-twice",
            {"goals": lambda c: [{"id": c.goal_id, "title": "A"}, {"id": c.goal_id, "title": "B"}]},
            "goals",
        ),
    ],
}


@pytest.mark.parametrize("name", RULE_CASES)
def test_rule_violation_is_refused(ctx, subtests, name):
    run_cases(ctx, subtests, ENDPOINTS[name], RULE_CASES[name])


def test_adjacent_schedule_slots_do_not_overlap(ctx):
    """The control for the overlap rule: 09-12 and 12-14 on one day touch, not overlap."""
    schedule = [slot(1, "09:00", "12:00"), slot(1, "12:00", "14:00")]
    response = send(
        ctx,
        ENDPOINTS["put-plan"],
        json=body_with(ctx, ENDPOINTS["put-plan"], {"schedule": schedule}),
    )
    assert response.status_code == 201, response.json
