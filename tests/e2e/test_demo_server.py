"""The real thing: migrate, seed the demo, run gunicorn, log in over HTTP with the
printed demo logins, and check the access log keeps personal data out."""

from tests.e2e.conftest import call


def printed_logins(output: str) -> list[tuple[str, str, str]]:
    lines = output.split("Demo logins", 1)[1].splitlines()[1:]
    return [tuple(line.split()[:3]) for line in lines if line.strip()]


def test_demo_logins_work_against_gunicorn(demo_server):
    base, output, access_log = demo_server
    logins = printed_logins(output)
    assert {role for _, _, role in logins} == {"admin", "leader", "facilitator"}
    seen = {}
    for username, password, role in logins:
        status, body = call(
            base, "POST", "/api/v1/auth/login", {"username": username, "password": password}
        )
        assert status == 200, body
        assert body["user"]["role"] == role
        status, participants = call(
            base, "GET", "/api/v1/participants?page_size=100&q=a", token=body["access_token"]
        )
        assert status == 200
        seen[username] = len(participants)
    assert seen["admin"] >= seen["leder"] > seen["tilrettelegger1"] > 0

    status, spec = call(base, "GET", "/api/openapi.json")
    assert status == 200 and spec["info"]["title"] == "Spire"

    log = access_log.read_text()
    assert "/api/v1/participants" in log
    assert "q=a" not in log and "?" not in log
