"""The OpenAPI document and the docs page, which must work with no internet access."""

import re

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
