"""The OpenAPI document and the docs page, which must work with no internet access."""

import json
import re
from pathlib import Path

import pytest
from openapi_spec_validator import validate


def test_openapi_document_is_valid_and_complete(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    spec = response.json
    validate(spec)
    paths = spec["paths"]
    for path in (
        "/health",
        "/api/v1/auth/login",
        "/api/v1/auth/refresh",
        "/api/v1/auth/logout",
        "/api/v1/me",
        "/api/v1/departments",
        "/api/v1/departments/{department_id}",
        "/api/v1/users",
        "/api/v1/users/{user_id}",
        "/api/v1/participants",
        "/api/v1/participants/{participant_id}",
        "/api/v1/participants/{participant_id}/end",
        "/api/v1/participants/{participant_id}/export",
        "/api/v1/participants/{participant_id}/access-log",
        "/api/v1/participants/{participant_id}/plan",
        "/api/v1/participants/{participant_id}/plan/versions",
        "/api/v1/participants/{participant_id}/plan/goals/{goal_id}",
        "/api/v1/audit",
    ):
        assert path in paths, path
    assert paths["/api/v1/participants"]["get"]["security"] == [{"bearer": []}]
    assert "security" not in paths["/api/v1/auth/login"]["post"]


def test_docs_page_loads_only_local_assets(client):
    page = client.get("/docs")
    assert page.status_code == 200
    html = page.data.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls, html
    for url in urls:
        assert url.startswith("/"), f"{url} would need the internet"
        with client.get(url) as asset:
            assert asset.status_code == 200, url
            assert len(asset.data) > 1000
    assert "/api/openapi.json" in html


DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


@pytest.fixture
def api(world, as_user):
    return as_user(world.leader)


@pytest.fixture
def admin_api(world, as_user):
    return as_user(world.admin)


def test_the_repository_carries_the_document_the_app_serves(client):
    """docs/openapi.json is the served document; after changing the API, regenerate it
    with ``flask --app server openapi write docs/openapi.json``."""
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert json.loads(DOCUMENT.read_text()) == response.json, (
        "docs/openapi.json is stale: run flask --app server openapi write docs/openapi.json"
    )


def test_the_pagination_header_is_documented_as_the_json_string_it_is(api, world):
    response = api.get("/participants?page_size=1")
    assert response.status_code == 200
    meta = json.loads(response.headers["X-Pagination"])
    assert meta["total"] == 1 and meta["page"] == 1
    spec = api.get("/api/openapi.json").json
    header = spec["paths"]["/api/v1/participants"]["get"]["responses"]["200"]["headers"][
        "X-Pagination"
    ]
    assert header["schema"] == {"type": "string"}
    page = next(
        p for p in spec["paths"]["/api/v1/participants"]["get"]["parameters"] if p["name"] == "page"
    )
    assert page["schema"]["maximum"] == 1_000_000


def test_a_page_beyond_the_documented_maximum_is_refused_under_errors_query(api, world):
    for query in ("page=abc", "page=1000001"):
        response = api.get(f"/participants?{query}")
        assert response.status_code == 422, response.json
        assert list(response.json["errors"]) == ["query"]
        assert "page" in response.json["errors"]["query"]


def test_rules_a_service_checks_on_the_query_are_reported_under_errors_query(api, world):
    response = api.get(
        f"/participants/{world.participant_a1.id}/attendance-summary?from=2026-02-01&to=2026-01-01"
    )
    assert response.status_code == 422, response.json
    assert response.json["errors"] == {"query": {"to": ["Must not be before from."]}}


@pytest.mark.parametrize("value", [1, 0, "true", "yes", None])
def test_a_boolean_is_true_or_false_and_nothing_else(admin_api, world, value):
    response = admin_api.patch(f"/departments/{world.dept_a1.id}", json={"active": value})
    assert response.status_code == 422, response.json
    assert list(response.json["errors"]["json"]) == ["active"]


def test_a_body_the_document_requires_may_not_be_left_out(api, world, as_user):
    meeting = api.post(
        f"/participants/{world.participant_a1.id}/meetings",
        json={"scheduled_at": "2026-03-02T10:00:00+01:00"},
    )
    assert meeting.status_code == 201, meeting.json
    action = api.post(
        f"/meetings/{meeting.json['id']}/actions",
        json={"description": "Ring", "responsible": "Kari"},
    )
    assert action.status_code == 201, action.json
    path = f"/meetings/{meeting.json['id']}/actions/{action.json['id']}"
    response = api.patch(path)
    assert response.status_code == 422, response.json
    assert response.json["errors"] == {"json": {"_schema": ["A JSON body is required."]}}
    assert api.patch(path, json={}).status_code == 200


def test_a_participant_is_not_ended_by_patch_and_the_document_says_so(api, world):
    spec = api.get("/api/openapi.json").json
    status = spec["components"]["schemas"]["ParticipantUpdate"]["properties"]["status"]
    assert status["enum"] == ["active", "paused"]
    pid = world.participant_a1.id
    read = api.get(f"/participants/{pid}")
    assert read.status_code == 200
    response = api.patch(
        f"/participants/{pid}", json={"status": "ended"}, headers={"If-Match": read.headers["ETag"]}
    )
    assert response.status_code == 422, response.json
    assert "POST /participants/{id}/end" in response.json["errors"]["json"]["status"][0]


def test_a_timestamp_needs_seconds_and_an_offset(api, world):
    for since in ("2026-01-05T08:00Z", "2026-01-05T08:00:00"):
        response = api.get(f"/notifications?since={since}")
        assert response.status_code == 422, (since, response.json)
        assert list(response.json["errors"]["query"]) == ["since"]
    assert api.get("/notifications?since=2026-01-05T08:00:00Z").status_code == 200


def test_the_document_shows_the_rules_the_server_checks(client):
    spec = client.get("/api/openapi.json").json
    schemas = spec["components"]["schemas"]
    participant = schemas["Participant"]["properties"]
    assert participant["end_date"]["nullable"] is True
    assert re.fullmatch(participant["phone"]["pattern"], "+47 912 34 567")
    assert not re.fullmatch(participant["phone"]["pattern"], "12345")
    assert re.fullmatch(participant["start_date"]["pattern"], "2026-01-05")
    assert not re.fullmatch(participant["start_date"]["pattern"], "2101-01-05")
    assert participant["consent_nav_reporting"]["type"] == "boolean"
    slot = schemas["ScheduleSlotIn"]["properties"]
    assert re.fullmatch(slot["start"]["pattern"], "08:30")
    assert not re.fullmatch(slot["start"]["pattern"], "24:00")
    assert "Europe/Oslo" in schemas["Department"]["properties"]["timezone"]["enum"]
    assert schemas["User"]["properties"]["password"]["minLength"] == 10
