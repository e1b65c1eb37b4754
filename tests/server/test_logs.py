"""The access logs of the survey page and the public endpoints, as gunicorn and
werkzeug make them: the path stays, the caller (address, proxy headers, user agent) and
any code go. Every other line keeps its address."""

import json
import logging
import re
import runpy
import threading
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from gunicorn.config import Config
from gunicorn.glogging import Logger
from werkzeug.serving import make_server

from server.logs import ANONYMOUS_PATHS, anonymous

ROOT = Path(__file__).resolve().parents[2]
SPIRE_FORMAT = runpy.run_path(str(ROOT / "docker" / "gunicorn.conf.py"))["access_log_format"]
# Spire's own format, and every atom that could name the caller or carry a code.
EVERY_ATOM = SPIRE_FORMAT + (
    ' r="%(r)s" q=%(q)s u=%(u)s a=%(a)s f=%(f)s xff=%({x-forwarded-for}i)s'
    " real=%({x-real-ip}i)s fwd=%({forwarded}i)s addr=%({remote_addr}e)s"
    " port=%({remote_port}e)s raw=%({raw_uri}e)s unsent=%({x-not-sent}i)s"
)
ADDRESS = "198.51.100.23"
PROXIED = "203.0.113.77"
AGENT = "Phone/1.0"
CODE = "KM7P-RT4X"


def gunicorn_line(tmp_path: Path, path: str, query: str = "", fmt: str = EVERY_ATOM) -> str:
    """The line gunicorn's own access logger writes for a GET of ``path`` (the worker
    hands it the response, the request and its environ)."""
    log_file = tmp_path / "access.log"
    config = Config()
    config.set("accesslog", str(log_file))
    config.set("errorlog", str(tmp_path / "error.log"))
    config.set("access_log_format", fmt)
    logger = Logger(config)
    target = path + (f"?{query}" if query else "")
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": target,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": ADDRESS,
        "REMOTE_PORT": "53211",
        "HTTP_X_FORWARDED_FOR": PROXIED,
        "HTTP_USER_AGENT": AGENT,
    }
    request = SimpleNamespace(
        headers=[
            ("HOST", "spire.example"),
            ("X-FORWARDED-FOR", PROXIED),
            ("X-REAL-IP", PROXIED),
            ("FORWARDED", f"for={PROXIED}"),
            ("USER-AGENT", AGENT),
            ("REFERER", f"https://spire.example/s/?code={CODE}"),
        ]
    )
    response = SimpleNamespace(status="200 OK", sent=1234, headers=[("Content-Type", "text/html")])
    try:
        logger.access(response, request, environ, timedelta(milliseconds=12))
    finally:
        for log in (logger.access_log, logger.error_log):
            for handler in list(log.handlers):
                handler.close()
                log.removeHandler(handler)
    return log_file.read_text()


@pytest.mark.parametrize(
    ("path", "query", "logged"),
    [
        ("/s/", "", "/s/"),
        ("/s", "", "/s"),
        ("/s/static/survey.js", "", "/s/static/survey.js"),
        ("/api/v1/public/survey-lookup", "", "/api/v1/public/survey-lookup"),
        ("/api/v1/public/survey-responses", "", "/api/v1/public/survey-responses"),
        (f"/s/{CODE}", f"code={CODE}", "/s/…"),
        ("/s/km7prt4x", "", "/s/…"),
        ("/s/KM7P RT4X", "", "/s/…"),
        ("/s/KM7P%20rt4x", "", "/s/…"),
    ],
)
def test_gunicorn_logs_the_survey_page_without_its_caller(app, tmp_path, path, query, logged):
    line = gunicorn_line(tmp_path, path, query)
    assert line.startswith("- [")
    assert f'"GET {logged} HTTP/1.1"' in line
    assert f'r="GET {logged}{"?…" if query else ""} HTTP/1.1"' in line
    for gone in (ADDRESS, PROXIED, AGENT, "53211", CODE, "RT4X", "rt4x", "code="):
        assert gone not in line
    assert "unsent=-" in line


def test_gunicorn_logs_spire_s_own_format_without_the_address(app, tmp_path):
    line = gunicorn_line(tmp_path, "/api/v1/public/survey-responses", fmt=SPIRE_FORMAT)
    assert line.startswith("- [") and ADDRESS not in line
    assert re.match(r"- \[\d{2}/\w{3}/\d{4}\] ", line), line  # the day, not the time
    assert '"GET /api/v1/public/survey-responses HTTP/1.1" 200 1234 12ms' in line


def test_every_other_line_keeps_its_caller(app, tmp_path):
    line = gunicorn_line(tmp_path, "/api/v1/participants", "q=Ola")
    assert line.startswith(f"{ADDRESS} [")
    assert f"xff={PROXIED}" in line and f"a={AGENT}" in line
    # A header the request did not send is "-", as gunicorn writes it.
    assert "unsent=-" in line


def test_the_anonymous_paths_are_the_page_s_and_the_public_endpoints(app):
    """Every route of the survey page and of the public endpoints is one whose caller
    the logs forget, and no other route is."""
    for rule in app.url_map.iter_rules():
        public = rule.endpoint.startswith(("survey_page.", "answers."))
        assert anonymous(rule.rule) == public, rule.rule
    assert ANONYMOUS_PATHS == ("/s", "/api/v1/public")
    assert not anonymous("/survey") and not anonymous("/api/v1/publications")


def test_werkzeug_logs_the_survey_page_without_its_caller(app, caplog):
    """The development server (``flask run``), serving for real."""
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.port}"

    def get(path: str, body: dict | None = None) -> int:
        request = urllib.request.Request(
            base + path,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Content-Type": "application/json", "X-Forwarded-For": PROXIED},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    try:
        with caplog.at_level(logging.INFO, logger="werkzeug"):
            assert get("/s/") == 200
            assert get(f"/s/{CODE}?code={CODE}") == 404
            assert get("/s/KM7P%20RT4X") == 404
            assert get("/api/v1/public/survey-lookup", {"code": CODE}) == 404
            assert get("/health") == 200
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
    lines = [record.getMessage() for record in caplog.records if record.name == "werkzeug"]
    public = [line for line in lines if "/health" not in line]
    assert len(public) == 4, lines
    assert all(line.startswith("- - - [") for line in public)
    assert '"GET /s/ HTTP/1.1" 200' in public[0]
    assert '"GET /s/…?… HTTP/1.1" 404' in public[1]
    assert '"GET /s/… HTTP/1.1" 404' in public[2]
    assert '"POST /api/v1/public/survey-lookup HTTP/1.1" 404' in public[3]
    assert not any("127.0.0.1" in line or "RT4X" in line for line in public)
    assert all(re.match(r"- - - \[\d{2}/\w{3}/\d{4}\] ", line) for line in public), public
    (health,) = [line for line in lines if "/health" in line]
    assert health.startswith("127.0.0.1 - - [")
