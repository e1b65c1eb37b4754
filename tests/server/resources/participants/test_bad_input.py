"""Bad input to the participant writes: registering, changing (with If-Match) and ending.

The cases and the checks: ``tests/server/resources/bad_input.py``."""

import uuid
from datetime import date, timedelta

import pytest

from tests.server.resources.bad_input import (
    DROP,
    NOT_UUID,
    OTHER_ORG_DEPARTMENT,
    Endpoint,
    accepts_its_body,
    body_with,
    case,
    read,
    refused,
    run_cases,
    send,
)

CONSENT = "consent_nav_reporting"


def future() -> str:
    return (date.today() + timedelta(days=2)).isoformat()


ENDPOINTS = {
    "create-participant": Endpoint(
        "POST",
        lambda c: "/participants",
        lambda c: {
            "first_name": "Ola",
            "last_name": "Nordmann",
            "department_id": str(c.world.dept_a1.id),
            "phone": "+47 912 34 567",
            "gender": "male",
            "birth_year": 1985,
            "start_date": "2026-02-02",
            "planned_end_date": "2026-08-02",
            "nav_office": "NAV Kristiansand",
            "nav_contact": "Kari Veileder",
            "consent_nav_reporting": True,
        },
        lambda c: read(c, "/participants?page_size=100"),
        201,
        required=(
            "first_name",
            "last_name",
            "department_id",
            "gender",
            "start_date",
            "consent_nav_reporting",
        ),
    ),
    "update-participant": Endpoint(
        "PATCH",
        lambda c: f"/participants/{c.participant_id}",
        lambda c: {
            "first_name": "Per",
            "department_id": str(c.world.dept_a2.id),
            "phone": "91234567",
            "gender": "other",
            "birth_year": 1979,
            "start_date": "2026-01-12",
            "planned_end_date": "2026-12-31",
            "consent_nav_reporting": False,
            "status": "paused",
        },
        lambda c: c.participant_state(),
        200,
        if_match=lambda c: c.etag(),
    ),
    "end-participant": Endpoint(
        "POST",
        lambda c: f"/participants/{c.participant_id}/end",
        lambda c: {
            "end_date": c.world.participant_a1.start_date.isoformat(),
            "outcome": "ordinary_work",
        },
        lambda c: c.participant_state(),
        200,
        required=("end_date", "outcome"),
    ),
}


@pytest.mark.parametrize("name", ENDPOINTS)
def test_valid_body_is_accepted(ctx, name):
    accepts_its_body(ctx, ENDPOINTS[name])


SCHEMA_CASES = {
    "create-participant": [
        case("first-name-number", {"first_name": 42}, "first_name"),
        case("first-name-null", {"first_name": None}, "first_name"),
        case("first-name-blank", {"first_name": "  "}, "first_name"),
        case("first-name-too-long", {"first_name": "x" * 81}, "first_name"),
        case("last-name-list", {"last_name": ["Nordmann"]}, "last_name"),
        case("department-id-invalid", {"department_id": NOT_UUID}, "department_id"),
        case("department-id-number", {"department_id": 1}, "department_id"),
        case("department-id-null", {"department_id": None}, "department_id"),
        case("phone-number", {"phone": 91234567}, "phone"),
        case("gender-invalid", {"gender": "f"}, "gender"),
        case("gender-upper-case", {"gender": "FEMALE"}, "gender"),
        case("gender-null", {"gender": None}, "gender"),
        case("birth-year-word", {"birth_year": "nineteen"}, "birth_year"),
        case("birth-year-fraction", {"birth_year": 1990.5}, "birth_year"),
        case("birth-year-bool", {"birth_year": True}, "birth_year"),
        case("birth-year-list", {"birth_year": [1990]}, "birth_year"),
        case("start-date-month-13", {"start_date": "2026-13-01"}, "start_date"),
        case("start-date-feb-30", {"start_date": "2026-02-30"}, "start_date"),
        case("start-date-norwegian-format", {"start_date": "02.02.2026"}, "start_date"),
        case("start-date-number", {"start_date": 20260202}, "start_date"),
        case("start-date-null", {"start_date": None}, "start_date"),
        case("start-date-empty", {"start_date": ""}, "start_date"),
        case("planned-end-month-13", {"planned_end_date": "2026-13-01"}, "planned_end_date"),
        case("consent-string", {CONSENT: "maybe"}, CONSENT),
        case("consent-null", {CONSENT: None}, CONSENT),
        case("nav-office-number", {"nav_office": 5}, "nav_office"),
        case("nav-contact-too-long", {"nav_contact": "x" * 121}, "nav_contact"),
        case("read-only-status", {"status": "active"}, "status"),
        case("read-only-outcome", {"outcome": "education"}, "outcome"),
        case("read-only-end-date", {"end_date": "2026-03-01"}, "end_date"),
        case("unknown-field", {"national_id": "01019012345"}, "national_id"),
        case("group-id-invalid", {"group_id": NOT_UUID}, "group_id"),
        case("group-id-number", {"group_id": 5}, "group_id"),
        case("enrolment-type-unknown", {"enrolment_type": "dk_105"}, "enrolment_type"),
        case("participation-unknown", {"participation": "half_time"}, "participation"),
        case("days-per-week-zero", {"days_per_week": 0}, "days_per_week"),
        case("days-per-week-eight", {"days_per_week": 8}, "days_per_week"),
        case("days-per-week-fraction", {"days_per_week": 2.5}, "days_per_week"),
        case("days-per-week-string", {"days_per_week": "3"}, "days_per_week"),
        case("days-per-week-bool", {"days_per_week": True}, "days_per_week"),
    ],
    "update-participant": [
        case("first-name-null", {"first_name": None}, "first_name"),
        case("first-name-empty", {"first_name": ""}, "first_name"),
        case("department-id-invalid", {"department_id": NOT_UUID}, "department_id"),
        case("gender-invalid", {"gender": "unknown"}, "gender"),
        case("birth-year-string", {"birth_year": "1980s"}, "birth_year"),
        case("start-date-null", {"start_date": None}, "start_date"),
        case("start-date-month-13", {"start_date": "2026-13-01"}, "start_date"),
        case("consent-null", {CONSENT: None}, CONSENT),
        case("status-ended", {"status": "ended"}, "status"),
        case("status-invalid", {"status": "finished"}, "status"),
        case("status-null", {"status": None}, "status"),
        case("read-only-id", {"id": str(uuid.uuid4())}, "id"),
        case("read-only-end-date", {"end_date": "2026-03-01"}, "end_date"),
        case("read-only-outcome", {"outcome": "education"}, "outcome"),
        case("read-only-version", {"version": 99}, "version"),
        case("unknown-field", {"organisation_id": NOT_UUID}, "organisation_id"),
        case("group-id-invalid", {"group_id": NOT_UUID}, "group_id"),
        case("group-id-number", {"group_id": 5}, "group_id"),
        case("enrolment-type-unknown", {"enrolment_type": "dk_105"}, "enrolment_type"),
        case("participation-unknown", {"participation": "half_time"}, "participation"),
        case("days-per-week-zero", {"days_per_week": 0}, "days_per_week"),
        case("days-per-week-eight", {"days_per_week": 8}, "days_per_week"),
        case("days-per-week-fraction", {"days_per_week": 2.5}, "days_per_week"),
        case("days-per-week-string", {"days_per_week": "3"}, "days_per_week"),
        case("days-per-week-bool", {"days_per_week": True}, "days_per_week"),
    ],
    "end-participant": [
        case("end-date-month-13", {"end_date": "2026-13-01"}, "end_date"),
        case("end-date-number", {"end_date": 5}, "end_date"),
        case("end-date-null", {"end_date": None}, "end_date"),
        case("end-date-with-time", {"end_date": "2026-03-01T10:00:00"}, "end_date"),
        case("outcome-invalid", {"outcome": "fired"}, "outcome"),
        case("outcome-number", {"outcome": 1}, "outcome"),
        case("outcome-null", {"outcome": None}, "outcome"),
        case("outcome-missing", {"outcome": DROP}, "outcome"),
        case("unknown-field", {"status": "ended"}, "status"),
    ],
}


@pytest.mark.parametrize("name", SCHEMA_CASES)
def test_wrong_type_or_value_is_refused(ctx, subtests, name):
    run_cases(ctx, subtests, ENDPOINTS[name], SCHEMA_CASES[name])


RULE_CASES = {
    "create-participant": [
        case(
            "planned-end-before-start",
            {"start_date": "2026-02-02", "planned_end_date": "2026-02-01"},
            "planned_end_date",
        ),
        case(
            "department-of-other-organisation",
            {"department_id": OTHER_ORG_DEPARTMENT},
            "department_id",
        ),
        case("department-unknown", {"department_id": str(uuid.uuid4())}, "department_id"),
        case("phone-too-short", {"phone": "12345"}, "phone"),
        case("phone-letters", {"phone": "ring meg"}, "phone"),
        case("phone-norwegian-7-digits", {"phone": "+47 123 4567"}, "phone"),
        case("phone-empty", {"phone": ""}, "phone"),
        case("birth-year-1800", {"birth_year": 1800}, "birth_year"),
        case("birth-year-next-year", {"birth_year": date.today().year + 1}, "birth_year"),
        case("birth-year-huge", {"birth_year": 10**30}, "birth_year"),
        case("group-unknown", {"group_id": str(uuid.uuid4())}, "group_id"),
        case("enrolment-type-in-norway", {"enrolment_type": "dk_103"}, "enrolment_type"),
        case(
            "full-time-on-four-days",
            {"participation": "full_time", "days_per_week": 4},
            "days_per_week",
        ),
    ],
    "update-participant": [
        case(
            "planned-end-before-start",
            {"planned_end_date": "2025-12-31", "start_date": DROP},
            "planned_end_date",
        ),
        case(
            "start-after-planned-end",
            {"start_date": "2027-01-01", "planned_end_date": "2026-06-30"},
            "planned_end_date",
        ),
        case(
            "department-of-other-organisation",
            {"department_id": OTHER_ORG_DEPARTMENT},
            "department_id",
        ),
        case("phone-bad", {"phone": "0047-abc"}, "phone"),
        case("birth-year-1800", {"birth_year": 1800}, "birth_year"),
        case("group-unknown", {"group_id": str(uuid.uuid4())}, "group_id"),
        case("enrolment-type-in-norway", {"enrolment_type": "dk_103"}, "enrolment_type"),
        case(
            "full-time-on-four-days",
            {"participation": "full_time", "days_per_week": 4},
            "days_per_week",
        ),
    ],
    "end-participant": [
        case("end-before-start", {"end_date": "2026-01-04"}, "end_date"),
        case("end-in-the-future", {"end_date": lambda c: future()}, "end_date"),
    ],
}


@pytest.mark.parametrize("name", RULE_CASES)
def test_rule_violation_is_refused(ctx, subtests, name):
    run_cases(ctx, subtests, ENDPOINTS[name], RULE_CASES[name])


def test_maximum_length_names_that_grow_when_case_folded_are_stored(ctx):
    """Valid input never answers 5xx: 80 letters 'ß' make a valid name, though the
    case-folded search form ('ss' per letter) is twice as long."""
    body = body_with(
        ctx, ENDPOINTS["create-participant"], {"first_name": "ß" * 80, "last_name": "ß" * 80}
    )
    response = send(ctx, ENDPOINTS["create-participant"], json=body)
    assert response.status_code == 201, response.get_data(True)
    assert response.json["first_name"] == "ß" * 80


def test_ending_an_ended_participant_is_a_conflict(ctx):
    body = ENDPOINTS["end-participant"].body(ctx)
    assert send(ctx, ENDPOINTS["end-participant"], json=body).status_code == 200
    refused(ctx, ENDPOINTS["end-participant"], 409, json={**body, "outcome": "education"})


def test_patch_participant_needs_the_current_etag(ctx, subtests):
    body = ENDPOINTS["update-participant"].body(ctx)
    for case_id, if_match, status in [("missing", "", 428), ("stale", '"stale"', 412)]:
        with subtests.test(case_id):
            refused(
                ctx,
                ENDPOINTS["update-participant"],
                status,
                headers={"If-Match": if_match},
                json=body,
            )
