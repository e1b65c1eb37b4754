"""Individual plans: versions, goals and their history, schedule rules."""

import pytest

from tests.conftest import expect
from tests.factories import ParticipantFactory


@pytest.fixture
def leader(world, as_user):
    return as_user(world.leader)


@pytest.fixture
def fresh(world):
    return ParticipantFactory(department=world.dept_a1)


PLAN = {
    "valid_from": "2026-03-02",
    "review_date": "2026-06-01",
    "goals": [
        {"title": "Møte presis", "description": "Innen 09.00", "due_date": "2026-05-01"},
        {"title": "Lære kassa"},
    ],
    "work_areas": ["kjøkken", "kasse", "kjøkken"],
    "schedule": [
        {"weekday": 1, "start": "09:00", "end": "14:00"},
        {"weekday": 3, "start": "09:00", "end": "12:00"},
        {"weekday": 3, "start": "12:30", "end": "15:00"},
    ],
    "notes": "Trives med faste oppgaver.",
}


def test_no_plan_yet_is_404(leader, fresh):
    response = leader.get(f"/participants/{fresh.id}/plan")
    assert response.status_code == 404
    assert response.json["code"] == 404


def test_put_creates_versions_and_keeps_older_ones(leader, fresh):
    path = f"/participants/{fresh.id}/plan"
    first = leader.put(path, json=PLAN)
    assert first.status_code == 201
    plan = first.json
    assert plan["version"] == 1
    assert plan["work_areas"] == ["kjøkken", "kasse"]
    assert [g["status"] for g in plan["goals"]] == ["not_started", "not_started"]
    assert plan["schedule"][0] == {"weekday": 1, "start": "09:00", "end": "14:00"}
    assert leader.get(path).json == plan

    kept, dropped = plan["goals"]
    second = leader.put(
        path,
        json={
            **PLAN,
            "valid_from": "2026-04-01",
            "goals": [
                {"id": kept["id"], "title": "Møte presis hver dag", "status": "in_progress"},
                {"title": "Ta truckførerbevis"},
            ],
        },
    )
    assert second.status_code == 201
    assert second.json["version"] == 2
    assert second.json["goals"][0]["id"] == kept["id"]
    assert second.json["goals"][0]["status"] == "in_progress"
    assert second.json["goals"][1]["id"] not in (kept["id"], dropped["id"])

    versions = leader.get(f"{path}/versions").json
    assert [v["version"] for v in versions] == [2, 1]
    # Version 1 still reads as it was worded then.
    assert versions[1]["goals"][0]["title"] == "Møte presis"


def test_goal_status_and_progress_notes_keep_history(leader, world, as_user, fresh):
    plan = expect(leader.put(f"/participants/{fresh.id}/plan", json=PLAN), 201)
    goal_id = plan["goals"][0]["id"]
    path = f"/participants/{fresh.id}/plan/goals/{goal_id}"
    facilitator = as_user(world.facilitator)
    first = facilitator.patch(path, json={"status": "in_progress", "progress_note": "God uke"})
    assert first.status_code == 200
    second = facilitator.patch(path, json={"status": "achieved", "progress_note": "Nådd!"})
    assert second.status_code == 200
    assert second.json["status"] == "achieved"
    history = second.json["history"]
    assert [(h["status"], h["progress_note"]) for h in history] == [
        ("in_progress", "God uke"),
        ("achieved", "Nådd!"),
    ]
    assert {h["user_id"] for h in history} == {str(world.facilitator.id)}
    assert leader.get(f"/participants/{fresh.id}/plan").json["goals"][0]["status"] == "achieved"


def test_goal_not_in_current_plan_is_404(leader, world, fresh):
    expect(leader.put(f"/participants/{fresh.id}/plan", json=PLAN), 201)
    other_goal = leader.get(f"/participants/{world.participant_a1.id}/plan").json["goals"][0]
    response = leader.patch(
        f"/participants/{fresh.id}/plan/goals/{other_goal['id']}", json={"status": "achieved"}
    )
    assert response.status_code == 404


def test_goal_of_another_participant_cannot_be_carried_over(leader, world, fresh):
    other_goal = leader.get(f"/participants/{world.participant_a1.id}/plan").json["goals"][0]
    response = leader.put(
        f"/participants/{fresh.id}/plan",
        json={**PLAN, "goals": [{"id": other_goal["id"], "title": "Stjålet"}]},
    )
    assert response.status_code == 422
    assert "goals" in response.json["errors"]["json"]


@pytest.mark.parametrize(
    "schedule",
    [
        [{"weekday": 2, "start": "10:00", "end": "09:00"}],
        [
            {"weekday": 2, "start": "09:00", "end": "12:00"},
            {"weekday": 2, "start": "11:00", "end": "13:00"},
        ],
        [{"weekday": 8, "start": "09:00", "end": "12:00"}],
        [{"weekday": 1, "start": "9", "end": "12:00"}],
    ],
    ids=["end-before-start", "overlap", "weekday-8", "bad-time"],
)
def test_bad_schedules_are_422(leader, fresh, schedule):
    response = leader.put(f"/participants/{fresh.id}/plan", json={**PLAN, "schedule": schedule})
    assert response.status_code == 422
    assert "schedule" in response.json["errors"]["json"]
    assert leader.get(f"/participants/{fresh.id}/plan").status_code == 404


def test_the_current_plan_is_the_one_in_force_today(world, as_user, fresh):
    import time_machine

    with time_machine.travel("2026-06-15 12:00+02:00", tick=False):
        leader = as_user(world.leader)
        path = f"/participants/{fresh.id}/plan"
        version = {**PLAN, "review_date": None}
        expect(leader.put(path, json={**version, "valid_from": "2026-06-20"}), 201)
        assert leader.get(path).json["version"] == 1  # the upcoming one, before any starts
        expect(leader.put(path, json={**version, "valid_from": "2026-06-01"}), 201)
        expect(leader.put(path, json={**version, "valid_from": "2026-09-01"}), 201)
        assert leader.get(path).json["version"] == 2


def test_a_backdated_version_takes_effect_at_once(world, as_user, fresh):
    """A version valid from a date before the current one's replaces it from that date on:
    the plan read, the day's list and the expected days all follow it."""
    import time_machine

    with time_machine.travel("2026-06-15 08:00+02:00", tick=False):  # a Monday
        leader = as_user(world.leader)
        facilitator = as_user(world.facilitator)
        path = f"/participants/{fresh.id}/plan"
        mondays_and_wednesdays = [
            {"weekday": 1, "start": "09:00", "end": "14:00"},
            {"weekday": 3, "start": "09:00", "end": "14:00"},
        ]
        tuesdays = [{"weekday": 2, "start": "10:00", "end": "13:00"}]
        first = leader.put(
            path,
            json={**PLAN, "valid_from": "2026-06-01", "schedule": mondays_and_wednesdays},
        )
        assert first.status_code == 201, first.json
        backdated = leader.put(
            path,
            json={
                **PLAN,
                "valid_from": "2026-05-04",
                "review_date": None,
                "schedule": tuesdays,
                "notes": "Rettet: tirsdager fra mai.",
            },
        )
        assert backdated.status_code == 201, backdated.json

        current = leader.get(path)
        assert current.status_code == 200
        assert (current.json["version"], current.json["valid_from"]) == (2, "2026-05-04")
        assert current.json["schedule"] == [{"weekday": 2, "start": "10:00", "end": "13:00"}]

        day = facilitator.get("/today", query_string={"department_id": str(world.dept_a1.id)})
        assert day.status_code == 200
        row = next(r for r in day.json["participants"] if r["participant"]["id"] == str(fresh.id))
        assert (row["expected"], row["expected_start"]) == (False, None)

        summary = facilitator.get(
            f"/participants/{fresh.id}/attendance-summary",
            query_string={"from": "2026-06-01", "to": "2026-06-14"},
        )
        assert summary.status_code == 200
        assert summary.json["expected_days"] == 2  # the two Tuesdays, not the version 1 days

        # The same valid_from again: the newer version wins.
        same_day = leader.put(
            path, json={**PLAN, "valid_from": "2026-05-04", "schedule": mondays_and_wednesdays}
        )
        assert same_day.status_code == 201
        assert leader.get(path).json["version"] == 3
        # A version from a later date waits for its day.
        later = leader.put(
            path,
            json={**PLAN, "valid_from": "2026-07-01", "review_date": None, "schedule": tuesdays},
        )
        assert later.status_code == 201
        assert leader.get(path).json["version"] == 3
        versions = leader.get(f"{path}/versions")
        assert versions.status_code == 200
        assert [v["version"] for v in versions.json] == [4, 3, 2, 1]
