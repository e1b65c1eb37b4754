"""The OpenAPI document tells the truth: schemathesis sends every operation cases built
from the document (its examples, the boundaries and wrong values of every field, random
valid and invalid data) as each role and as nobody, against the real app and database,
and runs all its checks on every answer: no 5xx, no answer outside the document (status,
headers, content type, body), no valid input refused, no invalid input accepted, no
operation that ignores the token.

The budget is bounded and the run deterministic (a fixed seed, derandomised), so CI
gives the same verdict every time."""

import threading
import time
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import StopReason, events, from_schema
from werkzeug.serving import make_server

from tests.conftest import login
from tests.factories import PASSWORD

# Cases per operation in the fuzzing phase (the coverage phase adds its own, one per
# boundary and wrong value of each field).
MAX_EXAMPLES = 12
SEED = 20261130
# A run as one role takes about 20-40 s here; one that would take this long is cut short
# (and fails), so CI never hangs on it.
MAX_SECONDS = 300
# A run as any role sends well over this many cases; fewer means operations went untested.
MIN_CASES = 1000


@pytest.fixture
def config_overrides():
    """The fuzzer sends wrong passwords for the accounts it has seen in answers, as an
    attacker would, and the login limits rightly throttle those accounts; the run's own
    logins (a token for each role) must not be caught by that. Throttling has tests of
    its own."""
    return {
        "SPIRE_LOGIN_MAX_FAILURES_ACCOUNT": 100_000,
        "SPIRE_LOGIN_MAX_FAILURES_ADDRESS": 100_000,
    }


def _seed(world, as_user) -> dict:
    """Records behind the paths, made through the API as staff would, so that
    operations on real ids get past the 404 and are exercised in full."""
    admin = as_user(world.admin)
    leader = as_user(world.leader)
    participant = world.participant_a1
    today = date.today()
    pid = participant.id
    yesterday = today - timedelta(days=1)

    plan = leader.get(f"/participants/{pid}/plan")
    assert plan.status_code == 200, plan.json
    schedule = leader.put(
        f"/participants/{pid}/wakeup-schedule",
        json={"weekdays": [1, 2, 3, 4, 5, 6, 7], "time": "07:30", "phone": "+4791234567"},
    )
    assert schedule.status_code == 201, schedule.json
    calls = leader.get(f"/wakeups?department_id={world.dept_a1.id}")
    assert calls.status_code == 200, calls.json
    attendance_id = uuid.uuid4()
    written = leader.put(
        f"/attendance/{attendance_id}",
        json={"participant_id": str(pid), "date": yesterday.isoformat(), "status": "present"},
    )
    assert written.status_code == 201, written.json
    followup_id = uuid.uuid4()
    logged = leader.put(
        f"/followups/{followup_id}",
        json={
            "participant_id": str(pid),
            "kind": "conversation",
            "occurred_at": (datetime.now(UTC) - timedelta(hours=1)).isoformat(),
            "note": "Snakket om uka.",
        },
    )
    assert logged.status_code == 201, logged.json
    leave = leader.post(
        f"/participants/{pid}/leaves",
        json={
            "first_day": (today + timedelta(days=30)).isoformat(),
            "last_day": (today + timedelta(days=31)).isoformat(),
        },
    )
    assert leave.status_code == 201, leave.json
    meeting = leader.post(
        f"/participants/{pid}/meetings",
        json={
            "scheduled_at": f"{(today + timedelta(days=7)).isoformat()}T10:00:00+00:00",
            "members": [{"name": "Kari Veileder", "organisation": "NAV Songdalen"}],
        },
    )
    assert meeting.status_code == 201, meeting.json
    action = leader.post(
        f"/meetings/{meeting.json['id']}/actions",
        json={"description": "Ring legen", "responsible": "Kari"},
    )
    assert action.status_code == 201, action.json
    users = admin.get("/users")
    assert users.status_code == 200, users.json
    group = leader.post(
        f"/departments/{world.dept_a1.id}/groups",
        json={"name": "Kjøkkenet", "responsible_user_id": str(world.facilitator.id)},
    )
    assert group.status_code == 201, group.json
    survey = leader.post(
        "/surveys",
        json={
            "title": "Brukerundersøkelse",
            "department_id": str(world.dept_a1.id),
            "opens_on": today.isoformat(),
            "closes_on": (today + timedelta(days=30)).isoformat(),
            "questions": [{"kind": "scale", "text": "Jeg blir møtt med respekt."}],
        },
    )
    assert survey.status_code == 201, survey.json
    return {
        "participant_id": str(pid),
        "department_id": str(world.dept_a1.id),
        # Another user's account: the admin's own could be deactivated mid-run.
        "user_id": str(world.facilitator_a2.id),
        "goal_id": plan.json["goals"][0]["id"],
        "attendance_id": str(attendance_id),
        "followup_id": str(followup_id),
        "leave_id": leave.json["id"],
        "meeting_id": meeting.json["id"],
        "action_id": action.json["id"],
        "group_id": group.json["id"],
        "survey_id": survey.json["id"],
        **({"wakeup_id": calls.json[0]["id"]} if calls.json else {}),
    }


# Schema-valid input that a rule beyond what JSON Schema can say refuses with 422: an
# order between two fields (a check-out after the check-in, to after from), a field
# that another one requires (an absence reason when absent, a phone for an SMS), the
# state of stored data (a closed department, overlapping leave, a goal or member id of
# another plan or group, a participant not in the programme that day), the clock (no
# attendance in the future) or a password's strength. Only these operations may answer
# a schema-valid request with 422; everything else must accept it.
RULES_BEYOND_THE_SCHEMA = {
    ("POST", "/api/v1/participants"): "department closed; planned end before start; the "
    "country's enrolment type; full-time on few days; a group not of the department",
    ("PATCH", "/api/v1/participants/{participant_id}"): "as POST; a department not one's own",
    ("POST", "/api/v1/participants/{participant_id}/end"): "end before start or in the future",
    ("POST", "/api/v1/participants/{participant_id}/leaves"): "last day first; overlaps",
    ("PUT", "/api/v1/participants/{participant_id}/plan"): "slot ends before it starts",
    ("PUT", "/api/v1/participants/{participant_id}/wakeup-schedule"): "an SMS needs a phone",
    ("PUT", "/api/v1/attendance/{attendance_id}"): "absent needs a reason; future; not active",
    ("PUT", "/api/v1/followups/{followup_id}"): "in the future; not in the programme",
    ("PUT", "/api/v1/wakeups/{wakeup_id}/attempts/{attempt_id}"): "reason with the outcome",
    ("POST", "/api/v1/participants/{participant_id}/meetings"): "member of another group",
    ("PATCH", "/api/v1/meetings/{meeting_id}"): "held in the future; next before this one",
    ("POST", "/api/v1/departments/{department_id}/groups"): "responsible not staff there",
    ("PATCH", "/api/v1/groups/{group_id}"): "responsible not staff of the department",
    ("POST", "/api/v1/users"): "a weak password; an unknown department",
    ("PATCH", "/api/v1/users/{user_id}"): "a weak password; an unknown department",
    ("GET", "/api/v1/attendance"): "which filters go together",
    ("GET", "/api/v1/attendance/rates"): "to before from; a period too long",
    ("GET", "/api/v1/participants/{participant_id}/attendance-summary"): "to before from",
    ("GET", "/api/v1/followups"): "participant_id or department_id",
    ("GET", "/api/v1/followups/counts"): "participant_id or department_id; to before from",
    ("GET", "/api/v1/today"): "a day in the future",
    ("GET", "/api/v1/wakeups"): "a day in the future",
    ("GET", "/api/v1/reports/attendance"): "to before from; a period too long",
    ("GET", "/api/v1/reports/meldeperiode"): "not a Monday; not started; not in the programme",
    ("GET", "/api/v1/reports/participants/{participant_id}/progress"): "to before from; future",
    ("GET", "/api/v1/reports/statistics"): "a year after this one",
    ("PUT", "/api/v1/tallies/{tally_id}"): "a day in the future or over a year back; an "
    "activity no longer in use",
    ("GET", "/api/v1/tallies"): "to before from; a period too long",
    ("PATCH", "/api/v1/meetings/{meeting_id}/actions/{action_id}"): "ticked in the future",
    ("POST", "/api/v1/surveys"): "closes before it opens or after a year; a closed "
    "department; a choice without two distinct options, options on another kind",
    ("PATCH", "/api/v1/surveys/{survey_id}"): "as POST",
    ("POST", "/api/v1/surveys/{survey_id}/copy"): "closes before it opens or after a year",
    ("POST", "/api/v1/public/survey-responses"): "an answer that does not fit its question",
}
# A code of a survey that has closed (or not opened) is 410 Gone.
GONE = {
    ("POST", "/api/v1/surveys/{survey_id}/codes"),
    ("GET", "/api/v1/surveys/{survey_id}/codes.pdf"),
    ("POST", "/api/v1/public/survey-lookup"),
    ("POST", "/api/v1/public/survey-responses"),
}
# Changing a participant or a meeting needs If-Match: without it the answer is 428
# Precondition Required (RFC 6585), and with a made-up ETag 412, as the document says.
IF_MATCH = {
    ("PATCH", "/api/v1/participants/{participant_id}"),
    ("PATCH", "/api/v1/meetings/{meeting_id}"),
}
ACCEPTED = ["2xx", 401, 403, 404, 409, 429]


def _operations() -> list[dict]:
    operations = []
    for method, path in sorted(RULES_BEYOND_THE_SCHEMA.keys() | IF_MATCH | GONE):
        accepted = ACCEPTED + [422] * ((method, path) in RULES_BEYOND_THE_SCHEMA)
        accepted += [410] * ((method, path) in GONE)
        checks = {"positive_data_acceptance": {"expected-statuses": accepted}}
        if (method, path) in IF_MATCH:
            checks["positive_data_acceptance"]["expected-statuses"] = accepted + [412, 428]
            checks["missing_required_header"] = {"expected-statuses": [401, 403, 404, 428]}
        # By name (method and path together): schemathesis ORs separate include filters,
        # so a method filter and a path filter would each match other operations too.
        operations.append({"include-name": f"{method} {path}", "checks": checks})
    return operations


def _config(ids: dict, base_url: str) -> SchemathesisConfig:
    return SchemathesisConfig.from_dict(
        {
            "base-url": base_url,
            "seed": SEED,
            # Nothing kept between runs (no cache, no example database): each run is
            # the same, whatever ran before it.
            "cache": {"enabled": False},
            "generation": {
                "max-examples": MAX_EXAMPLES,
                "deterministic": True,
                # A finding is reported as found: shrinking it would cost minutes.
                "no-shrink": True,
                "database": "none",
                # JSON text is Unicode: no NUL and no half of a surrogate pair, which no
                # database stores (Spire refuses them with 422, see test_edge_input).
                "allow-x00": False,
                "codec": "utf-8",
            },
            # A deadline for each answer (the whole run has its own, in _execute: the
            # engine's max-time would keep fuzzing until the time is used up).
            "request-timeout": 10,
            "checks": {"enabled": True},
            # Sequences of calls need links between operations, which the document
            # does not declare (writes take client-chosen ids, so none follows from
            # another's answer): every operation is exercised on the seeded records.
            "phases": {"stateful": {"enabled": False}},
            # Path ids name the seeded records, and so do the filters that choose whose
            # records a list shows: a random id there is a 404 every time, and the lists'
            # answers would never be checked against the document.
            "parameters": {
                **{f"path.{name}": value for name, value in ids.items()},
                "query.department_id": ids["department_id"],
                "query.group_id": ids["group_id"],
                "query.participant_id": ids["participant_id"],
            },
            "operations": _operations(),
            "warnings": False,
        }
    )


ROLES = ["admin", "leader", "facilitator", None]


@pytest.mark.filterwarnings("ignore:Generating overly large repr")
@pytest.mark.parametrize("role", ROLES, ids=[r or "anonymous" for r in ROLES])
def test_the_api_answers_as_its_document_says(app, client, world, as_user, role):
    ids = _seed(world, as_user)
    username = world.user(role).username if role else None

    document = client.get("/api/openapi.json")
    assert document.status_code == 200
    # The app answers over a real socket: schemathesis' in-process WSGI transport hands
    # its auth probes options that only its HTTP transport takes, and fails on them.
    server = make_server("127.0.0.1", 0, app)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    config = _config(ids, f"http://127.0.0.1:{server.port}")
    schema = schemathesis.openapi.from_dict(document.json, config=config)

    @schema.auth(refresh_interval=None)
    class Token:
        """The role's access token. Logging out ends a login, and a refresh token is
        spent on use, so those two get a login of their own each time."""

        def get(self, case, context):
            if username is None:
                return None
            if case.operation.path in ("/api/v1/auth/logout", "/api/v1/auth/refresh"):
                tokens = login(client, username, PASSWORD)
                key = "refresh_token" if case.operation.path.endswith("refresh") else "access_token"
                return tokens[key]
            return shared_token

        def set(self, case, data, context):
            if data:
                case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}

    shared_token = login(client, username, PASSWORD)["access_token"] if username else None

    try:
        findings, cases, stop_reason = _execute(schema)
    finally:
        server.shutdown()
        server.server_close()
    assert stop_reason == StopReason.COMPLETED, f"stopped early: {stop_reason}"
    assert cases >= MIN_CASES, f"only {cases} cases ran"
    assert not findings, "\n\n".join(findings)


def _execute(schema) -> tuple[list[str], int, StopReason | None]:
    """Run every phase; return each distinct finding (an operation, a check and what
    it found, with the request that showed it), the number of cases sent and why the
    run stopped."""
    findings: dict[tuple, str] = {}
    cases = 0
    stop_reason = None
    deadline = time.monotonic() + MAX_SECONDS
    stream = from_schema(schema).execute()
    for event in stream:
        if time.monotonic() > deadline:
            stream.stop()
        if isinstance(event, events.EngineFinished):
            stop_reason = event.stop_reason
        if isinstance(event, events.ScenarioFinished):
            recorder = event.recorder
            cases += len(recorder.cases)
            for case_id, checks in recorder.checks.items():
                for check in checks:
                    if check.failure_info is None:
                        continue
                    failure = check.failure_info.failure
                    key = (recorder.label, check.name, failure.title, str(failure)[:300])
                    case = recorder.cases[case_id].value
                    interaction = recorder.interactions.get(case_id)
                    answer = interaction.response if interaction else None
                    findings.setdefault(
                        key,
                        f"{recorder.label}: {check.name}: {str(failure)[:1200]}\n"
                        f"  sent {case.method} {case.path} query={case.query} "
                        f"body={str(case.body)[:300]}"
                        + (
                            f"\n  got {answer.status_code} {answer.content[:300]!r}"
                            if answer
                            else ""
                        ),
                    )
        elif isinstance(event, events.NonFatalError):
            findings.setdefault((event.label, "error"), f"{event.label}: {event.value!r}")
        elif isinstance(event, events.FatalError):
            findings.setdefault(("fatal",), f"fatal: {event.exception!r}")
    return list(findings.values()), cases, stop_reason
