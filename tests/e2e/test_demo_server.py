"""The real thing: migrate, seed the demo, run gunicorn, log in over HTTP with the
printed demo logins, and check the access log keeps personal data out."""

import http.client
import json
import socket
import time
from urllib.parse import urlsplit

import pytest

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


def test_a_stopped_server_keeps_its_address(demo_server):
    """Stopped (a phone test's "no network"), the server keeps its port: no other process
    (another test run beside this one) is given it, a client is refused at once, and the
    server comes back on the same address."""
    base = demo_server.base
    port = urlsplit(base).port
    demo_server.stop()
    try:
        with socket.socket() as other, pytest.raises(OSError):
            other.bind(("127.0.0.1", port))
        with pytest.raises(OSError):  # refused, not left waiting
            call(base, "GET", "/health")
    finally:
        demo_server.start()
    assert demo_server.base == base
    assert call(base, "GET", "/health")[0] == 200


def test_a_forged_line_in_a_path_stays_inside_its_own_log_line(demo_server):
    base, _, access_log = demo_server
    status, body = call(base, "GET", "/api/v1/nothing%0Aforged%0D%0A127.0.0.1%20-%20-%20x")
    assert status == 404 and body["code"] == 404
    lines = logged_lines(access_log, "/api/v1/nothing")
    assert not any(line.startswith(("forged", "127.0.0.1 - - x")) for line in lines)
    assert any("/api/v1/nothing\\nforged\\r\\n127.0.0.1" in line for line in lines)


def logged_lines(access_log, text: str, seconds: float = 5.0) -> list[str]:
    """The access log's lines once one holds ``text``: gunicorn writes a request's line
    after it has sent the answer, so the caller may read the log first."""
    deadline = time.monotonic() + seconds
    while True:
        lines = access_log.read_text().splitlines()
        if any(text in line for line in lines) or time.monotonic() > deadline:
            return lines
        time.sleep(0.05)


def raw_get(base: str, target: str, headers: dict | None = None):
    """A GET as any client could send it, head and all: (status, content type, body)."""
    address = urlsplit(base)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    try:
        connection.putrequest("GET", target, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        connection.close()


@pytest.mark.parametrize(
    ("what", "target", "headers", "status"),
    [
        ("a long target", "/api/v1/participants?q=" + "a" * 5000, {}, 414),
        ("a long header", "/api/v1/me", {"X-Note": "b" * 9000}, 431),
        ("many headers", "/api/v1/me", {f"X-Field-{n}": "c" for n in range(150)}, 431),
    ],
)
def test_an_oversized_head_gets_the_envelope(demo_server, what, target, headers, status):
    base, _, _ = demo_server
    answered, content_type, body = raw_get(base, target, headers)
    assert (answered, content_type) == (status, "application/json")
    assert json.loads(body)["code"] == status


@pytest.mark.parametrize(
    ("what", "target", "headers", "status"),
    [
        ("a target past gunicorn's line limit", "/api/v1/me?q=" + "a" * 9000, {}, 414),
        ("a header past gunicorn's field limit", "/api/v1/me", {"X-Note": "b" * 17000}, 431),
        ("more headers than it reads", "/api/v1/me", {f"X-F-{n}": "c" for n in range(250)}, 431),
    ],
)
def test_a_head_past_gunicorns_own_limits_is_gunicorns_page(
    demo_server, what, target, headers, status
):
    """What the README says stays gunicorn's: it refuses these before Spire sees them,
    with the same status Spire would give but a page of its own."""
    base, _, _ = demo_server
    answered, content_type, _ = raw_get(base, target, headers)
    assert (answered, content_type) == (status, "text/html")
    # ... and the worker that refused it goes on serving.
    assert call(base, "GET", "/health")[0] == 200
