"""The server's own access log, under gunicorn: the survey page's and the public
endpoints' lines name the path, never the caller's address nor a code."""

import urllib.request

from tests.e2e.conftest import call
from tests.e2e.test_demo_server import logged_lines, raw_get

CALLER = "203.0.113.77"  # an address a proxy in front would name


def test_the_access_log_keeps_no_address_and_no_code(survey_server, make_survey, codes_for):
    survey = make_survey()
    code, other = codes_for(survey, 2)
    base, access_log = survey_server.base, survey_server.access_log
    forwarded = {"X-Forwarded-For": CALLER, "X-Real-IP": CALLER, "Forwarded": f"for={CALLER}"}

    for target in ("/s/", "/s", "/s/static/survey.js", "/s/static/survey.css"):
        assert raw_get(base, target, forwarded)[0] == 200
    # Someone types their code into the address, or a link carries it in a query.
    assert raw_get(base, f"/s/{other}?code={other}", forwarded)[0] == 404
    assert raw_get(base, f"/s/{other.lower().replace('-', '')}", forwarded)[0] == 404
    assert call(base, "POST", "/api/v1/public/survey-lookup", {"code": code})[0] == 200
    first = survey["questions"][0]["id"]
    body = {"code": code, "answers": {first: 3}}
    assert call(base, "POST", "/api/v1/public/survey-responses", body)[0] == 201
    request = urllib.request.Request(base + "/api/v1/me", headers={"X-Forwarded-For": CALLER})
    try:
        urllib.request.urlopen(request, timeout=10)
    except urllib.error.HTTPError as error:
        assert error.code == 401

    lines = logged_lines(access_log, "/api/v1/me")
    text = "\n".join(lines)
    for secret in (code, other, code.replace("-", ""), other.replace("-", ""), CALLER):
        assert secret.lower() not in text.lower()
    anonymous = [line for line in lines if " /s" in line or " /api/v1/public/" in line]
    paths = {line.split('"')[1].split()[1] for line in anonymous}
    assert {
        "/s/",
        "/s",
        "/s/static/survey.js",
        "/s/static/survey.css",
        "/s/…",
        "/api/v1/public/survey-lookup",
        "/api/v1/public/survey-responses",
    } <= paths
    assert all(line.startswith("- ") for line in anonymous), anonymous
    assert not any("127.0.0.1" in line for line in anonymous)
    # Everywhere else the address stays, as before.
    (staff,) = [line for line in lines if "/api/v1/me" in line]
    assert staff.startswith("127.0.0.1 ")
